import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import knexFactory from 'knex';
import request from 'supertest';
import { createCapturingLogger } from '@aws-access/test-utils';
import { startEmulatorWorld } from '../__testUtils__/emulatorWorld';
import { catalogEntitiesOf, ownershipOf } from '../__testUtils__/testBackend';
import { awsAccessPlugin } from '../plugin';
import { SnapshotStore } from '../store/SnapshotStore';

/*
 * Issue 11, replicas (R3): backends sharing one PostgreSQL database, with the real scheduler (its global lock is a
 * row in that database) and a sync every 2 seconds.
 *   1. A replica in this process and a real backend in a child process: over several cycles exactly one sync runs
 *      per cycle (no two runs overlap), and both serve the same snapshot version.
 *   2. The child, alone, is slowed down mid-sync and SIGKILLed while holding the lock; a fresh replica keeps
 *      serving the last committed snapshot and never sees a partial one, and takes over after the task timeout.
 * The task timeout is 61 s (the plugin refuses anything up to a minute), so this test takes about 100 s.
 * Stale locks are released by the scheduler's janitor, which Backstage does not run under NODE_ENV=test: the test
 * runs the janitor's statement itself once the lock has expired.
 */

const CONNECTION =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
const describeWithPostgres = CONNECTION ? describe : describe.skip;

jest.setTimeout(240_000);

const SARA = 'user:default/sara_example.com';
const TASK_TABLE = 'backstage_backend_tasks__tasks';
const EXTERNAL_TOKEN = `replica-test-${randomBytes(12).toString('hex')}`;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Polls until `check` returns a value, or fails with `what` after `timeoutMs`. */
async function waitFor<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined | false>,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise(r => setTimeout(r, everyMs));
  }
}

describeWithPostgres('two backends on one PostgreSQL database', () => {
  const prefix = `awsaccess_replicas_${randomBytes(4).toString('hex')}_`;
  const databaseName = `${prefix}aws-access`;
  let world: Awaited<ReturnType<typeof startEmulatorWorld>>;
  let db: Knex;
  const children: ChildProcess[] = [];
  const stops: Array<() => Promise<void>> = [];
  let configDir: string;

  /** The configuration every replica shares: same database, same schedule (every 2 s, 61 s timeout). */
  const sharedConfig = (port?: number) => ({
    ...world.data,
    awsAccess: {
      ...world.data.awsAccess,
      schedule: {
        frequency: { seconds: 2 },
        timeout: { seconds: 61 },
        initialDelay: { seconds: 0 },
      },
      pollInterval: { milliseconds: 200 },
      retries: { maxAttempts: 2, baseDelay: { milliseconds: 5 } },
    },
    backend: {
      baseUrl: `http://127.0.0.1:${port ?? 7007}`,
      listen: { port: port ?? 7007, host: '127.0.0.1' },
      database: { client: 'pg', connection: CONNECTION, prefix },
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token: EXTERNAL_TOKEN, subject: 'replicas-test' },
          },
        ],
      },
    },
  });

  /** A replica in this process: the real scheduler and database, the rest of the test backend's services. */
  async function startLocalReplica(name: string) {
    const logger = createCapturingLogger();
    const claims = (credentials: BackstageCredentials) =>
      (credentials.principal as any)?.type === 'user'
        ? ownershipOf(
            world.emulators,
            (credentials.principal as any).userEntityRef,
          )
        : [];
    const allowPlatform = (credentials: BackstageCredentials) =>
      claims(credentials).includes('group:default/platform-team')
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY;
    const backend = await startTestBackend({
      features: [
        awsAccessPlugin,
        mockServices.rootConfig.factory({ data: sharedConfig() }),
        databaseServiceFactory,
        schedulerServiceFactory,
        createServiceFactory({
          service: coreServices.rootLogger,
          deps: {},
          factory: () => logger,
        }),
        catalogServiceMock.factory({
          entities: catalogEntitiesOf(world.emulators),
        }),
        mockServices.userInfo.mock({
          getUserInfo: async credentials => ({
            userEntityRef: (credentials.principal as any).userEntityRef,
            ownershipEntityRefs: claims(credentials),
          }),
        }).factory,
        mockServices.permissions.mock({
          authorize: async (requests, { credentials }) =>
            requests.map(() => ({ result: allowPlatform(credentials) } as any)),
          authorizeConditional: async (requests, { credentials }) =>
            requests.map(() => ({ result: allowPlatform(credentials) } as any)),
        }).factory,
      ],
    });
    let stopped = false;
    const stop = async () => {
      if (!stopped) await backend.stop();
      stopped = true;
    };
    stops.push(stop);
    return {
      name,
      logger,
      stop,
      commits: () =>
        logger.records.filter(
          r => r.message === 'Sync committed a new access snapshot',
        ).length,
      status: async () =>
        (
          await request(backend.server)
            .get('/api/aws-access/sync/status')
            .set('Authorization', mockCredentials.user.header(SARA))
        ).body,
    };
  }

  /** A real backend (createBackend) in a child process. */
  async function startChildReplica(name: string) {
    const port = await freePort();
    const configFile = path.join(configDir, `${name}.json`);
    fs.writeFileSync(configFile, JSON.stringify(sharedConfig(port)));
    const output: string[] = [];
    const child = spawn(
      process.execPath,
      // eslint-disable-next-line no-restricted-syntax -- the child runs this package's sources
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        path.resolve(__dirname, '__testUtils__/replicaBackend.ts'),
        '--config',
        configFile,
      ],
      {
        env: { ...process.env, LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(child);
    child.stdout!.on('data', chunk => output.push(String(chunk)));
    child.stderr!.on('data', chunk => output.push(String(chunk)));
    const base = `http://127.0.0.1:${port}/api/aws-access`;
    const tail = () => output.join('').split('\n').slice(-30).join('\n');
    await waitFor(
      `${name} to start:\n${tail()}`,
      90_000,
      async () => {
        if (child.exitCode !== null)
          throw new Error(`${name} exited with ${child.exitCode}:\n${tail()}`);
        return request(base)
          .get('/health')
          .then(
            r => r.status === 200,
            () => false,
          );
      },
      300,
    );
    return {
      name,
      child,
      base,
      commits: () =>
        (output.join('').match(/Sync committed a new access snapshot/g) ?? [])
          .length,
      status: async () =>
        (
          await request(base)
            .get('/sync/status')
            .set('Authorization', `Bearer ${EXTERNAL_TOKEN}`)
        ).body,
      tail,
    };
  }

  beforeAll(async () => {
    world = await startEmulatorWorld();
    configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-access-replicas-'));
  });

  afterAll(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null)
        child.kill('SIGKILL');
    for (const stop of stops) await stop().catch(() => undefined);
    await db?.destroy();
    const admin = knexFactory({
      client: 'pg',
      connection: `${CONNECTION}/postgres`,
    });
    await admin
      .raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [databaseName])
      .catch(() => undefined);
    await admin.destroy();
    await world?.emulators.close();
    fs.rmSync(configDir, { recursive: true, force: true });
  });

  type RunRow = {
    id: string;
    started_at: string;
    finished_at: string | null;
    outcome: string;
    error: string | null;
    snapshot_id: number | null;
  };
  const runs = async () =>
    (await db<RunRow>('sync_runs').orderBy('started_at', 'asc')) as RunRow[];
  const time = (value: string | Date | null) =>
    value ? new Date(value).getTime() : NaN;

  /** Every committed snapshot decodes (checksum, gzip, JSON) and has data in every count. */
  async function committedSnapshotsAreWhole() {
    const store = await SnapshotStore.create({
      database: mockServices.database({ knex: db, migrations: { skip: true } }),
    });
    const rows = await db('snapshots')
      .whereIn('status', ['committed', 'delta'])
      .select('id', 'counts');
    for (const row of rows) {
      const stored = await store.byVersion(Number(row.id));
      expect(stored?.snapshot.aws.accounts.length).toBeGreaterThan(0);
      const counts = JSON.parse(row.counts);
      expect({
        id: row.id,
        zero: Object.entries(counts).filter(([, n]) => !((n as number) > 0)),
      }).toEqual({ id: row.id, zero: [] });
    }
    return rows.length;
  }

  it('runs one sync per cycle, serves one version everywhere, and survives a SIGKILL mid-sync', async () => {
    // ---- 1. a replica here and a real backend in a child process
    const local = await startLocalReplica('in-process replica');
    db = knexFactory({
      client: 'pg',
      connection: `${CONNECTION}/${databaseName}`,
    });
    const child = await startChildReplica('child replica');
    const observeFrom = Date.now();

    // The real stack refuses every route without a token (S1 with the real auth services, not mocks).
    for (const route of [
      '/me',
      '/sync/status',
      '/accounts',
      '/report',
      '/catalog/projection',
      '/.backstage/scheduler/v1/tasks',
    ]) {
      expect({
        route,
        status: (await request(child.base).get(route)).status,
      }).toEqual({ route, status: 401 });
    }
    expect((await request(child.base).post('/sync')).status).toBe(401);

    const CYCLES = 5;
    const cycles = await waitFor(`${CYCLES} sync cycles`, 60_000, async () => {
      const finished = (await runs()).filter(
        r => time(r.started_at) >= observeFrom && r.finished_at,
      );
      return finished.length >= CYCLES && finished;
    });
    for (const run of cycles)
      expect({ run: run.id, outcome: run.outcome }).toEqual({
        run: run.id,
        outcome: 'succeeded',
      });
    // One run per cycle: no two runs overlap, and no more runs than 2 s cycles. (Not a gap between starts: a run
    // claimed late on a loaded machine can start under a second before the next one, which starts on time.)
    const all = (await runs()).filter(
      r => time(r.started_at) >= observeFrom - 2000,
    );
    for (let i = 1; i < all.length; i++) {
      const previous = all[i - 1];
      expect({
        run: all[i].id,
        overlapsPrevious: time(all[i].started_at) < time(previous.finished_at),
      }).toEqual({ run: all[i].id, overlapsPrevious: false });
    }
    const span = time(all[all.length - 1].started_at) - time(all[0].started_at);
    expect(all.length).toBeLessThanOrEqual(Math.floor(span / 2000) + 2);

    // Both serve the version the database has committed last (at a quiet moment between two cycles).
    await waitFor(
      'both replicas to serve the latest version',
      20_000,
      async () => {
        const latest = Number(
          (
            await db('snapshots')
              .whereIn('status', ['committed', 'delta'])
              .max({ id: 'id' })
              .first()
          )?.id,
        );
        const [a, b] = await Promise.all([local.status(), child.status()]);
        return a.snapshotVersion === latest && b.snapshotVersion === latest;
      },
      100,
    );
    const perReplica = `${local.name} ${local.commits()}, ${
      child.name
    } ${child.commits()}`;

    // ---- 2. the child alone, slowed down mid-sync, then killed while it holds the lock
    await local.stop();
    await world.emulators.control.injectFault({
      service: 'sso-admin',
      operation: 'ListAccountAssignments',
      kind: 'latency',
      delayMs: 30_000,
      times: 1000,
    });
    const lock = await waitFor(
      'the child to hold the lock mid-sync',
      30_000,
      async () => {
        const [task] = await db(TASK_TABLE)
          .where({ id: 'aws-access-sync' })
          .select('current_run_ticket', 'current_run_expires_at');
        const running = (await runs()).filter(r => r.outcome === 'running');
        return (
          Boolean(task?.current_run_ticket) &&
          running.length === 1 && { task, run: running[0] }
        );
      },
    );
    const versionBefore = Number(
      (
        await db('snapshots')
          .whereIn('status', ['committed', 'delta'])
          .max({ id: 'id' })
          .first()
      )?.id,
    );
    // A fresh replica joins while the lock is held, then the child dies without a word.
    const survivor = await startLocalReplica('survivor');
    await new Promise(r => setTimeout(r, 500));
    child.child.kill('SIGKILL');
    const killedAt = Date.now();
    await world.emulators.control.clearFaults();

    // Until the lock expires: nothing new is committed, the survivor serves the last whole snapshot.
    const expiresAt = time(lock.task.current_run_expires_at);
    let checks = 0;
    while (Date.now() < expiresAt + 500) {
      const status = await survivor.status();
      expect(status.snapshotVersion).toBe(versionBefore);
      const committed = await db('snapshots')
        .whereIn('status', ['committed', 'delta'])
        .max({ id: 'id' })
        .first();
      expect(Number(committed?.id)).toBe(versionBefore);
      checks++;
      await new Promise(r => setTimeout(r, 1000));
    }
    expect(await committedSnapshotsAreWhole()).toBeGreaterThan(0);

    // The janitor's statement (Backstage runs it every minute outside NODE_ENV=test): expired locks are released.
    const released = await db(TASK_TABLE)
      .where('current_run_expires_at', '<', db.fn.now())
      .update({
        current_run_ticket: null,
        current_run_started_at: null,
        current_run_expires_at: null,
        last_run_ended_at: db.fn.now(),
      });
    expect(released).toBe(1);

    // The survivor takes over: a new run succeeds, the killed one is closed as abandoned.
    const takeover = await waitFor(
      'the survivor to complete a sync',
      30_000,
      async () => {
        const after = (await runs()).filter(
          r => time(r.started_at) > killedAt && r.outcome === 'succeeded',
        );
        return after[0];
      },
    );
    const killed = (await runs()).find(r => r.id === lock.run.id)!;
    expect(killed.outcome).toBe('failed');
    expect(JSON.parse(killed.error!)).toMatchObject({
      source: 'runner',
      class: 'abandoned',
    });
    expect(takeover.snapshot_id).toBeGreaterThan(versionBefore);
    await waitFor(
      'the survivor to serve the new version',
      10_000,
      async () =>
        (await survivor.status()).snapshotVersion === takeover.snapshot_id,
    );
    const whole = await committedSnapshotsAreWhole();

    // eslint-disable-next-line no-console
    console.log(
      `replicas: ${cycles.length} cycles observed with one run each (commits: ${perReplica}); SIGKILL mid-sync, ` +
        `${checks} checks while the lock was held, takeover ${Math.round(
          (time(takeover.started_at) - killedAt) / 1000,
        )} s after the kill ` +
        `(timeout 61 s); ${whole} committed snapshots, all whole`,
    );
  });
});
