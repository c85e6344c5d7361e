import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { SyncRun } from '@aws-access/plugin-aws-access-common';
import { startEmulatorWorld } from '../__testUtils__/emulatorWorld';
import { createTestSyncService } from '../__testUtils__/syncService';
import type { Snapshot } from '../snapshot/model';
import { RequestStats } from '../sources/requests/RequestStats';
import { SourceError } from '../sources/requests/SourceError';
import { SnapshotStore } from '../store/SnapshotStore';
import { IdentityRefresh } from './IdentityRefresh';
import { SnapshotCache } from './SnapshotCache';
import type { SyncService } from './SyncService';

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

const nameOf = (snapshot: Snapshot, accountId: string) =>
  snapshot.aws.accounts.find(a => a.id === accountId)?.name;

/** Opened from outside; `entered` settles when the first build reaches it. */
function gate() {
  let open!: () => void;
  let enter!: () => void;
  const opened = new Promise<void>(resolve => {
    open = resolve;
  });
  const entered = new Promise<void>(resolve => {
    enter = resolve;
  });
  return {
    open,
    entered,
    pass: () => {
      enter();
      return opened;
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
      /** A refresh renaming an account, after `before` (a gate to pass, a full sync to run) when given. */
      const refresh = (
        reason: string,
        accountId: string,
        before?: (current: Snapshot) => Promise<unknown>,
      ) =>
        sync.commitTargeted({
          reason,
          build: async (current, ctx) => {
            builds.push({ reason, basedOn: ctx.basedOn });
            await before?.(current);
            return renamed(current, accountId, reason);
          },
        });
      return { store, cache, sync, first, builds, refresh };
    }

    it('should build refreshes asked for together one on another, and commit them as one version', async () => {
      const { store, cache, first, builds, refresh } = await syncWithCache();
      const [a, b] = first.snapshot.aws.accounts;

      // Before, each built on the same version and the later ones found their base stale, built and derived again;
      // then, in turns, each derived the whole index once.
      const results = await Promise.all([
        refresh('first', a.id),
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
      expect(nameOf(latest, a.id)).toBe('third');
      expect(nameOf(latest, b.id)).toBe('second');
      expect((await cache.tryCurrent())?.version).toBe(first.version + 1);
    });

    it('should record each run of a turn with its own requests', async () => {
      const { sync, first } = await syncWithCache();
      const [a, b] = first.snapshot.aws.accounts;
      const counted = (source: 'graph' | 'sso-admin', n: number) => {
        const stats = new RequestStats();
        for (let i = 0; i < n; i++) stats.request(source, 'Read');
        return stats;
      };
      const [graph, ssoAdmin] = await Promise.all([
        sync.commitTargeted({
          reason: 'graph',
          stats: counted('graph', 2),
          build: async current => renamed(current, a.id, 'graph'),
        }),
        sync.commitTargeted({
          reason: 'sso-admin',
          stats: counted('sso-admin', 3),
          build: async current => renamed(current, b.id, 'sso-admin'),
        }),
      ]);
      expect(graph.version).toBe(ssoAdmin.version);
      expect(graph.run.requests).toEqual({ graph: 2 });
      expect(ssoAdmin.run.requests).toEqual({ 'sso-admin': 3 });
    });

    it('should take the refreshes asked for during a turn together into the next, on the version it committed', async () => {
      const { first, builds, refresh } = await syncWithCache();
      const [a, b] = first.snapshot.aws.accounts;
      const held = gate();

      const slow = refresh('slow', a.id, held.pass);
      await held.entered;
      const later = [refresh('second', b.id), refresh('third', a.id)];
      held.open();

      expect((await Promise.all([slow, ...later])).map(r => r.version)).toEqual(
        [first.version + 1, first.version + 2, first.version + 2],
      );
      expect(builds).toEqual([
        { reason: 'slow', basedOn: first.version },
        { reason: 'second', basedOn: first.version + 1 },
        { reason: 'third', basedOn: undefined },
      ]);
    });

    it('should build a turn again on the version a full sync committed meanwhile', async () => {
      const { store, sync, first, builds, refresh } = await syncWithCache();
      const [a, b] = first.snapshot.aws.accounts;
      const fullRuns: SyncRun[] = [];
      const [one, two] = await Promise.all([
        refresh('one', a.id),
        // The first time through, a full sync commits before the turn does: its base is stale.
        refresh('two', b.id, async () => {
          if (fullRuns.length === 0) fullRuns.push(await sync.run());
        }),
      ]);
      expect(fullRuns).toMatchObject([{ outcome: 'succeeded' }]);
      const full = first.version + 1;
      expect([one.version, two.version]).toEqual([full + 1, full + 1]);
      expect(builds).toEqual([
        { reason: 'one', basedOn: first.version },
        { reason: 'two', basedOn: undefined },
        { reason: 'one', basedOn: full },
        { reason: 'two', basedOn: undefined },
      ]);
      const latest = (await store.latest())!.snapshot;
      expect([nameOf(latest, a.id), nameOf(latest, b.id)]).toEqual([
        'one',
        'two',
      ]);
    });

    it('should fail only the refresh whose build failed, and go on', async () => {
      const { sync, first } = await syncWithCache();
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
      expect(failed.run).toMatchObject({
        outcome: 'failed',
        error: { message: 'read failed' },
      });
      expect(next).toMatchObject({
        run: { outcome: 'succeeded' },
        version: first.version + 1,
      });
    });

    it('should build alone again a refresh that failed on top of another, but not one its source failed', async () => {
      const { store, sync, first, refresh } = await syncWithCache();
      const [a, b] = first.snapshot.aws.accounts;
      let onTopBuilds = 0;
      let sourceBuilds = 0;
      const [ok, onTop, source] = await Promise.all([
        refresh('ok', a.id),
        sync.commitTargeted({
          reason: 'fails on top of another',
          build: async (current, ctx) => {
            onTopBuilds++;
            if (ctx.basedOn === undefined)
              throw new Error('needs a committed version to build on');
            return renamed(current, b.id, 'alone');
          },
        }),
        sync.commitTargeted({
          reason: 'source fails',
          build: async () => {
            sourceBuilds++;
            throw new SourceError({
              source: 'sso-admin',
              errorClass: 'throttled',
              message: 'rate exceeded',
            });
          },
        }),
      ]);
      expect(ok.version).toBe(first.version + 1);
      expect(onTop).toMatchObject({
        run: { outcome: 'succeeded' },
        version: first.version + 2,
      });
      expect(onTopBuilds).toBe(2);
      expect(source.run).toMatchObject({
        outcome: 'failed',
        error: { source: 'sso-admin', class: 'throttled' },
      });
      expect(sourceBuilds).toBe(1);
      const latest = (await store.latest())!.snapshot;
      expect([nameOf(latest, a.id), nameOf(latest, b.id)]).toEqual([
        'ok',
        'alone',
      ]);
    });

    it('should commit the others alone when the snapshot built together fails', async () => {
      const { store, sync, first, builds, refresh } = await syncWithCache();
      const [a, b] = first.snapshot.aws.accounts;
      const [broken, good] = await Promise.all([
        sync.commitTargeted({
          reason: 'broken',
          // A source answer that passed its own read but breaks validation of the whole snapshot.
          build: async current => ({
            ...current,
            aws: { ...current.aws, permissionSets: null as unknown as [] },
          }),
        }),
        refresh('good', b.id),
      ]);
      expect(broken).toMatchObject({
        run: { outcome: 'failed' },
        version: undefined,
      });
      expect(good).toMatchObject({
        run: { outcome: 'succeeded', snapshotVersion: first.version + 1 },
        version: first.version + 1,
      });
      // Built on broken's result first, then alone.
      expect(builds).toEqual([
        { reason: 'good', basedOn: undefined },
        { reason: 'good', basedOn: first.version },
      ]);
      const latest = (await store.latest())!.snapshot;
      expect(nameOf(latest, b.id)).toBe('good');
      expect(nameOf(latest, a.id)).toBe(nameOf(first.snapshot, a.id));
    });

    it("should keep the Entra refresh's read when a refresh before it in its turn changed only AWS", async () => {
      const { store, sync, first, refresh } = await syncWithCache();
      const [a] = first.snapshot.aws.accounts;
      let identityReads = 0;
      const identity = world.sources.identity!;
      const asked: Promise<unknown>[] = [];
      const entra = new IdentityRefresh({
        identity: {
          read: (ctx, previous) => {
            identityReads++;
            return identity.read(ctx, previous);
          },
        },
        // Records when the refresh asks for its turn.
        sync: {
          latest: () => sync.latest(),
          commitTargeted: options => {
            const result = sync.commitTargeted(options);
            asked.push(result);
            return result;
          },
        } as Pick<SyncService, 'latest' | 'commitTargeted'>,
        store,
        logger: world.logger,
        everyMs: 60_000,
        timeoutMs: 90_000,
      });
      await world.emulators.control.addGroupMember(
        'AWS-Developers-PowerUser',
        'tom@example.com',
      );

      // A turn that commits nothing holds the next; an AWS-only refresh asks first, then the Entra refresh.
      const held = gate();
      const blocker = sync.commitTargeted({
        reason: 'blocker',
        build: async () => {
          await held.pass();
          throw new Error('commits nothing');
        },
      });
      await held.entered;
      const aws = refresh('aws', a.id);
      const committed = entra.run();
      while (asked.length === 0)
        await new Promise(resolve => setImmediate(resolve));
      held.open();

      expect(await committed).toEqual({
        kind: 'committed',
        version: first.version + 1,
      });
      expect((await aws).version).toBe(first.version + 1);
      expect((await blocker).run.outcome).toBe('failed');
      // Built on the AWS refresh's result, on the identity side it read from: no second read.
      expect(identityReads).toBe(1);
      const latest = (await store.latest())!.snapshot;
      expect(nameOf(latest, a.id)).toBe('aws');
      const tom = latest.identity.users.find(
        u => u.userPrincipalName === 'tom@example.com',
      )!;
      expect(
        latest.identity.groups.find(
          g => g.displayName === 'AWS-Developers-PowerUser',
        )?.memberUserIds,
      ).toContain(tom.id);
    });
  },
);
