import type { TestDatabaseId } from '@backstage/backend-test-utils';
import type { MissedChange } from '@aws-access/plugin-aws-access-common';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import {
  createAssignment,
  deleteAssignment,
  emulatorSsoAdmin,
  startEmulatorWorld,
} from '../__testUtils__/emulatorWorld';
import { createTestSyncService } from '../__testUtils__/syncService';
import type { AccessIndex } from '../snapshot/AccessIndex';
import { applyTargetReads } from '../snapshot/applyTargetReads';
import type { AssignmentRecord } from '../snapshot/model';
import { SnapshotStore } from '../store/SnapshotStore';
import type { SyncService } from './SyncService';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

type World = Awaited<ReturnType<typeof startEmulatorWorld>>;

const key = (a: AssignmentRecord) =>
  `${a.accountId}|${a.permissionSetArn}|${a.principalType}|${a.principalId}`;

async function setUp(
  world: World,
  databaseId: TestDatabaseId,
  retention: { keepSnapshots?: number; maxDeltaChain?: number } = {},
) {
  const knex = await databases.init(databaseId);
  const store = await SnapshotStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
    ...retention,
  });
  const announced: Array<{ version: number; index?: AccessIndex }> = [];
  const reconciled: Array<{
    runId: string;
    at: string;
    differences: MissedChange[];
  }> = [];
  const sync = createTestSyncService(world, {
    store,
    timeoutMs: 60_000,
    onCommitted: async (version, index) => {
      announced.push({ version, index });
    },
    onReconciled: async report => {
      reconciled.push(report);
    },
  });
  return { store, sync, announced, reconciled };
}

/** Removes DeveloperAdmin from 8 of its 12 accounts (8 of 25 assignments, 32 %): the next full run is held. */
async function dropAdminAssignments(world: World, ssoAdmin: SSOAdminClient) {
  const { identityCenter } = world.emulators.scenario;
  const admin = identityCenter.permissionSets.find(
    ps => ps.name === 'DeveloperAdmin',
  )!;
  const removed: AssignmentRecord[] = [];
  const accounts = identityCenter.assignments
    .filter(a => a.permissionSet === 'DeveloperAdmin')
    .flatMap(a => a.accounts)
    .slice(0, 8);
  for (const accountId of accounts) {
    const assignment: AssignmentRecord = {
      accountId,
      permissionSetArn: admin.arn,
      principalType: 'GROUP',
      principalId: world.emulators.scenario.entra.groups.find(
        g => g.name === 'AWS-Developers-Admin',
      )!.identityStoreGroupId!,
    };
    expect(
      await deleteAssignment(ssoAdmin, {
        InstanceArn: identityCenter.instanceArn,
        TargetId: assignment.accountId,
        TargetType: 'AWS_ACCOUNT',
        PermissionSetArn: assignment.permissionSetArn,
        PrincipalType: assignment.principalType,
        PrincipalId: assignment.principalId,
      }),
    ).toBe('SUCCEEDED');
    removed.push(assignment);
  }
  return removed;
}

/** An assignment the scenario does not have: the ReadOnly group on an account it is not assigned. */
function newAssignment(world: World): AssignmentRecord {
  const { identityCenter, entra } = world.emulators.scenario;
  return {
    accountId: '200000000009',
    permissionSetArn: identityCenter.permissionSets[0].arn,
    principalType: 'GROUP',
    principalId: entra.groups.find(g => g.name === 'AWS-Developers-ReadOnly')!
      .identityStoreGroupId!,
  };
}

/** Creates the assignment in Identity Center and commits it as a change event's refresh would; the new version. */
async function createAndRefresh(
  world: World,
  ssoAdmin: SSOAdminClient,
  sync: SyncService,
  created: AssignmentRecord,
): Promise<number> {
  const { identityCenter } = world.emulators.scenario;
  expect(
    await createAssignment(ssoAdmin, {
      InstanceArn: identityCenter.instanceArn,
      TargetId: created.accountId,
      TargetType: 'AWS_ACCOUNT',
      PermissionSetArn: created.permissionSetArn,
      PrincipalType: created.principalType,
      PrincipalId: created.principalId,
    }),
  ).toBe('SUCCEEDED');
  const refreshed = await sync.commitTargeted({
    reason: 'change events: 1 target',
    build: async (current, ctx) =>
      applyTargetReads(current, [
        await world.sources.aws.readChangeTarget(ctx, current.aws, {
          kind: 'assignments',
          accountId: created.accountId,
          permissionSetArn: created.permissionSetArn,
        }),
      ]),
  });
  expect(refreshed.run).toMatchObject({ outcome: 'succeeded' });
  return refreshed.version!;
}

/** Resolvable from outside: the test decides when a full run's Entra read may go on. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>(resolve => {
    open = resolve;
  });
  return { open, opened };
}

/**
 * A full run on `store` that reads AWS, then waits for Entra until `entraMayRead` opens: what the test commits
 * in between was read later than the run.
 */
function gatedFullRun(world: World, store: SnapshotStore) {
  const entraMayRead = gate();
  const awsRead = gate();
  const { identity, aws } = world.sources;
  const heldSync = createTestSyncService(world, {
    store,
    sources: {
      aws: {
        ...aws,
        read: async (ctx, previous) => {
          const side = await aws.read(ctx, previous);
          awsRead.open();
          return side;
        },
      } as typeof aws,
      identity: identity && {
        ...identity,
        read: async (ctx, previous) => {
          await entraMayRead.opened;
          return identity.read(ctx, previous);
        },
      },
    },
    timeoutMs: 60_000,
  });
  return { running: heldSync.run(), awsRead, entraMayRead };
}

describe.each(databases.eachSupportedId())(
  'approving a held snapshot, on %p',
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

    it('commits the held read with what targeted refreshes committed while it waited, derived like any commit', async () => {
      const { store, sync, announced, reconciled } = await setUp(
        world,
        databaseId,
      );
      expect(await sync.run()).toMatchObject({ outcome: 'succeeded' });
      const first = (await store.latest())!;

      const removed = await dropAdminAssignments(world, ssoAdmin);
      reconciled.length = 0;
      expect(await sync.run()).toMatchObject({ outcome: 'held' });
      // Held, it reconciles nothing yet.
      expect(reconciled).toEqual([]);
      expect(await store.latestVersion()).toBe(first.version);

      // While it waits, an assignment is created and a change event's refresh commits it.
      const created = newAssignment(world);
      expect(first.snapshot.aws.assignments.map(key)).not.toContain(
        key(created),
      );
      const refreshedVersion = await createAndRefresh(
        world,
        ssoAdmin,
        sync,
        created,
      );
      expect(await store.latestVersion()).toBe(refreshedVersion);
      const afterRefresh = (await store.latest())!.snapshot;
      expect(await store.held()).toMatchObject({
        counts: { assignments: first.snapshot.aws.assignments.length - 8 },
      });

      const heldReadAt = (await store.heldRead())!.snapshot.readAt;
      const approved = await sync.approveHeld();
      expect(approved).toMatchObject({
        outcome: 'succeeded',
        trigger: 'approval',
      });
      const latest = (await store.latest())!;
      expect(approved!.snapshotVersion).toBe(latest.version);
      expect(latest.version).toBeGreaterThan(refreshedVersion);
      expect(await store.held()).toBeUndefined();
      const assignments = latest.snapshot.aws.assignments.map(key);
      // The refresh read later than the held run: its assignment stands. The held read's removals too.
      expect(assignments).toContain(key(created));
      for (const gone of removed) expect(assignments).not.toContain(key(gone));
      expect(assignments).toHaveLength(
        first.snapshot.aws.assignments.length - 8 + 1,
      );
      expect(latest.snapshot.readAt).toBe(afterRefresh.readAt);

      // Derived on the refreshed version like any commit: its index is served at once, the removals observed.
      const last = announced[announced.length - 1];
      expect(last.version).toBe(latest.version);
      expect(last.index?.version).toBe(latest.version);
      expect(last.index?.snapshot).toEqual(latest.snapshot);
      const refreshEvents = afterRefresh.syncEvents ?? [];
      expect(refreshEvents.length).toBeGreaterThan(0);
      expect(latest.snapshot.syncEvents).toEqual(
        expect.arrayContaining(refreshEvents),
      );
      expect(latest.snapshot.syncEvents!.length).toBeGreaterThan(
        refreshEvents.length,
      );

      // Approved, it reconciles: the removals no change event brought are what the events missed.
      expect(reconciled).toHaveLength(1);
      expect(reconciled[0].runId).toBe(approved!.id);
      // Dated when the held run read, not when the refresh it kept did.
      expect(reconciled[0].at).toBe(heldReadAt);
      expect(heldReadAt).not.toBe(afterRefresh.readAt);
      expect(
        reconciled[0].differences
          .filter(d => d.kind === 'assignment')
          .map(d => d.change),
      ).toEqual(removed.map(() => 'removed'));
    });

    it('keeps a refresh committed while the held run read, after the version it read on', async () => {
      const { store, sync } = await setUp(world, databaseId);
      expect(await sync.run()).toMatchObject({ outcome: 'succeeded' });
      const first = (await store.latest())!;
      const removed = await dropAdminAssignments(world, ssoAdmin);

      // The run reads AWS, then waits for Entra while the assignment is created and refreshed.
      const { running, awsRead, entraMayRead } = gatedFullRun(world, store);
      await awsRead.opened;
      const created = newAssignment(world);
      const refreshedVersion = await createAndRefresh(
        world,
        ssoAdmin,
        sync,
        created,
      );
      entraMayRead.open();
      expect(await running).toMatchObject({ outcome: 'held' });
      // Held after the refresh committed: the held read keeps it already, and is based on its version.
      expect(await store.latestVersion()).toBe(refreshedVersion);
      const held = (await store.heldRead())!;
      expect(held.basedOn).toBe(refreshedVersion);
      expect(held.basedOn).not.toBe(first.version);
      expect(held.snapshot.aws.assignments.map(key)).toContain(key(created));

      expect(await sync.approveHeld()).toMatchObject({ outcome: 'succeeded' });
      const assignments = (await store.latest())!.snapshot.aws.assignments.map(
        key,
      );
      expect(assignments).toContain(key(created));
      for (const gone of removed) expect(assignments).not.toContain(key(gone));
    });

    it('keeps a refresh committed while the held run read, when retention pruned the version the run read on', async () => {
      // Every version stored whole and only the latest kept: the refresh's commit prunes the run's base.
      const { store, sync } = await setUp(world, databaseId, {
        keepSnapshots: 1,
        maxDeltaChain: 0,
      });
      expect(await sync.run()).toMatchObject({ outcome: 'succeeded' });
      const first = (await store.latest())!;
      const removed = await dropAdminAssignments(world, ssoAdmin);

      const { running, awsRead, entraMayRead } = gatedFullRun(world, store);
      await awsRead.opened;
      const created = newAssignment(world);
      await createAndRefresh(world, ssoAdmin, sync, created);
      expect(await store.byVersion(first.version)).toBeUndefined();
      entraMayRead.open();
      expect(await running).toMatchObject({ outcome: 'held' });

      expect(await sync.approveHeld()).toMatchObject({ outcome: 'succeeded' });
      const assignments = (await store.latest())!.snapshot.aws.assignments.map(
        key,
      );
      expect(assignments).toContain(key(created));
      for (const gone of removed) expect(assignments).not.toContain(key(gone));
    });

    it('answers undefined, and records no run, when nothing is held', async () => {
      const { store, sync } = await setUp(world, databaseId);
      expect(await sync.run()).toMatchObject({ outcome: 'succeeded' });
      const version = await store.latestVersion();
      const runs = (await store.recentRuns()).length;

      expect(await sync.approveHeld()).toBeUndefined();
      expect(await store.latestVersion()).toBe(version);
      expect(await store.recentRuns()).toHaveLength(runs);
    });
  },
);
