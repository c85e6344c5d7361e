import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { startEmulatorWorld } from '../__testUtils__/emulatorWorld';
import type { Snapshot } from '../snapshot/model';
import { SnapshotStore } from '../store/SnapshotStore';
import { SnapshotCache } from './SnapshotCache';
import { SyncService } from './SyncService';

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

    it('run one at a time: each builds once, on the version the one before committed', async () => {
      const knex = await databases.init(databaseId);
      const store = await SnapshotStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      const cache = SnapshotCache.create({
        store,
        logger: world.logger,
        pollIntervalMs: 60_000,
      });
      const sync = SyncService.create({
        store,
        sources: world.sources,
        logger: world.logger,
        massDeleteThreshold: 0.2,
        massDeleteBrake: true,
        timeoutMs: 60_000,
        runHistoryMs: 86_400_000,
        servedIndex: () => cache.tryCurrent(),
        onCommitted: async (_version, index) => {
          if (index) cache.adopt(index);
        },
      });
      expect(await sync.run()).toMatchObject({ outcome: 'succeeded' });
      const first = (await store.latest())!;
      const [a, b] = first.snapshot.aws.accounts;

      // Three refreshes asked for at once, the first slow to read: before, each built on the same version, and the
      // later ones found their base stale and built (and derived) again.
      const builds: Array<{ reason: string; basedOn: number }> = [];
      const refresh = (reason: string, accountId: string, readMs: number) =>
        sync.commitTargeted({
          reason,
          build: async (current, ctx) => {
            builds.push({ reason, basedOn: ctx.basedOn });
            await new Promise(resolve => setTimeout(resolve, readMs));
            return renamed(current, accountId, reason);
          },
        });
      const results = await Promise.all([
        refresh('first', a.id, 200),
        refresh('second', b.id, 0),
        refresh('third', a.id, 0),
      ]);

      expect(results.map(r => r.run.outcome)).toEqual([
        'succeeded',
        'succeeded',
        'succeeded',
      ]);
      expect(results.map(r => r.version)).toEqual([
        first.version + 1,
        first.version + 2,
        first.version + 3,
      ]);
      expect(builds).toEqual([
        { reason: 'first', basedOn: first.version },
        { reason: 'second', basedOn: first.version + 1 },
        { reason: 'third', basedOn: first.version + 2 },
      ]);
      const latest = (await store.latest())!.snapshot;
      expect(latest.aws.accounts.find(x => x.id === a.id)?.name).toBe('third');
      expect(latest.aws.accounts.find(x => x.id === b.id)?.name).toBe('second');
      // Each left its index served before the next began.
      expect((await cache.tryCurrent())?.version).toBe(first.version + 3);
    });

    it('goes on after a refresh that failed', async () => {
      const knex = await databases.init(databaseId);
      const store = await SnapshotStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      const sync = SyncService.create({
        store,
        sources: world.sources,
        logger: world.logger,
        massDeleteThreshold: 0.2,
        massDeleteBrake: true,
        timeoutMs: 60_000,
        runHistoryMs: 86_400_000,
        onCommitted: async () => {},
      });
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
