import { AccessIndex } from './AccessIndex';
import { PU, RO, miniSnapshot } from './__fixtures__/miniSnapshot';
import type { Snapshot } from './model';

/*
 * Incremental derivation (issue 18): an index derived with the previous one reuses the grants of the people whose
 * inputs did not change, and must be exactly the index a full derivation gives. Each case changes one input a
 * person's grants depend on and checks that this person's grants do change (so reusing them would fail the
 * comparison) while other people's are reused.
 */

const HOUR = 3_600_000;

/** Everything an index serves from, as text: persons, grants, paths, gap starts and their order. */
function indexText(index: AccessIndex): string {
  return JSON.stringify({
    persons: index.persons,
    gapsFirstSeen: index.gapsFirstSeen,
    unmanaged: index.unmanaged,
  });
}

function grantsText(index: AccessIndex, key: string): string {
  return JSON.stringify(index.personByKey(key)?.grants ?? null);
}

/** The next snapshot an hour later, as `change` makes it from a fresh copy of the mini world. */
function changed(change: (snapshot: Snapshot) => void): Snapshot {
  const snapshot = structuredClone(miniSnapshot());
  snapshot.readAt = new Date(Date.parse(snapshot.readAt) + HOUR).toISOString();
  change(snapshot);
  return snapshot;
}

/**
 * Derives `after` fully and with the index of the mini world, expects both byte for byte equal, and returns the
 * previous, full and incremental indexes.
 */
function derive(after: Snapshot) {
  const previous = AccessIndex.build({ snapshot: miniSnapshot(), version: 1 });
  const options = {
    snapshot: after,
    version: 0,
    previousGapsFirstSeen: previous.gapsFirstSeen,
  };
  const full = AccessIndex.build(options);
  const incremental = AccessIndex.build({ ...options, previous });
  expect(indexText(incremental)).toBe(indexText(full));
  expect(full.work.rederived).toBe(full.work.persons);
  return { previous, full, incremental };
}

describe('incremental derivation', () => {
  it('reuses everyone when nothing a grant depends on changed', () => {
    const { incremental } = derive(
      changed(s => {
        s.aws.accounts[0].ouPath = 'Workloads/Moved';
        s.aws.permissionSets[0].sessionDuration = 'PT12H';
        s.identity.users[0].jobTitle = 'Engineer';
      }),
    );
    expect(incremental.work.persons).toBeGreaterThan(0);
    expect(incremental.work.rederived).toBe(0);
  });

  it.each<[string, string, (s: Snapshot) => void]>([
    [
      'a disabled identity user',
      'u-maria',
      s => void (s.identity.users[4].accountEnabled = false),
    ],
    [
      'a direct membership added in the identity source',
      'u-aamir',
      s => void s.identity.groups[1].memberUserIds.push('u-aamir'),
    ],
    [
      'a membership removed in the identity source',
      'u-maria',
      s => void s.identity.groups[1].memberUserIds.pop(),
    ],
    [
      'a membership through a nested group',
      'u-aamir',
      s => void s.identity.groups[3].memberUserIds.push('u-aamir'),
    ],
    [
      'a group nested below a nested group',
      'u-aamir',
      s => {
        s.identity.groups.push({
          id: 'g-sub',
          displayName: 'Data-Sub',
          securityEnabled: true,
          memberUserIds: ['u-aamir'],
          memberGroupIds: [],
        });
        s.identity.groups[3].memberGroupIds.push('g-sub');
      },
    ],
    [
      'a renamed identity source group',
      'u-maria',
      s => void (s.identity.groups[1].displayName = 'AWS-PowerUsers'),
    ],
    [
      'a renamed nesting group',
      'u-noah',
      s => void (s.identity.groups[3].displayName = 'Data-Science'),
    ],
    [
      'an Identity Center membership added',
      'u-shen',
      s => void s.aws.groups[1].memberUserIds.push('i-shen'),
    ],
    [
      'an Identity Center user removed',
      'u-alex',
      s => {
        s.aws.users = s.aws.users.filter(u => u.id !== 'i-alex');
        s.aws.groups[1].memberUserIds = ['i-maria'];
      },
    ],
    [
      'an Identity Center user disabled',
      'u-maria',
      s => void (s.aws.users[2].status = 'DISABLED'),
    ],
    [
      'an Identity Center group relinked',
      'u-maria',
      s => void (s.aws.groups[1].externalId = 'g-gone'),
    ],
    [
      'an assignment created',
      'u-maria',
      s =>
        void s.aws.assignments.push({
          accountId: '200000000006',
          permissionSetArn: RO,
          principalType: 'GROUP',
          principalId: 'ig-pu',
        }),
    ],
    [
      'an assignment deleted',
      'u-maria',
      s => void s.aws.assignments.splice(2, 1),
    ],
    [
      'a direct user assignment',
      'u-maria',
      s =>
        void s.aws.assignments.push({
          accountId: '200000000006',
          permissionSetArn: PU,
          principalType: 'USER',
          principalId: 'i-maria',
        }),
    ],
    [
      'a renamed permission set (grant order)',
      'u-shen',
      s => void (s.aws.permissionSets[0].name = 'AAA-ReadOnly'),
    ],
    [
      'a renamed account (grant order)',
      'u-maria',
      s => void (s.aws.accounts[1].name = 'a-payments-prod'),
    ],
    [
      'a group out of provisioning scope',
      'u-aamir',
      s => void s.identity.provisioningScope.shift(),
    ],
    [
      'a user in provisioning scope with a direct assignment',
      'u-maria',
      s => {
        s.identity.provisioningScope.push({
          principalId: 'u-maria',
          principalType: 'User',
        });
        s.aws.assignments.push({
          accountId: '200000000006',
          permissionSetArn: PU,
          principalType: 'USER',
          principalId: 'i-maria',
        });
        s.aws.users[2].status = 'DISABLED';
      },
    ],
    [
      'an audited change that dates a gap',
      'u-aamir',
      s =>
        void s.identity.changes.push({
          at: new Date(Date.parse(s.readAt) - 5 * 60_000).toISOString(),
          source: 'audit',
          kind: 'member-added',
          userId: 'u-aamir',
          groupId: 'g-ro',
        }),
    ],
  ])('follows %s', (_name, key, change) => {
    // The change reaches `key` (reusing their grants would be wrong; a person may also vanish, or only have a gap
    // start move), and the others are reused.
    const { previous, full, incremental } = derive(changed(change));
    expect(grantsText(full, key)).not.toBe(grantsText(previous, key));
    expect(incremental.work.rederived).toBeLessThan(incremental.work.persons);
  });

  it('re-derives a person whose user path is renamed', () => {
    const direct = (s: Snapshot) =>
      void s.aws.assignments.push({
        accountId: '200000000006',
        permissionSetArn: PU,
        principalType: 'USER',
        principalId: 'i-maria',
      });
    const before = changed(direct);
    const after = changed(direct);
    after.identity.users[4].displayName = 'Maria G';
    const previous = AccessIndex.build({ snapshot: before, version: 1 });
    const options = {
      snapshot: after,
      version: 0,
      previousGapsFirstSeen: previous.gapsFirstSeen,
    };
    const full = AccessIndex.build(options);
    const incremental = AccessIndex.build({ ...options, previous });
    expect(indexText(incremental)).toBe(indexText(full));
    expect(grantsText(full, 'u-maria')).not.toBe(
      grantsText(previous, 'u-maria'),
    );
    expect(incremental.work.rederived).toBe(1);
  });

  it('keeps gap starts current for reused people: the previous ages and the read time', () => {
    const after = changed(s => void (s.identity.changes = []));
    const previous = AccessIndex.build({
      snapshot: miniSnapshot(),
      version: 1,
    });
    const options = { snapshot: after, version: 0, previousGapsFirstSeen: {} };
    const full = AccessIndex.build(options);
    const incremental = AccessIndex.build({ ...options, previous });
    expect(indexText(incremental)).toBe(indexText(full));
    // Without audit entries nor earlier ages, a gap starts at this read: not at the previous one.
    expect(full.personByKey('u-aamir')!.grants[0].since).toBe(after.readAt);
  });

  it('keeps the order of people when one appears in the middle', () => {
    const { full, incremental } = derive(
      changed(s => {
        s.identity.users.splice(1, 0, {
          id: 'u-new',
          userPrincipalName: 'new@example.com',
          mail: 'new@example.com',
          displayName: 'New',
          accountEnabled: true,
        });
        s.identity.groups[0].memberUserIds.unshift('u-new');
      }),
    );
    expect(full.persons.map(p => p.key)).toContain('u-new');
    expect(incremental.work.rederived).toBeLessThan(incremental.work.persons);
  });

  it('chains: an incremental index is the previous one of the next', () => {
    const first = changed(
      s => void s.identity.groups[1].memberUserIds.push('u-aamir'),
    );
    const second = structuredClone(first);
    second.readAt = new Date(Date.parse(first.readAt) + HOUR).toISOString();
    second.aws.groups[1].memberUserIds.push('i-shen');
    const start = AccessIndex.build({ snapshot: miniSnapshot(), version: 1 });
    const middle = AccessIndex.build({
      snapshot: first,
      version: 2,
      previousGapsFirstSeen: start.gapsFirstSeen,
      previous: start,
    });
    const options = {
      snapshot: second,
      version: 0,
      previousGapsFirstSeen: middle.gapsFirstSeen,
    };
    const incremental = AccessIndex.build({ ...options, previous: middle });
    expect(indexText(incremental)).toBe(indexText(AccessIndex.build(options)));
    expect(incremental.work.rederived).toBe(1);
  });
});
