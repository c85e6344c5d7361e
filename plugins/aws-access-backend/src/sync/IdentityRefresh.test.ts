import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { maxListenersOf } from '../__testUtils__/maxListenersOf';
import type { IdentityRefreshStatus } from '@aws-access/plugin-aws-access-common';
import { startEmulatorWorld } from '../__testUtils__/emulatorWorld';
import { createTestSyncService } from '../__testUtils__/syncService';
import type { Snapshot } from '../snapshot/model';
import type { IdentitySource } from '../sources/ports';
import { SnapshotStore } from '../store/SnapshotStore';
import { IdentityRefresh } from './IdentityRefresh';

/*
 * Entra's own refresh against the emulated tenant and AWS, on each database: a membership added in Entra shows
 * after a refresh that made no AWS call; a failed Graph read changes nothing and loses nothing; the refresh waits
 * while a full sync reads; nothing changed commits nothing; and a snapshot committed meanwhile (change events) is
 * built on, never undone.
 */

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

type World = Awaited<ReturnType<typeof startEmulatorWorld>>;

const AWS_SERVICES = ['sso-admin', 'identitystore', 'organizations', 'sts'];

async function setUp(
  world: World,
  databaseId: any,
  identity: Pick<IdentitySource, 'read'> = world.sources.identity!,
) {
  const knex = await databases.init(databaseId);
  const store = await SnapshotStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  const sync = createTestSyncService(world, { store });
  const refresh = new IdentityRefresh({
    identity,
    sync,
    store,
    logger: world.logger,
    everyMs: 60_000,
    timeoutMs: 90_000,
  });
  expect(await sync.run()).toMatchObject({ outcome: 'succeeded' });
  return { store, sync, refresh };
}

const latest = async (store: SnapshotStore) => (await store.latest())!;

/** Whether the snapshot's identity side has the user (by UPN) directly in the group (by name). */
function inGroup(snapshot: Snapshot, upn: string, groupName: string) {
  const user = snapshot.identity.users.find(u => u.userPrincipalName === upn)!;
  const group = snapshot.identity.groups.find(
    g => g.displayName === groupName,
  )!;
  return group.memberUserIds.includes(user.id);
}

async function awsCalls(world: World) {
  const { totals } = await world.emulators.control.getCounters();
  return Object.fromEntries(AWS_SERVICES.map(s => [s, totals[s] ?? 0]));
}

const refreshStatus = async (store: SnapshotStore) =>
  (await store.changeEventStatus())['identity-refresh'] as
    | Omit<IdentityRefreshStatus, 'everySeconds'>
    | undefined;

describe.each(databases.eachSupportedId())(
  'Entra refresh on %p',
  databaseId => {
    let world: World;

    beforeEach(async () => {
      world = await startEmulatorWorld({
        overrides: {
          retries: { maxAttempts: 2, baseDelay: { milliseconds: 1 } },
        },
      });
    });
    afterEach(() => world.emulators.close());

    it('should show a membership added in Entra after a refresh, without any AWS call', async () => {
      const { store, refresh } = await setUp(world, databaseId);
      const before = await latest(store);
      expect(
        inGroup(before.snapshot, 'tom@example.com', 'AWS-Developers-PowerUser'),
      ).toBe(false);
      await world.emulators.control.addGroupMember(
        'AWS-Developers-PowerUser',
        'tom@example.com',
      );
      await world.emulators.control.resetCounters();

      const outcome = await refresh.run();

      expect(outcome).toEqual({
        kind: 'committed',
        version: before.version + 1,
      });
      expect(await awsCalls(world)).toEqual({
        'sso-admin': 0,
        identitystore: 0,
        organizations: 0,
        sts: 0,
      });
      expect(
        (await world.emulators.control.getCounters()).totals.graph,
      ).toBeGreaterThan(0);
      const after = await latest(store);
      expect(after.kind).toBe('targeted');
      expect(
        inGroup(after.snapshot, 'tom@example.com', 'AWS-Developers-PowerUser'),
      ).toBe(true);
      // The AWS side is the one the full sync read, and so is its read time; the identity side's moved.
      expect(after.snapshot.aws).toEqual(before.snapshot.aws);
      expect(after.snapshot.sidesReadAt.aws).toBe(
        before.snapshot.sidesReadAt.aws,
      );
      expect(Date.parse(after.snapshot.sidesReadAt.identity)).toBeGreaterThan(
        Date.parse(before.snapshot.sidesReadAt.identity),
      );
      // The delta round's observation of the change is kept for the timeline.
      expect(after.snapshot.identity.changes).toContainEqual(
        expect.objectContaining({ kind: 'member-added', source: 'delta' }),
      );
      expect(await refreshStatus(store)).toEqual({
        lastReadAt: expect.any(String),
        lastCommit: { at: expect.any(String), snapshotVersion: after.version },
      });
      const [run] = await store.recentRuns(1);
      expect(run).toMatchObject({
        trigger: 'targeted',
        outcome: 'succeeded',
        snapshotVersion: after.version,
      });
      expect(run.requests?.graph).toBeGreaterThan(0);
    });

    it('should commit nothing when nothing changed, before and after a change', async () => {
      const { store, refresh } = await setUp(world, databaseId);
      const { version } = await latest(store);
      const runs = (await store.recentRuns(100)).length;

      // Run as the scheduler runs it: the read's many requests may all listen to the task's signal.
      const task = new AbortController();
      expect(await refresh.run(task.signal)).toEqual({ kind: 'unchanged' });
      expect(maxListenersOf(task.signal)).toBe(0);
      expect((await latest(store)).version).toBe(version);
      expect(await store.recentRuns(100)).toHaveLength(runs);
      expect((await refreshStatus(store))?.lastReadAt).toBeDefined();
      expect((await refreshStatus(store))?.lastCommit).toBeUndefined();

      await world.emulators.control.removeGroupMember(
        'AWS-Developers-ReadOnly',
        'noah@example.com',
      );
      expect(await refresh.run()).toMatchObject({ kind: 'committed' });
      // The next read sees nothing new: what the previous round observed stays as it was.
      expect(await refresh.run()).toEqual({ kind: 'unchanged' });
      expect((await latest(store)).version).toBe(version + 1);
    });

    it('should leave the snapshot as it was when Graph fails, and bring the change with the next read', async () => {
      const { store, refresh } = await setUp(world, databaseId);
      const before = await store.rawLatest();
      const runs = (await store.recentRuns(100)).length;
      await world.emulators.control.addGroupMember(
        'AWS-Developers-PowerUser',
        'tom@example.com',
      );
      await world.emulators.control.injectFault({
        service: 'graph',
        operation: '/v1.0/groups/delta',
        kind: 'http500',
        times: 10,
      });

      const failed = await refresh.run();

      expect(failed).toMatchObject({ kind: 'failed' });
      expect(await store.rawLatest()).toEqual(before);
      expect(await store.recentRuns(100)).toHaveLength(runs);
      expect((await refreshStatus(store))?.lastError).toEqual({
        at: expect.any(String),
        message: expect.stringContaining('graph'),
      });

      await world.emulators.control.clearFaults();
      expect(await refresh.run()).toMatchObject({ kind: 'committed' });
      expect(
        inGroup(
          (await latest(store)).snapshot,
          'tom@example.com',
          'AWS-Developers-PowerUser',
        ),
      ).toBe(true);
    });

    it('should wait while a full sync reads, and refresh after it', async () => {
      // The refresh's own reads are counted here: the full sync reads Graph at the same time, so the emulator's
      // Graph counter cannot tell whose request it saw.
      let refreshReads = 0;
      const identity: Pick<IdentitySource, 'read'> = {
        read: (ctx, previous) => {
          refreshReads++;
          return world.sources.identity!.read(ctx, previous);
        },
      };
      const { store, sync, refresh } = await setUp(world, databaseId, identity);
      await world.emulators.control.addGroupMember(
        'AWS-Developers-PowerUser',
        'tom@example.com',
      );
      // A slow Organizations answer keeps the full sync reading.
      await world.emulators.control.injectFault({
        service: 'organizations',
        operation: 'ListAccounts',
        kind: 'latency',
        delayMs: 2_000,
      });
      const running = sync.run({ trigger: 'manual' });
      let started = false;
      for (let i = 0; i < 1_500 && !started; i++) {
        const [run] = await store.recentRuns(1);
        started = run.outcome === 'running' && run.trigger === 'manual';
        if (!started) await new Promise(r => setTimeout(r, 20));
      }
      expect(started).toBe(true);

      expect(await refresh.run()).toEqual({
        kind: 'waiting',
        reason: 'full-sync',
      });
      expect(refreshReads).toBe(0);

      expect(await running).toMatchObject({ outcome: 'succeeded' });
      const afterFull = await latest(store);
      // The full sync read Entra too: the refresh after it finds nothing new.
      expect(
        inGroup(
          afterFull.snapshot,
          'tom@example.com',
          'AWS-Developers-PowerUser',
        ),
      ).toBe(true);
      expect(await refresh.run()).toEqual({ kind: 'unchanged' });
    });

    it('should build on a snapshot committed while Entra was read, never undoing it', async () => {
      let meanwhile: (() => Promise<unknown>) | undefined;
      const identity: Pick<IdentitySource, 'read'> = {
        read: async (ctx, previous) => {
          const side = await world.sources.identity!.read(ctx, previous);
          const then = meanwhile;
          meanwhile = undefined;
          await then?.();
          return side;
        },
      };
      const { store, sync, refresh } = await setUp(world, databaseId, identity);
      await world.emulators.control.addGroupMember(
        'AWS-Developers-PowerUser',
        'tom@example.com',
      );
      // Once the refresh has read: another change in Entra, and a full sync that reads it and commits.
      meanwhile = async () => {
        await world.emulators.control.removeGroupMember(
          'AWS-Developers-ReadOnly',
          'noah@example.com',
        );
        expect(await sync.run()).toMatchObject({ outcome: 'succeeded' });
      };
      const { version } = await latest(store);

      expect(await refresh.run()).toEqual({
        kind: 'committed',
        version: version + 2,
      });
      const after = (await latest(store)).snapshot;
      expect(
        inGroup(after, 'tom@example.com', 'AWS-Developers-PowerUser'),
      ).toBe(true);
      // Committing what it had read first would have put Noah back.
      expect(
        inGroup(after, 'noah@example.com', 'AWS-Developers-ReadOnly'),
      ).toBe(false);
    });
  },
);
