import { setMaxListeners } from 'node:events';
import { gunzipSync } from 'node:zlib';
import { SCENARIO_SIZES, generateScenario } from '@aws-access/emulators';
import { startEmulatorWorld } from '../__testUtils__/emulatorWorld';
import type { PersonGrant } from '../snapshot/AccessIndex';
import { AccessIndex } from '../snapshot/AccessIndex';
import { withSignOnPortal } from '../snapshot/accessPortal';
import type { Snapshot } from '../snapshot/model';
import { SNAPSHOT_SCHEMA_VERSION } from '../snapshot/model';
import { observeTransitions } from '../snapshot/observations';
import { runAtOnce, runInSlices } from '../snapshot/slices';
import {
  validateSnapshot,
  validateSnapshotSliced,
} from '../snapshot/validateSnapshot';
import { RequestStats } from '../sources/requests/RequestStats';
import { gzipJsonInSlices } from '../store/slicedJson';
import { gunzipJsonInSlices } from '../store/slicedJsonParse';

/*
 * Issue 18: a sync validates, derives, observes and encodes in slices that give the event loop back, and a replica
 * decodes the stored snapshot in slices. On the `large` generated organisation (1,000 accounts, 20,000 people) read
 * through the real readers, every result of the sliced path is byte for byte the result of the same work done at
 * once. The slices here are 1 ms (thousands of pauses) and two derivations run interleaved, so no step can lean on
 * state another step left behind. A derivation given the previous index derives only the people whose inputs
 * changed (personInputs.ts): byte for byte a full derivation's index, after churn of each kind.
 */

// About 3.5 minutes on a loaded 2-core machine (reading 20,000 people through the emulators is half of it).
jest.setTimeout(600_000);

/** What the API serves from an index, as text: any difference in persons, grants, paths or order shows. */
function indexText(index: AccessIndex): string {
  return JSON.stringify({
    persons: index.persons,
    gapsFirstSeen: index.gapsFirstSeen,
    unmanaged: index.unmanaged,
  });
}

/** Every person found again by each of its keys. */
function lookupText(index: AccessIndex): string {
  return JSON.stringify(
    index.persons.map(p => [
      index.personByKey(p.key)?.key,
      index.personsByEntityRef(p.entityRef).map(q => q.key),
      p.identityUser &&
        index.personByUpn(p.identityUser.userPrincipalName)?.key,
      p.identityUser?.mail &&
        index.personsByMail(p.identityUser.mail).map(q => q.key),
      p.idcUser &&
        index.personsByIdcUserName(p.idcUser.userName).map(q => q.key),
    ]),
  );
}

/** The snapshot before: 2 % of Identity Center memberships and assignments missing, so transitions exist. */
function earlier(snapshot: Snapshot): Snapshot {
  return {
    ...snapshot,
    readAt: new Date(Date.parse(snapshot.readAt) - 3_600_000).toISOString(),
    aws: {
      ...snapshot.aws,
      groups: snapshot.aws.groups.map(g => ({
        ...g,
        memberUserIds: g.memberUserIds.filter((_, i) => i % 50 !== 7),
      })),
      assignments: snapshot.aws.assignments.filter((_, i) => i % 50 !== 3),
    },
  };
}

/** One in a hundred of the indexes, a different hundredth for each salt. */
const hundredth = (i: number, salt: number) => (i * 7919 + salt) % 100 === 0;

/** A steady sync's read an hour later: 1 % of the people's memberships and users changed, each kind alike. */
function peopleChurned(snapshot: Snapshot): Snapshot {
  const next = structuredClone(snapshot);
  next.readAt = new Date(Date.parse(snapshot.readAt) + 3_600_000).toISOString();
  const { identity, aws } = next;
  const groupOf = (i: number) =>
    identity.groups[(i * 31) % identity.groups.length];
  identity.groups.forEach((group, g) => {
    group.memberUserIds = group.memberUserIds.filter(
      (_, i) => !hundredth(i + g, 1),
    );
  });
  identity.users.forEach((user, i) => {
    if (hundredth(i, 2)) groupOf(i).memberUserIds.push(user.id);
    if (hundredth(i, 3)) user.accountEnabled = false;
    if (hundredth(i, 4))
      identity.changes.push({
        at: new Date(Date.parse(next.readAt) - 60_000).toISOString(),
        source: 'audit',
        kind: 'member-added',
        userId: user.id,
        groupId: groupOf(i).id,
      });
  });
  aws.groups.forEach((group, g) => {
    group.memberUserIds = group.memberUserIds.filter(
      (_, i) => !hundredth(i + g, 5),
    );
  });
  aws.users.forEach((user, i) => {
    if (hundredth(i, 6))
      aws.groups[(i * 37) % aws.groups.length].memberUserIds.push(user.id);
    if (hundredth(i, 7)) user.status = 'DISABLED';
  });
  const removed = new Set(
    aws.users.filter((_, i) => hundredth(i, 8)).map(u => u.id),
  );
  aws.users = aws.users.filter(user => !removed.has(user.id));
  aws.groups.forEach(group => {
    group.memberUserIds = group.memberUserIds.filter(id => !removed.has(id));
  });
  aws.assignments = aws.assignments.filter(
    a => !(a.principalType === 'USER' && removed.has(a.principalId)),
  );
  return next;
}

/**
 * 1 % of the assignments deleted and as many created, a permission set's definition changed, 1 % of the accounts
 * moved to another OU. A group's assignment reaches all its members: many more people than 1 % change.
 */
function assignmentsChurned(snapshot: Snapshot): Snapshot {
  const next = structuredClone(snapshot);
  next.readAt = new Date(Date.parse(snapshot.readAt) + 3_600_000).toISOString();
  const { aws } = next;
  const created = aws.assignments
    .filter((_, i) => hundredth(i, 9))
    .map((a, i) => ({
      ...a,
      accountId: aws.accounts[(i * 13) % aws.accounts.length].id,
    }));
  aws.assignments = aws.assignments
    .filter((_, i) => !hundredth(i, 10))
    .concat(created);
  aws.permissionSets[0].sessionDuration = 'PT12H';
  aws.accounts.forEach((account, i) => {
    if (hundredth(i, 11)) account.ouPath = `${account.ouPath}/Moved`;
  });
  return next;
}

/** Changes that reach many people: a permission set, an account and a group renamed, a group out of scope. */
function broadlyChanged(snapshot: Snapshot): Snapshot {
  const next = structuredClone(snapshot);
  next.readAt = new Date(Date.parse(snapshot.readAt) + 3_600_000).toISOString();
  next.aws.permissionSets[1].name = `A-${next.aws.permissionSets[1].name}`;
  next.aws.accounts[3].name = `a-${next.aws.accounts[3].name}`;
  next.identity.groups[5].displayName = `${next.identity.groups[5].displayName} (renamed)`;
  next.identity.provisioningScope.splice(2, 1);
  return next;
}

/** How many people's grants differ (gap starts aside) between two indexes. */
function changedPeople(before: AccessIndex, after: AccessIndex): number {
  const text = (grants: PersonGrant[] = []) =>
    JSON.stringify(grants.map(grant => ({ ...grant, since: undefined })));
  return after.persons.filter(
    person =>
      text(before.personByKey(person.key)?.grants) !== text(person.grants),
  ).length;
}

describe('sliced derivation on the large generated organisation', () => {
  let read: Snapshot;

  beforeAll(async () => {
    const world = await startEmulatorWorld({
      scenario: generateScenario(SCENARIO_SIZES.large),
      overrides: { identityCenter: { requestTimeout: { seconds: 30 } } },
    });
    try {
      const now = new Date('2026-12-06T12:00:00.000Z');
      const stats = new RequestStats();
      const signal = new AbortController().signal;
      setMaxListeners(0, signal); // hundreds of requests in flight listen to it, as in a sync
      const ctx = {
        stats,
        signal,
        deadline: Date.now() + 280_000,
        now,
      };
      const [identity, aws] = await Promise.all([
        world.sources.identity!.read(ctx),
        world.sources.aws.read(ctx),
      ]);
      read = {
        schemaVersion: SNAPSHOT_SCHEMA_VERSION,
        readAt: now.toISOString(),
        sidesReadAt: { identity: now.toISOString(), aws: now.toISOString() },
        identity,
        aws: withSignOnPortal(aws, identity),
        gapsFirstSeen: {},
        findings: [],
        stats: stats.snapshot(),
      };
    } finally {
      await world.emulators.close();
    }
  });

  it('gives byte for byte what deriving at once gives', async () => {
    const validated = validateSnapshot(read);
    expect(validated.identity.users.length).toBe(20_000);
    expect(
      JSON.stringify(await runInSlices(validateSnapshotSliced(read), 1)),
    ).toBe(JSON.stringify(validated));

    const before = validateSnapshot(earlier(read));
    const atOnce = {
      previous: AccessIndex.build({ snapshot: before, version: 0 }),
      next: undefined as unknown as AccessIndex,
    };
    atOnce.next = AccessIndex.build({
      snapshot: validated,
      version: 0,
      previousGapsFirstSeen: atOnce.previous.gapsFirstSeen,
    });
    // Interleaved: the previous snapshot's index and the next one's derive at the same time, step by step.
    const [previous, next] = await Promise.all([
      AccessIndex.derive({ snapshot: before, version: 0 }, 1),
      AccessIndex.derive(
        {
          snapshot: validated,
          version: 0,
          previousGapsFirstSeen: atOnce.previous.gapsFirstSeen,
        },
        1,
      ),
    ]);
    expect(atOnce.next.persons.length).toBeGreaterThan(19_000);
    expect(indexText(previous)).toBe(indexText(atOnce.previous));
    expect(indexText(next)).toBe(indexText(atOnce.next));
    expect(lookupText(next)).toBe(lookupText(atOnce.next));

    const observe = (p: AccessIndex, n: AccessIndex) =>
      observeTransitions({
        previous: p,
        next: n,
        at: validated.readAt,
        lookbackMs: 7 * 86_400_000,
      });
    const events = runAtOnce(observe(atOnce.previous, atOnce.next));
    expect(events.length).toBeGreaterThan(1_000);
    expect(JSON.stringify(await runInSlices(observe(previous, next), 1))).toBe(
      JSON.stringify(events),
    );

    // What the store writes: the committed snapshot's JSON, gzipped, written in slices.
    const committed: Snapshot = {
      ...validated,
      gapsFirstSeen: next.gapsFirstSeen,
      syncEvents: events,
    };
    const { data } = await gzipJsonInSlices(committed, 1);
    const text = gunzipSync(data).toString('utf8');
    expect(text).toBe(JSON.stringify(committed));

    // What a replica reads back: the stored text decompressed and parsed in slices is JSON.parse's value, and the
    // index derived from it is the one the committing replica serves.
    const reread = (await gunzipJsonInSlices(data, 1)) as Snapshot;
    expect(JSON.stringify(reread)).toBe(text);
    expect(reread).toStrictEqual(JSON.parse(text));
    const reloaded = await AccessIndex.derive({ snapshot: reread, version: 0 });
    expect(indexText(reloaded)).toBe(indexText(next));
  });

  it('derives incrementally byte for byte what a full derivation gives', () => {
    const first = validateSnapshot(read);
    const previous = AccessIndex.build({ snapshot: first, version: 1 });
    const derive = (snapshot: Snapshot, from: AccessIndex) => {
      const options = {
        snapshot,
        version: 0,
        previousGapsFirstSeen: from.gapsFirstSeen,
      };
      const full = AccessIndex.build(options);
      const incremental = AccessIndex.build({ ...options, previous: from });
      expect(indexText(incremental)).toBe(indexText(full));
      expect(lookupText(incremental)).toBe(lookupText(full));
      const observe = (next: AccessIndex) =>
        JSON.stringify(
          runAtOnce(
            observeTransitions({
              previous: from,
              next,
              at: snapshot.readAt,
              lookbackMs: 7 * 86_400_000,
            }),
          ),
        );
      expect(observe(incremental)).toBe(observe(full));
      return incremental;
    };

    // 1 % churn of each kind of membership and user change: a few percent of the people are derived again.
    const steady = derive(validateSnapshot(peopleChurned(first)), previous);
    expect(steady.work.persons).toBeGreaterThan(19_000);
    expect(steady.work.rederived).toBeGreaterThan(steady.work.persons * 0.01);
    expect(steady.work.rederived).toBeLessThan(steady.work.persons * 0.1);
    // Then assignments: exactly the people whose grants changed are derived again (every member of a group
    // whose assignments changed), from the incremental index.
    const assigned = derive(
      validateSnapshot(assignmentsChurned(steady.snapshot)),
      steady,
    );
    expect(assigned.work.rederived).toBe(changedPeople(steady, assigned));
    // Broad changes: a permission set, an account and a group renamed, a group out of scope.
    const broad = derive(
      validateSnapshot(broadlyChanged(assigned.snapshot)),
      assigned,
    );
    expect(changedPeople(assigned, broad)).toBeGreaterThan(0);
  });
});
