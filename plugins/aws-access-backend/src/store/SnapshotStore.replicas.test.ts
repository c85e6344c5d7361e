import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import knexFactory from 'knex';
import { miniSnapshot } from '../snapshot/__fixtures__/miniSnapshot';
import { SnapshotStore, StaleBaseError } from './SnapshotStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const REPLICAS = 8;

const finish = {
  finishedAt: '2026-11-30T09:01:00.000Z',
  durationMs: 60_000,
  requests: {},
};

/** A store on `knex`; replicas find the tables migrated by the first. */
async function storeOn(
  knex: Knex,
  options: { migrate?: boolean; keepSnapshots?: number } = {},
) {
  return SnapshotStore.create({
    database: mockServices.database({
      knex,
      migrations: { skip: !options.migrate },
    }),
    keepSnapshots: options.keepSnapshots,
  });
}

const startedRun = (id: string) => ({
  id,
  trigger: 'schedule' as const,
  startedAt: '2026-11-30T09:00:00.000Z',
});

/** Polls until `check` holds, or fails naming `what` after `timeoutMs`. */
async function waitFor(
  what: string,
  timeoutMs: number,
  check: () => Promise<boolean>,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise(r => setTimeout(r, 50));
  }
}

/** Backends of the test's PostgreSQL database waiting for a lock (a row's or an advisory one). */
async function lockWaiters(knex: Knex): Promise<number> {
  const result = await knex.raw(
    `select count(*)::int as n from pg_stat_activity
     where datname = current_database() and wait_event_type = 'Lock'`,
  );
  return result.rows[0].n;
}

/**
 * Widens a race on PostgreSQL: a transaction holds the rows of the runs whose id starts with `runPrefix`, so a
 * commit or hold that closes one of them waits there, after its base check and insert, until `release()`.
 */
async function holdRuns(knex: Knex, runPrefix: string) {
  const holder = await knex.transaction();
  await holder('sync_runs')
    .where('id', 'like', `${runPrefix}%`)
    .forUpdate()
    .select('id');
  return {
    release: async () => {
      if (!holder.isCompleted()) await holder.rollback();
    },
  };
}

/**
 * Replicas share the database, each with its own connections. On PostgreSQL every replica gets its own pool on the
 * test's database; SQLite's in-memory database exists on its one connection only, so its replicas share it (as all
 * of a backend's commits do: knex opens one connection for SQLite).
 */
function replicaConnections(databaseId: TestDatabaseId, knex: Knex): Knex[] {
  return Array.from({ length: REPLICAS }, () =>
    databaseId === 'POSTGRES_15' ? knexFactory(knex.client.config) : knex,
  );
}

describe.each(databases.eachSupportedId())(
  'SnapshotStore replicas on %p',
  databaseId => {
    it('lets exactly one of concurrent commits on the same version through, and refuses the others as stale', async () => {
      const knex = await databases.init(databaseId);
      const first = await storeOn(knex, { migrate: true });
      await first.startRun(startedRun('full'));
      const v1 = await first.commit({
        snapshot: miniSnapshot(),
        kind: 'full',
        runId: 'full',
        ...finish,
      });

      const connections = replicaConnections(databaseId, knex);
      try {
        // Each replica reads the served version and renames one account on it (a targeted refresh of its own).
        const commits = await Promise.all(
          connections.map(async (connection, i) => {
            const replica = await storeOn(connection);
            const current = (await replica.latest())!;
            const snapshot = structuredClone(current.snapshot);
            snapshot.aws.accounts[0].name = `renamed-by-replica-${i}`;
            const runId = `targeted-${i}`;
            await replica.startRun(startedRun(runId));
            return () =>
              replica.commit({
                snapshot,
                kind: 'targeted',
                runId,
                ...finish,
                basedOn: current.version,
                base: current.snapshot,
              });
          }),
        );

        let results: PromiseSettledResult<number>[];
        if (databaseId === 'POSTGRES_15') {
          // Every commit gets as far as it can before any of them finishes.
          const runs = await holdRuns(knex, 'targeted-');
          try {
            const settled = Promise.allSettled(commits.map(commit => commit()));
            await waitFor(
              `${REPLICAS} commits waiting`,
              20_000,
              async () => (await lockWaiters(knex)) >= REPLICAS,
            );
            await runs.release();
            results = await settled;
          } finally {
            await runs.release();
          }
        } else {
          results = await Promise.allSettled(commits.map(commit => commit()));
        }

        const succeeded = results.flatMap((result, i) =>
          result.status === 'fulfilled' ? [{ i, version: result.value }] : [],
        );
        const refused = results.flatMap(result =>
          result.status === 'rejected' ? [result.reason] : [],
        );
        expect(succeeded).toHaveLength(1);
        expect(refused).toHaveLength(REPLICAS - 1);
        for (const reason of refused)
          expect(reason).toBeInstanceOf(StaleBaseError);

        const [winner] = succeeded;
        expect(winner.version).toBeGreaterThan(v1);
        const latest = (await first.latest())!;
        expect(latest.version).toBe(winner.version);
        expect(latest.snapshot.aws.accounts[0].name).toBe(
          `renamed-by-replica-${winner.i}`,
        );
      } finally {
        await Promise.all(
          connections
            .filter(connection => connection !== knex)
            .map(connection => connection.destroy()),
        );
      }
    });

    it('keeps the version a snapshot is held on when a replica commits meanwhile, beyond the retention', async () => {
      const knex = await databases.init(databaseId);
      const first = await storeOn(knex, { migrate: true });
      await first.startRun(startedRun('full'));
      const v1 = await first.commit({
        snapshot: miniSnapshot(),
        kind: 'full',
        runId: 'full',
        ...finish,
      });

      // One replica holds a snapshot built on v1 while another commits a refresh on it, keeping one version.
      const [holding, committing] = replicaConnections(databaseId, knex);
      try {
        const holder = await storeOn(holding, { keepSnapshots: 1 });
        const refresher = await storeOn(committing, { keepSnapshots: 1 });
        await holder.startRun(startedRun('held-run'));
        await refresher.startRun(startedRun('targeted-run'));
        const shrunk = miniSnapshot();
        shrunk.aws.assignments = shrunk.aws.assignments.slice(0, 2);
        const hold = () =>
          holder.hold({
            snapshot: shrunk,
            kind: 'full',
            reasons: ['assignments drop 67 %'],
            runId: 'held-run',
            ...finish,
            basedOn: v1,
          });
        const refreshed = miniSnapshot();
        refreshed.aws.accounts[0].name = 'renamed-by-refresh';
        const refresh = () =>
          refresher.commit({
            snapshot: refreshed,
            kind: 'targeted',
            runId: 'targeted-run',
            ...finish,
            basedOn: v1,
          });

        let results: PromiseSettledResult<number>[];
        if (databaseId === 'POSTGRES_15') {
          // The hold waits with its row inserted, not yet visible; the refresh runs (or waits) meanwhile.
          const runs = await holdRuns(knex, 'held-');
          try {
            const held = hold();
            await waitFor('the hold waiting', 20_000, async () => {
              return (await lockWaiters(knex)) >= 1;
            });
            let refreshDone = false;
            const refreshing = refresh().finally(() => {
              refreshDone = true;
            });
            await waitFor('the refresh done or waiting', 20_000, async () => {
              return refreshDone || (await lockWaiters(knex)) >= 2;
            });
            await runs.release();
            results = await Promise.allSettled([held, refreshing]);
          } finally {
            await runs.release();
          }
        } else {
          results = await Promise.allSettled([hold(), refresh()]);
        }

        expect(results.map(result => result.status)).toEqual([
          'fulfilled',
          'fulfilled',
        ]);
        expect(await first.heldRead()).toMatchObject({ basedOn: v1 });
        expect((await first.byVersion(v1))?.snapshot).toEqual(miniSnapshot());
      } finally {
        await Promise.all(
          [holding, committing]
            .filter(connection => connection !== knex)
            .map(connection => connection.destroy()),
        );
      }
    });
  },
);
