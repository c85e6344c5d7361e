import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import {
  deleteAssignment,
  emulatorSsoAdmin,
  startEmulatorWorld,
} from '../__testUtils__/emulatorWorld';
import { createTestSyncService } from '../__testUtils__/syncService';
import { SnapshotStore } from '../store/SnapshotStore';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

type FaultKind = 'http500' | 'malformed' | 'truncated' | 'reset';

async function setUp(databaseId: TestDatabaseId) {
  const world = await startEmulatorWorld({
    overrides: {
      // Read every definition every run, so every operation is on the path of every run.
      identityCenter: {
        detailsRefresh: { milliseconds: 0 },
        // No fault here needs a timeout to surface (each is an answer), and a short one fails the wrong source
        // when the machine is busy.
        requestTimeout: { seconds: 10 },
      },
      retries: { maxAttempts: 2, baseDelay: { milliseconds: 5 } },
    },
  });
  const knex = await databases.init(databaseId);
  const store = await SnapshotStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  const sync = createTestSyncService(world, {
    store,
    timeoutMs: 120_000,
  });
  // Two runs: the second is the steady state (Graph delta links, cached instance).
  await sync.run();
  await world.emulators.control.resetCounters();
  expect(await sync.run()).toMatchObject({ outcome: 'succeeded' });
  return { world, store, sync };
}

/**
 * Waits until the emulator has answered everything the previous run sent: requests a failed run aborted can
 * still be in the emulator's queue, and would otherwise consume the next injected fault.
 */
async function settle(world: Awaited<ReturnType<typeof startEmulatorWorld>>) {
  let last = -1;
  for (;;) {
    const total = (await world.emulators.control.getCounters()).totals.all;
    if (total === last) return;
    last = total;
    await new Promise(resolve => setImmediate(resolve));
  }
}

/** Every (service, operation or Graph path, call position) a steady-state run makes: first, middle and last. */
async function faultPoints(
  world: Awaited<ReturnType<typeof startEmulatorWorld>>,
) {
  const counters = await world.emulators.control.getCounters();
  const spId = world.emulators.scenario.entra.awsApp.servicePrincipalId;
  const points: Array<{
    service: string;
    operation: string;
    atCall: number;
    of: number;
  }> = [];
  for (const service of [
    'sso-admin',
    'identitystore',
    'organizations',
    'graph',
  ]) {
    for (const [key, count] of Object.entries(counters[service] ?? {})) {
      const operation =
        service === 'graph'
          ? key.replace(/^GET /, '').replace('{id}', spId)
          : key;
      for (const atCall of new Set([1, Math.ceil(count / 2), count])) {
        points.push({ service, operation, atCall, of: count });
      }
    }
  }
  return points;
}

describe.each(databases.eachSupportedId())(
  'sync under injected faults on %p',
  databaseId => {
    it('keeps the stored snapshot byte-for-byte unchanged whatever page of whatever source fails', async () => {
      const { world, store, sync } = await setUp(databaseId);
      try {
        const before = await store.rawLatest();
        const points = await faultPoints(world);
        // The full table on SQLite; PostgreSQL gets the first page of every operation.
        const table =
          databaseId === 'SQLITE_3'
            ? points
            : points.filter(p => p.atCall === 1);
        const kinds: FaultKind[] =
          databaseId === 'SQLITE_3' ? ['malformed', 'http500'] : ['truncated'];
        let cases = 0;
        for (const point of table) {
          for (const kind of kinds) {
            await settle(world);
            await world.emulators.control.clearFaults();
            // http500 is retried: fail more often than the retry budget allows.
            await world.emulators.control.injectFault({
              service: point.service as any,
              operation: point.operation,
              kind,
              atCall: point.atCall,
              times: kind === 'http500' ? 10 : 1,
            });
            const run = await sync.run();
            const label = `${kind} at call ${point.atCall}/${point.of} of ${point.service} ${point.operation}`;
            expect({
              label,
              outcome: run.outcome,
              source: run.error?.source,
            }).toEqual({ label, outcome: 'failed', source: point.service });
            expect(await store.rawLatest()).toEqual(before);
            cases++;
          }
        }
        await world.emulators.control.clearFaults();
        expect(cases).toBeGreaterThan(databaseId === 'SQLITE_3' ? 60 : 20);
        // And once the faults are gone, the next run commits again.
        expect(await sync.run()).toMatchObject({ outcome: 'succeeded' });
      } finally {
        await world.emulators.close();
      }
    });
  },
);

describe('mass-delete brake', () => {
  it('holds back a snapshot that drops 30 % of the assignments until a platform engineer approves it', async () => {
    const { world, store, sync } = await setUp('SQLITE_3');
    try {
      const before = await store.rawLatest();
      const { emulators } = world;
      const client = emulatorSsoAdmin(world);
      const instanceArn = emulators.scenario.identityCenter.instanceArn;
      const adminAssignments =
        emulators.scenario.identityCenter.assignments.filter(
          a => a.permissionSet === 'DeveloperAdmin',
        );
      const admin = emulators.scenario.identityCenter.permissionSets.find(
        ps => ps.name === 'DeveloperAdmin',
      )!;
      const groupId = (await store.latest())!.snapshot.aws.groups.find(
        g => g.displayName === 'AWS-Developers-Admin',
      )!.id;
      // Remove DeveloperAdmin from 8 of 12 accounts: 8 of 25 assignments (32 %).
      for (const accountId of adminAssignments
        .flatMap(a => a.accounts)
        .slice(0, 8)) {
        const status = await deleteAssignment(client, {
          InstanceArn: instanceArn,
          TargetId: accountId,
          TargetType: 'AWS_ACCOUNT',
          PermissionSetArn: admin.arn,
          PrincipalType: 'GROUP',
          PrincipalId: groupId,
        });
        expect(status).toBe('SUCCEEDED');
      }

      const held = await sync.run();
      expect(held).toMatchObject({
        outcome: 'held',
        error: { source: 'brake', class: 'mass-delete' },
      });
      expect(held.error!.message).toMatch(
        /assignments would drop by 32 % \(25 → 17\)/,
      );
      expect(await store.rawLatest()).toEqual(before);
      expect(await store.held()).toMatchObject({
        counts: { assignments: 17 },
        previousCounts: { assignments: 25 },
      });

      const approved = await sync.approveHeld();
      expect(approved).toMatchObject({
        outcome: 'succeeded',
        trigger: 'approval',
      });
      expect((await store.latest())!.snapshot.aws.assignments).toHaveLength(17);
      expect(await store.held()).toBeUndefined();
    } finally {
      await world.emulators.close();
    }
  });
});
