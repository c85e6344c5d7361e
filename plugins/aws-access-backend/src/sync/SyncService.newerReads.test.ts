import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import {
  deleteAssignment,
  emulatorSsoAdmin,
  startEmulatorWorld,
} from '../__testUtils__/emulatorWorld';
import { createTestSyncService } from '../__testUtils__/syncService';
import type { AwsSide, Snapshot } from '../snapshot/model';
import { applyTargetReads } from '../snapshot/applyTargetReads';
import type { AccessSources } from '../sources/ports';
import { SnapshotStore } from '../store/SnapshotStore';
import type { SyncService } from './SyncService';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

type World = Awaited<ReturnType<typeof startEmulatorWorld>>;

/** Resolvable from outside: the test decides when a full run's read may go on. */
function gate<T = void>() {
  let open!: (value: T) => void;
  const opened = new Promise<T>(resolve => {
    open = resolve;
  });
  return { open, opened };
}

/**
 * The real sources, with the full run's identity read held until the test opens the gate: the run has read AWS
 * and waits for Entra, as a run at scale reads Identity Center for minutes while refreshes commit.
 */
function heldSources(world: World) {
  const awsRead = gate<AwsSide>();
  const entraMayRead = gate();
  const { identity, aws } = world.sources;
  const sources: Pick<AccessSources, 'identity' | 'aws'> = {
    aws: {
      ...aws,
      read: async (ctx, previous) => {
        const side = await aws.read(ctx, previous);
        awsRead.open(side);
        return side;
      },
    } as AccessSources['aws'],
    identity: identity && {
      ...identity,
      read: async (ctx, previous) => {
        await entraMayRead.opened;
        return identity.read(ctx, previous);
      },
    },
  };
  return { sources, awsRead: awsRead.opened, openEntra: entraMayRead.open };
}

describe.each(databases.eachSupportedId())(
  'a full sync with refreshes committed while it read, on %p',
  databaseId => {
    let world: World;
    let ssoAdmin: SSOAdminClient;

    beforeEach(async () => {
      world = await startEmulatorWorld();
      ssoAdmin = emulatorSsoAdmin(world);
    });
    afterEach(async () => {
      ssoAdmin.destroy();
      await world.emulators.close();
    });

    async function newStore() {
      const knex = await databases.init(databaseId);
      return SnapshotStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
    }

    /** A sync service whose sources the test can swap between runs (`use`). */
    function syncWithSources(store: SnapshotStore) {
      let sources: Pick<AccessSources, 'identity' | 'aws'> = world.sources;
      const sync = createTestSyncService(world, {
        store,
        sources: {
          get identity() {
            return sources.identity;
          },
          get aws() {
            return sources.aws;
          },
        },
        timeoutMs: 60_000,
      });
      const use = (next: Pick<AccessSources, 'identity' | 'aws'>) => {
        sources = next;
      };
      return { sync, use };
    }

    /** How many times the sync service has derived an index so far (its own log line). */
    const derivations = () =>
      jest
        .mocked(world.logger.info)
        .mock.calls.filter(
          ([message]) => message === 'Derived the access index',
        ).length;

    /** The first group assignment of a snapshot, and a matcher for it. */
    function aGroupAssignment(snapshot: Snapshot) {
      const assignment = snapshot.aws.assignments.find(
        a => a.principalType === 'GROUP',
      )!;
      const is = (a: typeof assignment) =>
        a.accountId === assignment.accountId &&
        a.permissionSetArn === assignment.permissionSetArn &&
        a.principalId === assignment.principalId;
      return { assignment, is };
    }

    /** Deletes a group assignment in AWS, and commits a change event's refresh of its pair. */
    async function deleteAndRefresh(
      sync: SyncService,
      instanceArn: string,
      removed: Snapshot['aws']['assignments'][number],
    ) {
      expect(
        await deleteAssignment(ssoAdmin, {
          InstanceArn: instanceArn,
          TargetId: removed.accountId,
          TargetType: 'AWS_ACCOUNT',
          PermissionSetArn: removed.permissionSetArn,
          PrincipalType: 'GROUP',
          PrincipalId: removed.principalId,
        }),
      ).toBe('SUCCEEDED');
      return sync.commitTargeted({
        reason: 'change events: 1 target',
        build: async (current, ctx) =>
          applyTargetReads(current, [
            await world.sources.aws.readChangeTarget(ctx, current.aws, {
              kind: 'assignments',
              accountId: removed.accountId,
              permissionSetArn: removed.permissionSetArn,
            }),
          ]),
      });
    }

    it('keeps a change-event refresh made after its AWS read, and commits its own news', async () => {
      const store = await newStore();
      const held = heldSources(world);
      const { sync, use } = syncWithSources(store);
      expect(await sync.run()).toMatchObject({ outcome: 'succeeded' });
      const first = (await store.latest())!;
      const { assignment: removed, is: isRemoved } = aGroupAssignment(
        first.snapshot,
      );
      // News only the full run will read: an account created before it starts.
      const created = await world.emulators.control.createAccount({
        name: 'newer-reads',
        email: 'aws+newer-reads@example.com',
      });

      use(held.sources);
      const running = sync.run();
      const awsAsRead = await held.awsRead;
      expect(awsAsRead.assignments.some(isRemoved)).toBe(true);

      // After the run read AWS: the assignment is deleted, and a change event's refresh commits that.
      const refreshed = await deleteAndRefresh(
        sync,
        first.snapshot.aws.instanceArn,
        removed,
      );
      expect(refreshed.version).toBe(first.version + 1);
      const afterRefresh = (await store.latest())!.snapshot;
      expect(afterRefresh.aws.assignments.some(isRemoved)).toBe(false);
      const refreshedAt = afterRefresh.readAt;

      const derivedBefore = derivations();
      held.openEntra();
      expect(await running).toMatchObject({ outcome: 'succeeded' });
      // The refresh had committed before the run derived: it derived once, on the refresh's version, not once on
      // the version it read on and again when its commit found that stale.
      expect(derivations() - derivedBefore).toBe(1);
      const latest = (await store.latest())!;
      expect(latest.version).toBe(first.version + 2);
      // The refresh read later than the run: its removal stands; the run's own read of the new account too.
      expect(latest.snapshot.aws.assignments.some(isRemoved)).toBe(false);
      expect(latest.snapshot.aws.accounts.map(a => a.id)).toContain(created.id);
      // Its whole reads are the run's; the latest read it holds is the refresh's.
      expect(Date.parse(latest.snapshot.sidesReadAt.aws)).toBeLessThan(
        Date.parse(refreshedAt),
      );
      expect(latest.snapshot.readAt).toBe(refreshedAt);
    });

    it('merges and derives again when a refresh commits after its derivation, before its commit', async () => {
      const store = await newStore();
      // The store, with a refresh that commits just before the next full run's commit does.
      let beforeFullCommit: (() => Promise<unknown>) | undefined;
      const racing = new Proxy(store, {
        get(target, property) {
          if (property === 'commit')
            return async (options: Parameters<SnapshotStore['commit']>[0]) => {
              const refresh = options.kind === 'full' && beforeFullCommit;
              beforeFullCommit = undefined;
              if (refresh) await refresh();
              return target.commit(options);
            };
          const value = Reflect.get(target, property, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const { sync } = syncWithSources(racing);
      expect(await sync.run()).toMatchObject({ outcome: 'succeeded' });
      const first = (await store.latest())!;
      const { assignment: removed, is: isRemoved } = aGroupAssignment(
        first.snapshot,
      );

      beforeFullCommit = () =>
        deleteAndRefresh(sync, first.snapshot.aws.instanceArn, removed);
      const derivedBefore = derivations();
      expect(await sync.run()).toMatchObject({ outcome: 'succeeded' });
      expect(beforeFullCommit).toBeUndefined();
      // The run derived on the version it read on, the refresh on that version too, and the run again on the
      // refresh's when its commit found its own base stale.
      expect(derivations() - derivedBefore).toBe(3);
      const latest = (await store.latest())!;
      // The refresh's version, then the run's on top of it: the run read the assignment, the refresh its removal.
      expect(latest.version).toBe(first.version + 2);
      expect(latest.snapshot.aws.assignments.some(isRemoved)).toBe(false);
    });

    it('does not hold back its read for removals a refresh committed while it read', async () => {
      const store = await newStore();
      const held = heldSources(world);
      const { sync, use } = syncWithSources(store);
      expect(await sync.run()).toMatchObject({ outcome: 'succeeded' });
      const first = (await store.latest())!;

      use(held.sources);
      const running = sync.run();
      await held.awsRead;
      // A refresh removes half the assignments (more than the brake's 20 %) while the run reads.
      const { assignments } = first.snapshot.aws;
      const kept = assignments.slice(0, Math.floor(assignments.length / 2));
      await sync.commitTargeted({
        reason: 'change events: half the assignments removed',
        build: async current => ({
          ...current,
          aws: { ...current.aws, assignments: kept },
        }),
      });
      held.openEntra();
      // The run's commit removes nothing of its own: the refresh's removals were the refresh's to make.
      expect(await running).toMatchObject({ outcome: 'succeeded' });
      const latest = (await store.latest())!;
      expect(latest.version).toBe(first.version + 2);
      expect(latest.snapshot.aws.assignments).toHaveLength(kept.length);
      expect(await store.heldRead()).toBeUndefined();
    });
  },
);
