import { miniSnapshot } from './__fixtures__/miniSnapshot';
import type { Snapshot } from './model';
import { SnapshotLookups } from './SnapshotLookups';
import { runAtOnce } from './slices';
import { validateSnapshot, validateSnapshotSliced } from './validateSnapshot';
import { keepNewerReads, keepNewerReadsSliced } from './keepNewerReads';

/*
 * Issue 18: at 100,000 people a pass over every user, group or membership done in one step blocks the event loop
 * for 50–130 ms. Validating a snapshot and indexing its lookups take a step per record in every pass, so the
 * steps are at least the records each pass visits; the result is the one-shot result.
 */

/** The steps a piece of sliced work yields: the event loop can get a turn after each. */
function steps<T>(work: Generator<void, T, void>) {
  let count = 0;
  for (let step = work.next(); !step.done; step = work.next()) count++;
  return count;
}

/** The mini snapshot with `n` more people on each side, each in a few groups, and an assignment to each group. */
function wide(n: number): Snapshot {
  const snapshot = miniSnapshot();
  const { identity, aws } = snapshot;
  const groups = n / 10;
  for (let g = 0; g < groups; g++) {
    identity.groups.push({
      id: `g-${g}`,
      displayName: `Team ${g}`,
      securityEnabled: true,
      memberUserIds: [],
      memberGroupIds: [],
    });
    aws.groups.push({
      id: `ig-${g}`,
      displayName: `Team ${g}`,
      externalId: g % 2 ? `g-${g}` : undefined,
      memberUserIds: [],
    });
    identity.provisioningScope.push({
      principalId: `g-${g}`,
      principalType: 'Group',
    });
    aws.assignments.push({
      accountId: aws.accounts[g % aws.accounts.length].id,
      permissionSetArn: aws.permissionSets[g % 3].arn,
      principalType: 'GROUP',
      principalId: `ig-${g}`,
    });
  }
  for (let i = 0; i < n; i++) {
    const name = `person-${i}`;
    identity.users.push({
      id: `u-${i}`,
      userPrincipalName: `${name}@example.com`,
      displayName: name,
      accountEnabled: true,
    });
    aws.users.push({
      id: `i-${i}`,
      userName: `${name}@example.com`,
      status: 'ENABLED',
      externalId: i % 3 ? `u-${i}` : undefined,
    });
    for (const g of [i % groups, (i * 7) % groups]) {
      identity.groups[4 + g].memberUserIds.push(`u-${i}`);
      aws.groups[3 + g].memberUserIds.push(`i-${i}`);
    }
  }
  snapshot.findings = [
    { code: 'source-partial', message: 'kept', subject: 'x' },
    { code: 'duplicate-id', message: 'dropped', subject: 'y' },
  ];
  return snapshot;
}

const memberships = (groups: Array<{ memberUserIds: string[] }>) =>
  groups.reduce((sum, group) => sum + group.memberUserIds.length, 0);

class Lookups extends SnapshotLookups {
  *fill(snapshot: Snapshot) {
    yield* this.indexSnapshot(snapshot);
  }
}

describe('sliced validation and lookups', () => {
  const snapshot = wide(2_000);
  const { identity, aws } = snapshot;

  it('validates a step per record in every pass, as validating at once does', () => {
    const expected = validateSnapshot(snapshot);
    expect(runAtOnce(validateSnapshotSliced(snapshot))).toEqual(expected);
    expect(expected.findings.map(f => f.code)).toContain('source-partial');
    expect(expected.findings.map(f => f.code)).not.toContain('duplicate-id');
    // Duplicates, each pass: users, groups and accounts deduplicated; permission sets and assignments checked;
    // memberships, users and groups checked for what they point at; the scope; the source's findings.
    const passes =
      identity.users.length +
      identity.groups.length +
      2 * aws.users.length +
      2 * aws.groups.length +
      aws.accounts.length +
      aws.permissionSets.length +
      aws.assignments.length +
      memberships(aws.groups) +
      identity.provisioningScope.length +
      snapshot.findings.length;
    expect(steps(validateSnapshotSliced(snapshot))).toBeGreaterThanOrEqual(
      passes,
    );
  });

  it('indexes and joins a step per record in every pass, as indexing at once does', () => {
    const atOnce = new Lookups();
    runAtOnce(atOnce.fill(snapshot));
    const sliced = new Lookups();
    // Indexing, the join's names and the join: users and groups of both sides twice, and every membership.
    const passes =
      2 * identity.users.length +
      2 * identity.groups.length +
      memberships(identity.groups) +
      identity.provisioningScope.length +
      aws.accounts.length +
      aws.permissionSets.length +
      2 * aws.users.length +
      2 * aws.groups.length +
      memberships(aws.groups) +
      aws.assignments.length;
    expect(steps(sliced.fill(snapshot))).toBeGreaterThanOrEqual(passes);
    // Every person added is joined (by ExternalId or by name), and 3 of the mini organisation's 5.
    for (const lookups of [atOnce, sliced]) {
      expect(lookups.idcUserByIdentityUserId.size).toBe(2_000 + 3);
      expect(lookups.idcGroupByIdentityGroupId.size).toBe(aws.groups.length);
    }
    expect(sliced).toEqual(atOnce);
    expect([...sliced.idcUserByIdentityUserId]).toEqual([
      ...atOnce.idcUserByIdentityUserId,
    ]);
  });

  it('merges a full read with newer commits a step per record, as merging at once does', () => {
    // A targeted refresh committed a renamed user and one more member while the full run read.
    const current = structuredClone(snapshot);
    current.identity.users[10].displayName = 'Renamed by a refresh';
    current.aws.groups[5].memberUserIds.push('i-7');
    const full = structuredClone(snapshot);
    const reads = { base: snapshot, current, full };
    const merged = keepNewerReads(reads);
    expect(merged.identity.users[10].displayName).toBe('Renamed by a refresh');
    expect(merged.aws.groups[5].memberUserIds).toContain('i-7');
    // Keying base and current and walking the full read: three passes over the users and groups of each side.
    const passes =
      3 *
      (identity.users.length +
        identity.groups.length +
        aws.users.length +
        aws.groups.length);
    expect(steps(keepNewerReadsSliced(reads))).toBeGreaterThanOrEqual(passes);
  });
});
