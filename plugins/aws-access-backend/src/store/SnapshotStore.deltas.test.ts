import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Knex } from 'knex';
import { RO, miniSnapshot } from '../snapshot/__fixtures__/miniSnapshot';
import type { Snapshot } from '../snapshot/model';
import { SnapshotStore } from './SnapshotStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const NOW = '2026-11-30T09:00:00.000Z';

/** The mini world with `people` more people on both sides, each with an assignment and a gap age. */
function world(people = 300, prefix = ''): Snapshot {
  const snapshot = miniSnapshot();
  for (let i = 0; i < people; i++) {
    snapshot.identity.users.push({
      id: `${prefix}u-${i}`,
      userPrincipalName: `${prefix}person${i}@example.com`,
      mail: `${prefix}person${i}@example.com`,
      displayName: `Person ${i}`,
      accountEnabled: true,
    });
    snapshot.aws.users.push({
      id: `${prefix}i-${i}`,
      userName: `${prefix}person${i}@example.com`,
      status: 'ENABLED',
      externalId: `${prefix}u-${i}`,
    });
    snapshot.aws.assignments.push({
      accountId: '200000000001',
      permissionSetArn: RO,
      principalType: 'USER',
      principalId: `${prefix}i-${i}`,
    });
    snapshot.gapsFirstSeen[`${prefix}gap-${i}`] = NOW;
  }
  return snapshot;
}

/** A later read: people joined, left and changed, groups reordered, gap ages and scalars changed. */
function churned(base: Snapshot, round: number): Snapshot {
  const next = structuredClone(base);
  next.readAt = `2026-11-30T1${round}:00:00.000Z`;
  next.identity.provisioning = {
    ...next.identity.provisioning,
    status: round % 2 ? 'Paused' : 'Active',
  };
  next.identity.users.splice(10 + round, 1);
  next.identity.users.push({
    id: `u-new-${round}`,
    userPrincipalName: `new${round}@example.com`,
    displayName: `New ${round}`,
    accountEnabled: true,
  });
  next.identity.users[20].displayName = `Renamed in round ${round}`;
  next.identity.groups.reverse();
  next.aws.assignments.splice(40, 2);
  delete next.gapsFirstSeen[`gap-${round}`];
  next.gapsFirstSeen[`gap-new-${round}`] = next.readAt;
  next.stats = { graph: { requests: round, durationMs: 10 * round } };
  return next;
}

async function createStore(
  knex: Knex,
  options: { keepSnapshots?: number; maxDeltaChain?: number } = {},
) {
  return SnapshotStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
    ...options,
  });
}

const sha256 = (text: string) =>
  createHash('sha256').update(text, 'utf8').digest('hex');

describe.each(databases.eachSupportedId())(
  'SnapshotStore deltas on %p',
  (databaseId: TestDatabaseId) => {
    let runs = 0;

    /**
     * Commits each snapshot on the one before (as a sync does), the first on `after` when given (else with no base),
     * returning the versions.
     */
    async function commitChain(
      store: SnapshotStore,
      snapshots: Snapshot[],
      after?: { version: number; snapshot: Snapshot },
    ) {
      const versions: number[] = [];
      let previous = after;
      for (const snapshot of snapshots) {
        const runId = `r${++runs}`;
        await store.startRun({
          id: runId,
          trigger: 'schedule',
          startedAt: NOW,
        });
        const version = await store.commit({
          snapshot,
          kind: 'full',
          runId,
          finishedAt: NOW,
          durationMs: 1,
          requests: {},
          ...(previous && {
            basedOn: previous.version,
            base: previous.snapshot,
          }),
        });
        versions.push(version);
        previous = { version, snapshot };
      }
      return versions;
    }

    const rows = (knex: Knex) =>
      knex('snapshots')
        .orderBy('id')
        .select(
          'id',
          'status',
          'base_version',
          'size_bytes',
          'content_checksum',
        );

    it('stores a sync on the previous version as a small delta and reads back exactly what was committed', async () => {
      const knex = await databases.init(databaseId);
      const store = await createStore(knex);
      const s1 = world();
      const s2 = churned(s1, 1);
      const s3 = churned(s2, 2);
      const [v1, v2, v3] = await commitChain(store, [s1, s2, s3]);

      const stored = await rows(knex);
      expect(stored.map(r => r.base_version)).toEqual([null, v1, v2]);
      const whole = Number(stored[0].size_bytes);
      for (const delta of stored.slice(1))
        expect(Number(delta.size_bytes)).toBeLessThan(whole / 10);
      expect(await store.rawLatest()).toMatchObject({
        id: v3,
        baseVersion: v2,
      });
      expect(await store.storedSize(v3)).toEqual({
        sizeBytes: Number(stored[2].size_bytes),
        baseVersion: v2,
        wholeVersion: v1,
        wholeSizeBytes: whole,
      });

      // Another replica (nothing in memory) rebuilds each version from the stored chain.
      const replica = await createStore(knex);
      for (const [version, snapshot] of [
        [v1, s1],
        [v2, s2],
        [v3, s3],
      ] as const) {
        const read = (await replica.byVersion(version))!;
        expect(read.snapshot).toEqual(snapshot);
        // Same JSON text, member order and array order included: the checksum of what was committed.
        expect(JSON.stringify(read.snapshot)).toBe(JSON.stringify(snapshot));
        expect(sha256(JSON.stringify(read.snapshot))).toBe(
          stored.find(r => r.id === version)!.content_checksum,
        );
      }
      expect((await replica.latest())?.version).toBe(v3);
      // A replica of an earlier version reads `committed` rows only: it keeps serving the whole version.
      expect(stored.map(r => r.status)).toEqual([
        'committed',
        'delta',
        'delta',
      ]);
    });

    it('reads only the delta when the base version is held in memory', async () => {
      const knex = await databases.init(databaseId);
      const store = await createStore(knex);
      const s1 = world();
      const s2 = churned(s1, 1);
      const [v1, v2] = await commitChain(store, [s1, s2]);
      const replica = await createStore(knex);
      const served = (await replica.byVersion(v1))!;
      // The whole row is gone: only the snapshot held in memory can be the base.
      await knex('snapshots')
        .where({ id: v1 })
        .update({ data: gzipSync('{}') });

      const read = await replica.byVersion(v2, served);
      expect(JSON.stringify(read?.snapshot)).toBe(JSON.stringify(s2));
      await expect((await createStore(knex)).byVersion(v2)).rejects.toThrow(
        `Snapshot ${v1} is corrupt`,
      );
    });

    it('refuses a delta whose patch was tampered with, naming the versions', async () => {
      const knex = await databases.init(databaseId);
      const store = await createStore(knex);
      const s1 = world();
      const [v1, v2] = await commitChain(store, [s1, churned(s1, 1)]);
      const row = await knex('snapshots').where({ id: v2 }).first();
      // A plausible patch with a consistent row checksum: the new person's name is changed.
      const text = gunzipSync(row.data)
        .toString('utf8')
        .replace('New 1', 'Mallory');
      expect(text).toContain('Mallory');
      const data = gzipSync(text);
      await knex('snapshots')
        .where({ id: v2 })
        .update({
          data,
          checksum: createHash('sha256').update(data).digest('hex'),
        });

      const replica = await createStore(knex);
      await expect(replica.latest()).rejects.toThrow(
        `Snapshot ${v2} is corrupt: rebuilt from version ${v1}`,
      );
      // Not even with the base in memory.
      const base = (await replica.byVersion(v1))!;
      await expect(replica.byVersion(v2, base)).rejects.toThrow(
        `Snapshot ${v2} is corrupt`,
      );
    });

    it('writes whole after maxDeltaChain deltas, and prunes nothing a kept delta is stored against', async () => {
      const knex = await databases.init(databaseId);
      const store = await createStore(knex, {
        keepSnapshots: 2,
        maxDeltaChain: 3,
      });
      const snapshots = [world()];
      for (let round = 1; round < 6; round++)
        snapshots.push(churned(snapshots[round - 1], round));
      const versions = await commitChain(store, snapshots.slice(0, 4));

      // Retention is 2, but the two kept versions are deltas on the two before.
      expect((await rows(knex)).map(r => [r.id, r.base_version])).toEqual([
        [versions[0], null],
        [versions[1], versions[0]],
        [versions[2], versions[1]],
        [versions[3], versions[2]],
      ]);
      const replica = await createStore(knex);
      expect(JSON.stringify((await replica.latest())?.snapshot)).toBe(
        JSON.stringify(snapshots[3]),
      );

      // The fourth delta would make a chain of four: stored whole; then the old chain is no longer needed.
      versions.push(
        ...(await commitChain(store, snapshots.slice(4, 6), {
          version: versions[3],
          snapshot: snapshots[3],
        })),
      );
      expect((await rows(knex)).map(r => [r.id, r.base_version])).toEqual([
        [versions[4], null],
        [versions[5], versions[4]],
      ]);
      expect(JSON.stringify((await replica.latest())?.snapshot)).toBe(
        JSON.stringify(snapshots[5]),
      );
    });

    it('stores whole when the change is large or the base is not the version this process holds', async () => {
      const knex = await databases.init(databaseId);
      const store = await createStore(knex);
      const s1 = world();
      // Another organisation twice the size: the delta would be larger than the whole row it is chained to.
      const s2 = world(600, 'other-');
      const s3 = churned(s2, 1);
      const [, v2] = await commitChain(store, [s1, s2]);
      await store.startRun({ id: 'r3', trigger: 'schedule', startedAt: NOW });
      await store.commit({
        snapshot: s3,
        kind: 'full',
        runId: 'r3',
        finishedAt: NOW,
        durationMs: 1,
        requests: {},
        basedOn: v2,
        base: structuredClone(s2), // equal, but not what the store wrote or read
      });
      expect((await rows(knex)).map(r => r.base_version)).toEqual([
        null,
        null,
        null,
      ]);
    });
  },
);
