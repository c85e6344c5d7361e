import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { miniSnapshot } from '../snapshot/__fixtures__/miniSnapshot';
import snapshotV1 from '../snapshot/__fixtures__/snapshot-v1.json';
import { upgradeSnapshot } from '../snapshot/upgradeSnapshot';
import { SnapshotStore } from './SnapshotStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

async function createStore(databaseId: TestDatabaseId, keepSnapshots?: number) {
  const knex = await databases.init(databaseId);
  const store = await SnapshotStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
    keepSnapshots,
  });
  return { knex, store };
}

const run = (id: string) => ({
  id,
  trigger: 'schedule' as const,
  startedAt: '2026-11-30T09:00:00.000Z',
});
const finish = {
  finishedAt: '2026-11-30T09:01:00.000Z',
  durationMs: 60_000,
  requests: { 'sso-admin': 12 },
};

describe.each(databases.eachSupportedId())(
  'SnapshotStore on %p',
  databaseId => {
    it('serves nothing before the first commit', async () => {
      const { store } = await createStore(databaseId);
      await expect(store.latestVersion()).resolves.toBeUndefined();
      await expect(store.latest()).resolves.toBeUndefined();
    });

    it('commits a snapshot with its run in one step and reads it back intact', async () => {
      const { store } = await createStore(databaseId);
      await store.startRun(run('r1'));
      const version = await store.commit({
        snapshot: miniSnapshot(),
        kind: 'full',
        runId: 'r1',
        ...finish,
      });

      expect(await store.latestVersion()).toBe(version);
      const latest = await store.latest();
      expect(latest?.snapshot).toEqual(miniSnapshot());
      const [r1] = await store.recentRuns();
      expect(r1).toMatchObject({
        id: 'r1',
        outcome: 'succeeded',
        snapshotVersion: version,
        requests: { 'sso-admin': 12 },
      });
      expect(r1.counts).toMatchObject({ accounts: 4, assignments: 6 });
    });

    it('leaves the served snapshot byte-for-byte unchanged when a run fails', async () => {
      const { store } = await createStore(databaseId);
      await store.startRun(run('r1'));
      await store.commit({
        snapshot: miniSnapshot(),
        kind: 'full',
        runId: 'r1',
        ...finish,
      });
      const before = await store.rawLatest();

      await store.startRun(run('r2'));
      await store.finishRun('r2', {
        outcome: 'failed',
        finishedAt: finish.finishedAt,
        durationMs: 5,
        error: {
          source: 'sso-admin',
          class: 'ThrottlingException',
          message: 'Rate exceeded',
        },
      });

      expect(await store.rawLatest()).toEqual(before);
      expect((await store.recentRuns()).find(r => r.id === 'r2')).toMatchObject(
        {
          outcome: 'failed',
          error: { source: 'sso-admin', class: 'ThrottlingException' },
        },
      );
    });

    it('keeps a held snapshot out of service until approved, then serves what the approval commits as a new version', async () => {
      const { store } = await createStore(databaseId);
      await store.startRun(run('r1'));
      const v1 = await store.commit({
        snapshot: miniSnapshot(),
        kind: 'full',
        runId: 'r1',
        ...finish,
      });

      const shrunk = miniSnapshot();
      shrunk.aws.assignments = shrunk.aws.assignments.slice(0, 2);
      await store.startRun(run('r2'));
      const heldId = await store.hold({
        snapshot: shrunk,
        kind: 'full',
        reasons: ['assignments drop 67 %'],
        runId: 'r2',
        ...finish,
        basedOn: v1,
      });

      expect(await store.latestVersion()).toBe(v1);
      expect(await store.held()).toMatchObject({
        reasons: ['assignments drop 67 %'],
        counts: { assignments: 2 },
        previousCounts: { assignments: 6 },
        previousVersion: v1,
      });
      // Whole, as its run read it, with the version that run read on top of.
      expect(await store.heldRead()).toEqual({
        id: heldId,
        kind: 'full',
        basedOn: v1,
        snapshot: shrunk,
      });

      // The service approves with the held read merged and derived on the latest version (SyncService).
      const approved = structuredClone(shrunk);
      approved.readAt = '2026-11-30T09:05:00.000Z';
      const approval = {
        snapshot: approved,
        kind: 'full' as const,
        runId: 'r3',
        ...finish,
        requests: {},
        basedOn: v1,
        heldId,
      };
      await store.startRun({ ...run('r3'), trigger: 'approval' });
      const v2 = await store.approveHeld(approval);
      expect(v2).toBeGreaterThan(v1);
      expect(await store.latestVersion()).toBe(v2);
      expect((await store.latest())?.snapshot).toEqual(approved);
      expect(await store.held()).toBeUndefined();
      expect(await store.heldRead()).toBeUndefined();
      expect((await store.recentRuns()).find(r => r.id === 'r3')).toMatchObject(
        { outcome: 'succeeded', snapshotVersion: v2, trigger: 'approval' },
      );
      // Approved once: the same approval again commits nothing.
      expect(
        await store.approveHeld({ ...approval, basedOn: v2 }),
      ).toBeUndefined();
      expect(await store.latestVersion()).toBe(v2);
    });

    it('keeps a held snapshot waiting through targeted commits, and lets a full commit supersede it', async () => {
      const { store } = await createStore(databaseId);
      await store.startRun(run('r1'));
      const v1 = await store.commit({
        snapshot: miniSnapshot(),
        kind: 'full',
        runId: 'r1',
        ...finish,
      });
      const shrunk = miniSnapshot();
      shrunk.aws.assignments = shrunk.aws.assignments.slice(0, 2);
      await store.startRun(run('r2'));
      const heldId = await store.hold({
        snapshot: shrunk,
        kind: 'full',
        reasons: ['assignments drop 67 %'],
        runId: 'r2',
        ...finish,
        basedOn: v1,
      });

      await store.startRun({ ...run('r3'), trigger: 'targeted' });
      const v2 = await store.commit({
        snapshot: miniSnapshot(),
        kind: 'targeted',
        runId: 'r3',
        ...finish,
        basedOn: v1,
      });
      expect(await store.heldRead()).toMatchObject({ id: heldId, basedOn: v1 });

      await store.startRun(run('r4'));
      await store.commit({
        snapshot: miniSnapshot(),
        kind: 'full',
        runId: 'r4',
        ...finish,
        basedOn: v2,
      });
      expect(await store.heldRead()).toBeUndefined();
      await store.startRun({ ...run('r5'), trigger: 'approval' });
      expect(
        await store.approveHeld({
          snapshot: shrunk,
          kind: 'full',
          runId: 'r5',
          ...finish,
          heldId,
        }),
      ).toBeUndefined();
    });

    it('keeps the version a held snapshot was read on while it waits, beyond the retention', async () => {
      const { store } = await createStore(databaseId, 2);
      await store.startRun(run('r1'));
      const v1 = await store.commit({
        snapshot: miniSnapshot(),
        kind: 'full',
        runId: 'r1',
        ...finish,
      });
      await store.startRun(run('r2'));
      await store.hold({
        snapshot: miniSnapshot(),
        kind: 'full',
        reasons: ['assignments drop 67 %'],
        runId: 'r2',
        ...finish,
        basedOn: v1,
      });
      let latest = v1;
      for (const id of ['t1', 't2', 't3']) {
        await store.startRun({ ...run(id), trigger: 'targeted' });
        latest = await store.commit({
          snapshot: miniSnapshot(),
          kind: 'targeted',
          runId: id,
          ...finish,
          basedOn: latest,
        });
      }

      expect((await store.byVersion(v1))?.snapshot).toEqual(miniSnapshot());
      expect(await store.byVersion(latest - 2)).toBeUndefined();
    });

    it('prunes old committed snapshots beyond the retention', async () => {
      const { knex, store } = await createStore(databaseId, 2);
      for (const id of ['a', 'b', 'c']) {
        await store.startRun(run(id));
        await store.commit({
          snapshot: miniSnapshot(),
          kind: 'full',
          runId: id,
          ...finish,
        });
      }
      const rows = await knex('snapshots')
        .where({ status: 'committed' })
        .count({ n: '*' });
      expect(Number(rows[0].n)).toBe(2);
    });

    it('refuses to decode a snapshot whose data was tampered with', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.startRun(run('r1'));
      const version = await store.commit({
        snapshot: miniSnapshot(),
        kind: 'full',
        runId: 'r1',
        ...finish,
      });
      await knex('snapshots')
        .where({ id: version })
        .update({ checksum: '0'.repeat(64) });
      await expect(store.latest()).rejects.toThrow(/corrupt/);
    });

    it('reads a snapshot the previous version stored (entra side, delta links on top) in the current shape', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.startRun(run('r1'));
      const version = await store.commit({
        snapshot: miniSnapshot(),
        kind: 'full',
        runId: 'r1',
        ...finish,
      });
      // The row as version 1 wrote it: the old JSON, gzipped, with its checksum.
      const data = gzipSync(Buffer.from(JSON.stringify(snapshotV1), 'utf8'));
      await knex('snapshots')
        .where({ id: version })
        .update({
          data,
          checksum: createHash('sha256').update(data).digest('hex'),
        });

      const latest = await store.latest();
      expect(latest?.version).toBe(version);
      expect(latest?.snapshot).toEqual(upgradeSnapshot(snapshotV1));
      expect(latest?.snapshot.identity.users).toEqual(snapshotV1.entra.users);
      expect(latest?.snapshot).not.toHaveProperty('entra');
      expect(
        (await store.byVersion(version))?.snapshot.identity.cursor,
      ).toEqual(snapshotV1.graphDelta);
    });

    it('closes runs a dead process left running', async () => {
      const { store } = await createStore(databaseId);
      await store.startRun(run('dead'));
      expect(
        await store.failAbandonedRuns(
          '2026-11-30T10:00:00.000Z',
          '2026-11-30T10:00:00.000Z',
        ),
      ).toBe(1);
      expect((await store.recentRuns())[0]).toMatchObject({
        outcome: 'failed',
        error: { class: 'abandoned' },
      });
    });
  },
);
