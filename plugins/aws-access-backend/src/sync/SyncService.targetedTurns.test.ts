import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { startEmulatorWorld } from '../__testUtils__/emulatorWorld';
import type { Snapshot } from '../snapshot/model';
import { SnapshotStore } from '../store/SnapshotStore';
import { SnapshotCache } from './SnapshotCache';
import { createTestSyncService } from '../__testUtils__/syncService';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** The snapshot with one account renamed: a refresh's whole change. */
function renamed(current: Snapshot, accountId: string, name: string) {
  return {
    ...current,
    aws: {
      ...current.aws,
      accounts: current.aws.accounts.map(a =>
        a.id === accountId ? { ...a, name } : a,
      ),
    },
  };
}

describe.each(databases.eachSupportedId())(
  "a replica's targeted refreshes, on %p",
  databaseId => {
    let world: Awaited<ReturnType<typeof startEmulatorWorld>>;

    beforeEach(async () => {
      world = await startEmulatorWorld();
    });
    afterEach(async () => {
      await world.emulators.close();
    });

    async function syncWithCache() {
      const knex = await databases.init(databaseId);
      const store = await SnapshotStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      const cache = SnapshotCache.create({
        store,
        logger: world.logger,
        pollIntervalMs: 60_000,
      });
      const sync = createTestSyncService(world, {
        store,
        servedIndex: () => cache.tryCurrent(),
        onCommitted: async (_version, index) => {
          if (index) cache.adopt(index);
        },
      });
      expect(await sync.run()).toMatchObject({ outcome: 'succeeded' });
      const first = (await store.latest())!;
      const builds: Array<{ reason: string; basedOn?: number }> = [];
      const refresh = (reason: string, accountId: string, readMs = 0) =>
        sync.commitTargeted({
          reason,
          build: async (current, ctx) => {
            builds.push({ reason, basedOn: ctx.basedOn });
            await new Promise(resolve => setTimeout(resolve, readMs));
            return renamed(current, accountId, reason);
          },
        });
      return { store, cache, sync, first, builds, refresh };
    }

    it('builds refreshes asked for together one on another, and commits them as one version', async () => {
      const { store, cache, first, builds, refresh } = await syncWithCache();
      const [a, b] = first.snapshot.aws.accounts;

      // Before, each built on the same version and the later ones found their base stale, built and derived again;
      // then, in turns, each derived the whole index once.
      const results = await Promise.all([
        refresh('first', a.id, 50),
        refresh('second', b.id),
        refresh('third', a.id),
      ]);

      expect(results.map(r => r.version)).toEqual([
        first.version + 1,
        first.version + 1,
        first.version + 1,
      ]);
      expect(builds).toEqual([
        { reason: 'first', basedOn: first.version },
        { reason: 'second', basedOn: undefined },
        { reason: 'third', basedOn: undefined },
      ]);
      // Each caller keeps its own run, finished with the one version.
      expect(new Set(results.map(r => r.run.id)).size).toBe(3);
      for (const { run } of results)
        expect(run).toMatchObject({
          outcome: 'succeeded',
          trigger: 'targeted',
          snapshotVersion: first.version + 1,
        });
      expect(await store.latestVersion()).toBe(first.version + 1);
      const latest = (await store.latest())!.snapshot;
      expect(latest.aws.accounts.find(x => x.id === a.id)?.name).toBe('third');
      expect(latest.aws.accounts.find(x => x.id === b.id)?.name).toBe('second');
      expect((await cache.tryCurrent())?.version).toBe(first.version + 1);
    });

    it('takes the refreshes asked for during a turn together into the next, on the version it committed', async () => {
      const { first, builds, refresh } = await syncWithCache();
      const [a, b] = first.snapshot.aws.accounts;

      const slow = refresh('slow', a.id, 300);
      await new Promise(resolve => setTimeout(resolve, 100));
      const later = [refresh('second', b.id), refresh('third', a.id)];

      expect((await Promise.all([slow, ...later])).map(r => r.version)).toEqual(
        [first.version + 1, first.version + 2, first.version + 2],
      );
      expect(builds).toEqual([
        { reason: 'slow', basedOn: first.version },
        { reason: 'second', basedOn: first.version + 1 },
        { reason: 'third', basedOn: undefined },
      ]);
    });

    it('commits the others alone when the snapshot built together fails', async () => {
      const { store, sync, first, refresh } = await syncWithCache();
      const [a] = first.snapshot.aws.accounts;
      const [broken, good] = await Promise.all([
        sync.commitTargeted({
          reason: 'broken',
          // A source answer that passed its own read but breaks validation of the whole snapshot.
          build: async current => ({
            ...current,
            aws: { ...current.aws, accounts: null as unknown as [] },
          }),
        }),
        refresh('good', a.id),
      ]);
      expect(broken).toMatchObject({
        run: { outcome: 'failed' },
        version: undefined,
      });
      expect(good).toMatchObject({
        run: { outcome: 'succeeded', snapshotVersion: first.version + 1 },
        version: first.version + 1,
      });
      expect(
        (await store.latest())!.snapshot.aws.accounts.find(x => x.id === a.id)
          ?.name,
      ).toBe('good');
    });

    it('goes on after a refresh that failed', async () => {
      const knex = await databases.init(databaseId);
      const store = await SnapshotStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      const sync = createTestSyncService(world, { store });
      expect(await sync.run()).toMatchObject({ outcome: 'succeeded' });
      const first = (await store.latest())!;
      const [a] = first.snapshot.aws.accounts;
      const [failed, next] = await Promise.all([
        sync.commitTargeted({
          reason: 'fails',
          build: async () => {
            throw new Error('read failed');
          },
        }),
        sync.commitTargeted({
          reason: 'next',
          build: async current => renamed(current, a.id, 'next'),
        }),
      ]);
      expect(failed.run.outcome).toBe('failed');
      expect(next).toMatchObject({
        run: { outcome: 'succeeded' },
        version: first.version + 1,
      });
    });
  },
);
