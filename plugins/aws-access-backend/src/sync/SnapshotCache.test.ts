import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { AccessIndex } from '../snapshot/AccessIndex';
import { miniSnapshot } from '../snapshot/__fixtures__/miniSnapshot';
import type { Snapshot } from '../snapshot/model';
import { SnapshotStore } from '../store/SnapshotStore';
import { SnapshotCache } from './SnapshotCache';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const NOW = '2026-11-30T09:00:00.000Z';

async function setup() {
  const knex = await databases.init('SQLITE_3');
  const store = await SnapshotStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  const cache = SnapshotCache.create({
    store,
    logger: mockServices.logger.mock(),
    pollIntervalMs: 60_000,
  });
  const commit = async (runId: string) => {
    await store.startRun({
      id: runId,
      trigger: 'schedule',
      startedAt: '2026-11-30T09:00:00.000Z',
    });
    const snapshot = miniSnapshot();
    const version = await store.commit({
      snapshot,
      kind: 'full',
      runId,
      finishedAt: '2026-11-30T09:01:00.000Z',
      durationMs: 1,
      requests: {},
    });
    return AccessIndex.build({ snapshot, version: 0 }).markCommitted(
      version,
      snapshot,
    );
  };
  return { store, cache, commit };
}

describe('SnapshotCache', () => {
  it('serves an index a local sync hands over without reading the snapshot back', async () => {
    const { store, cache, commit } = await setup();
    const first = await commit('r1');
    expect((await cache.tryCurrent())?.version).toBe(first.version);

    const second = await commit('r2');
    const reads = jest.spyOn(store, 'byVersion');
    cache.adopt(second);
    expect(await cache.tryCurrent()).toBe(second);
    expect(reads).not.toHaveBeenCalled();

    // A late hand-over of an older version never replaces a newer one.
    cache.adopt(first);
    expect(await cache.tryCurrent()).toBe(second);
  });

  it("loads another replica's delta on the version it serves by reading only the delta", async () => {
    const knex = await databases.init('SQLITE_3');
    const database = mockServices.database({
      knex,
      migrations: { skip: false },
    });
    const writer = await SnapshotStore.create({ database });
    const store = await SnapshotStore.create({ database });
    const cache = SnapshotCache.create({
      store,
      logger: mockServices.logger.mock(),
      pollIntervalMs: 0,
    });
    const commit = async (
      runId: string,
      snapshot: Snapshot,
      base?: { version: number; snapshot: Snapshot },
    ) => {
      await writer.startRun({ id: runId, trigger: 'schedule', startedAt: NOW });
      return writer.commit({
        snapshot,
        kind: 'full',
        runId,
        finishedAt: NOW,
        durationMs: 1,
        requests: {},
        ...(base && { basedOn: base.version, base: base.snapshot }),
      });
    };
    const first = miniSnapshot();
    const v1 = await commit('r1', first);
    expect((await cache.tryCurrent())?.version).toBe(v1);

    const second = structuredClone(first);
    second.readAt = '2026-11-30T10:00:00.000Z';
    second.identity.users[0].displayName = 'Aamir (renamed)';
    const v2 = await commit('r2', second, { version: v1, snapshot: first });
    expect((await writer.rawLatest())?.baseVersion).toBe(v1);
    // The version served so far can no longer be read from the database: only the one in memory can be the base.
    await knex('snapshots')
      .where({ id: v1 })
      .update({ checksum: '0'.repeat(64) });

    const served = (await cache.tryCurrent())!;
    expect(served.version).toBe(v2);
    expect(JSON.stringify(served.snapshot)).toBe(JSON.stringify(second));
  });

  it('refuses an index that was never committed', async () => {
    const { cache } = await setup();
    expect(() =>
      cache.adopt(AccessIndex.build({ snapshot: miniSnapshot(), version: 0 })),
    ).toThrow(/committed/);
  });

  it('marks an index committed once, and only with its own snapshot', () => {
    const snapshot = miniSnapshot();
    const index = AccessIndex.build({ snapshot, version: 0 });
    expect(() =>
      index.markCommitted(3, {
        ...snapshot,
        readAt: '2020-01-01T00:00:00.000Z',
      }),
    ).toThrow(/another snapshot/);
    const stored = { ...snapshot, syncEvents: [] };
    expect(index.markCommitted(3, stored)).toBe(index);
    expect(index.snapshot).toBe(stored);
    expect(() => index.markCommitted(4, stored)).toThrow(/already committed/);
  });
});
