import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { SyncProgress } from '@aws-access/plugin-aws-access-common';
import { startEmulatorWorld } from '../__testUtils__/emulatorWorld';
import { createTestSyncService } from '../__testUtils__/syncService';
import { SnapshotStore } from '../store/SnapshotStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const INTERVAL_MS = 50;
const STALL_MS = 1_500;

async function setUp(databaseId: TestDatabaseId) {
  const world = await startEmulatorWorld({
    overrides: {
      identityCenter: { requestTimeout: { seconds: 10 } },
    },
  });
  const knex = await databases.init(databaseId);
  const database = mockServices.database({ knex, migrations: { skip: false } });
  const store = await SnapshotStore.create({ database });
  // Another replica: it only reads the database, as the one answering /sync/status would.
  const otherReplica = await SnapshotStore.create({
    database: mockServices.database({ knex, migrations: { skip: true } }),
  });
  const writes: SyncProgress[] = [];
  const recordProgress = store.recordProgress.bind(store);
  jest
    .spyOn(store, 'recordProgress')
    .mockImplementation(async (id, progress) => {
      writes.push(progress);
      await recordProgress(id, progress);
    });
  const sync = createTestSyncService(world, {
    store,
    timeoutMs: 60_000,
    progressIntervalMs: INTERVAL_MS,
  });
  return { world, store, otherReplica, sync, writes };
}

/** Stalls Identity Center's assignment reads mid-way, and returns the progress another replica sees meanwhile. */
async function progressDuringStall(
  setup: Awaited<ReturnType<typeof setUp>>,
): Promise<{ seen: SyncProgress; durationMs: number }> {
  const { world, otherReplica, sync } = setup;
  await world.emulators.control.injectFault({
    service: 'sso-admin',
    operation: 'ListAccountAssignments',
    kind: 'latency',
    atCall: 3,
    delayMs: STALL_MS,
  });
  const started = Date.now();
  const running = sync.run();
  let seen: SyncProgress | undefined;
  while (!seen) {
    const [run] = await otherReplica.recentRuns(1);
    if (run?.progress?.phase === 'reading' && run.progress.requestsDone > 0)
      seen = run.progress;
    else await new Promise(resolve => setTimeout(resolve, 10));
  }
  expect(await running).toMatchObject({ outcome: 'succeeded' });
  return { seen, durationMs: Date.now() - started };
}

describe.each(databases.eachSupportedId())(
  'sync progress on %p',
  databaseId => {
    it('shows the phase and requests done while reading; expected counts and an estimate from the last full run', async () => {
      const setup = await setUp(databaseId);
      const { world, otherReplica, writes } = setup;
      try {
        // The first run has nothing to expect: counts only, no estimate.
        const first = await progressDuringStall(setup);
        expect(first.seen.requestsExpected).toBeUndefined();
        expect(first.seen.readingDoneAt).toBeUndefined();
        expect(first.seen.sources.every(s => s.expected === undefined)).toBe(
          true,
        );
        const [firstRun] = await otherReplica.recentRuns(1);
        // A finished run shows no progress; its requests are what the next run expects.
        expect(firstRun.progress).toBeUndefined();
        const expectedBySource = firstRun.requests!;
        const expectedTotal = Object.values(expectedBySource).reduce(
          (sum, n) => sum + n,
        );
        expect(writes.map(w => w.phase)).toEqual(
          expect.arrayContaining([
            'starting',
            'reading',
            'validating',
            'deriving',
            'committing',
          ]),
        );
        // Throttled: the phases, plus at most one write per interval (and one trailing), not one per request.
        expect(writes.length).toBeLessThanOrEqual(
          5 + Math.ceil(first.durationMs / INTERVAL_MS) + 1,
        );
        expect(writes.length).toBeLessThan(expectedTotal);

        await world.emulators.control.clearFaults();
        const second = await progressDuringStall(setup);
        expect(second.seen.requestsExpected).toBe(expectedTotal);
        expect(second.seen.requestsDone).toBeGreaterThan(0);
        expect(second.seen.requestsDone).toBeLessThan(expectedTotal);
        expect(second.seen.requestsDone).toBe(
          second.seen.sources.reduce((sum, s) => sum + s.done, 0),
        );
        expect(
          Object.fromEntries(
            second.seen.sources.map(s => [s.source, s.expected]),
          ),
        ).toEqual(expectedBySource);
        // Identity Center is stalled with requests left: reading ends after now.
        expect(Date.parse(second.seen.readingDoneAt!)).toBeGreaterThan(
          Date.parse(second.seen.updatedAt),
        );
      } finally {
        await world.emulators.close();
      }
    });
  },
);
