/*
 * Where does a sync block the event loop, and how much memory does it take? Runs the real sync path in-process
 * (readers against the emulators → validate → derive → commit to SQLite or PostgreSQL → the served index) on a
 * generated scenario, and records the longest event-loop block per sync phase and the peak RSS growth per sync.
 *
 *   node --expose-gc --require @backstage/cli/config/nodeTransform.cjs scripts/sync-blocks.ts [large|envelope] [--pg]
 *     [--rate <requests per second>] [--cold-only]
 *
 * Without --rate the readers may send 1,000 requests a second to each service (the tests' setting), so answers
 * arrive together; --rate sets Identity Center's, Organizations' and Graph's budgets (the product's defaults are
 * 10, 5 and 20).
 *
 * The emulators run in a child process, as they do for the bench, so every block measured is the backend's. Syncs: a
 * cold one, then a steady one after 1 % membership churn, then a targeted refresh (onboarding's re-read of one
 * account), then a replica's reload of the committed snapshot (what a second replica or a restart does); with
 * --cold-only the cold one alone. Each sync also prints every phase's peak RSS growth and V8 heap (RSS keeps what
 * the heap grew to). SYNC_BLOCKS_LIVE_HEAP=1 prints the heap still reachable after a full collection at every phase
 * change and when each side is read (what a phase leaves held; the collections block, so its timings are off).
 * After each commit it prints the bytes written (a delta's own, when the store wrote one) next to the full
 * snapshot's size. With --pg the store is PostgreSQL's (BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING), in a
 * database created for the run and dropped after it.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import knexFactory from 'knex';
import { mockServices } from '@backstage/backend-test-utils';
import type { Emulators } from '@aws-access/emulators';
import {
  EmulatorControlClient,
  SCENARIO_SIZES,
  generateScenario,
} from '@aws-access/emulators';
import { ConfigReader } from '@backstage/config';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { emulatorConfigData, startTestEmulators } from '@aws-access/test-utils';
import { readAwsAccessConfig } from '../src/config/readAwsAccessConfig';
import { createAccessSources } from '../src/sources/createAccessSources';
import type { AccessIndex } from '../src/snapshot/AccessIndex';
import { BaselinePolicy } from '../src/onboarding/BaselinePolicy';
import { OnboardingService } from '../src/onboarding/OnboardingService';
import { SnapshotStore } from '../src/store/SnapshotStore';
import { SnapshotCache } from '../src/sync/SnapshotCache';
import { SyncService } from '../src/sync/SyncService';

const PROBE_MS = 5;
const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;

/** SYNC_BLOCKS_LIVE_HEAP=1: a full collection at every phase change, to print the heap still reachable. */
const LIVE_HEAP = Boolean(process.env.SYNC_BLOCKS_LIVE_HEAP);

/**
 * The main thread's time on a CPU and waiting for one (ns), from the scheduler's statistics (Linux). On a shared,
 * loaded machine a block's wall time is mostly waiting for a CPU; its CPU time is the work the event loop did.
 */
const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;
function mainThreadSched(): { cpuMs: number; waitMs: number } | undefined {
  try {
    const [cpu, wait] = fs.readFileSync(SCHEDSTAT, 'utf8').split(' ');
    return { cpuMs: Number(cpu) / 1e6, waitMs: Number(wait) / 1e6 };
  } catch {
    return undefined;
  }
}

type Block = { ms: number; cpuMs: number; waitMs: number; split: string };

/**
 * Lateness of a 5 ms timer: a late tick means the event loop was blocked since the previous one. Each block is
 * split among the phases that ran during it (by the phase changes' times), and each phase keeps the largest
 * share it had of one block; the longest block is kept with its split, and so is the block in which the main
 * thread ran longest on a CPU (the event loop's own work; waiting for a CPU stretches it on a loaded machine);
 * each phase keeps the most CPU of a block in which it ran longest. With SYNC_BLOCKS_TRACE=<file>,
 * every block over 40 ms and every garbage collection over 20 ms is written to that file with its process.hrtime
 * in µs (the clock of `node --cpu-prof`), to find what ran in a block.
 */
class BlockProbe {
  #phase = 'idle';
  #changes: Array<[string, number]> = [];
  #last = performance.now();
  #sched = mainThreadSched();
  #timer?: NodeJS.Timeout;
  readonly maxByPhase = new Map<string, number>();
  readonly maxCpuByPhase = new Map<string, number>();
  longest: Block = { ms: 0, cpuMs: 0, waitMs: 0, split: '' };
  longestCpu: Block = { ms: 0, cpuMs: 0, waitMs: 0, split: '' };
  peakRss = 0;
  /** Each phase's highest RSS and V8 heap (used, and reserved) seen at a tick while it ran. */
  readonly peakMemoryByPhase = new Map<
    string,
    { rss: number; heapUsed: number; heapTotal: number }
  >();
  readonly trace?: unknown[];

  constructor(trace: boolean) {
    if (!trace) return;
    const events: unknown[] = [];
    this.trace = events;
    const offsetUs =
      Number(process.hrtime.bigint() / 1000n) - performance.now() * 1000;
    new PerformanceObserver(list => {
      for (const e of list.getEntries())
        if (e.duration > 20)
          events.push({
            kind: 'gc',
            startUs: offsetUs + e.startTime * 1000,
            ms: e.duration,
            gcKind: (e as { detail?: { kind?: number } }).detail?.kind,
          });
    }).observe({ entryTypes: ['gc'] });
  }

  start() {
    this.#last = performance.now();
    this.#sched = mainThreadSched();
    this.#timer = setInterval(() => this.#tick(), PROBE_MS);
  }

  #tick() {
    const now = performance.now();
    const late = now - this.#last - PROBE_MS;
    const sched = mainThreadSched();
    // The scheduler's accounting can catch up late (seen: 105 ms of CPU in a 10 ms interval): at most the interval.
    const interval = now - this.#last;
    const cpuMs = Math.min(
      interval,
      sched && this.#sched ? sched.cpuMs - this.#sched.cpuMs : 0,
    );
    const waitMs = Math.min(
      interval,
      sched && this.#sched ? sched.waitMs - this.#sched.waitMs : 0,
    );
    this.#sched = sched;
    const split: Array<[string, number]> = [];
    let phase = this.#changes.length ? this.#changes[0][0] : this.#phase;
    let from = this.#last;
    for (const [next, at] of this.#changes.slice(1)) {
      split.push([phase, at - from]);
      phase = next;
      from = at;
    }
    split.push([phase, now - from]);
    for (const [name, ms] of split) {
      this.maxByPhase.set(name, Math.max(this.maxByPhase.get(name) ?? 0, ms));
    }
    const [ranLongest] = [...split].sort((a, b) => b[1] - a[1])[0];
    this.maxCpuByPhase.set(
      ranLongest,
      Math.max(this.maxCpuByPhase.get(ranLongest) ?? 0, cpuMs),
    );
    const block = () => ({
      ms: late,
      cpuMs,
      waitMs,
      split: split.map(([n, ms]) => `${n} ${Math.round(ms)} ms`).join(', '),
    });
    if (late > this.longest.ms) this.longest = block();
    if (cpuMs > this.longestCpu.cpuMs) this.longestCpu = block();
    if (this.trace && late > 40)
      this.trace.push({
        kind: 'block',
        endUs: Number(process.hrtime.bigint() / 1000n),
        ...block(),
      });
    this.#changes = [[this.#phase, now]];
    this.#last = now;
    const memory = process.memoryUsage();
    this.peakRss = Math.max(this.peakRss, memory.rss);
    const peak = this.peakMemoryByPhase.get(this.#phase);
    this.peakMemoryByPhase.set(this.#phase, {
      rss: Math.max(peak?.rss ?? 0, memory.rss),
      heapUsed: Math.max(peak?.heapUsed ?? 0, memory.heapUsed),
      heapTotal: Math.max(peak?.heapTotal ?? 0, memory.heapTotal),
    });
  }

  phase(name: string) {
    if (LIVE_HEAP && name !== this.#phase) {
      // What is still reachable when a phase ends: a full collection first (it blocks; measurements are off).
      (global as any).gc();
      console.log(
        `  live heap after ${this.#phase}: ${mb(
          process.memoryUsage().heapUsed,
        )}`,
      );
    }
    this.#phase = name;
    this.#changes.push([name, performance.now()]);
    this.trace?.push({ kind: 'phase', name, ...process.memoryUsage() });
  }

  stop() {
    clearInterval(this.#timer);
  }
}

/** What the last commit wrote (a delta's own bytes) next to the full snapshot's gzipped size. */
async function printWritten(store: SnapshotStore) {
  const latest = await store.rawLatest();
  const size = latest && (await store.storedSize(latest.id));
  if (!size) return;
  console.log(
    size.baseVersion === undefined
      ? `  wrote ${size.sizeBytes} bytes gzipped: the whole snapshot`
      : `  wrote ${size.sizeBytes} bytes gzipped: a delta on version ${
          size.baseVersion
        }, ${((100 * size.sizeBytes) / size.wholeSizeBytes).toFixed(
          2,
        )} % of the full snapshot (${
          size.wholeSizeBytes
        } bytes gzipped, version ${size.wholeVersion})`,
  );
}

async function measure(
  label: string,
  probe: BlockProbe,
  work: () => Promise<unknown>,
) {
  // A forced full collection blocks for seconds at this heap size: done before the measurement starts.
  probe.phase('gc');
  (global as any).gc?.();
  await new Promise(r => setTimeout(r, 50));
  const rssBefore = process.memoryUsage.rss();
  probe.maxByPhase.clear();
  probe.maxCpuByPhase.clear();
  probe.peakMemoryByPhase.clear();
  const heapBefore = process.memoryUsage();
  probe.longest = { ms: 0, cpuMs: 0, waitMs: 0, split: '' };
  probe.longestCpu = { ms: 0, cpuMs: 0, waitMs: 0, split: '' };
  probe.peakRss = rssBefore;
  const started = performance.now();
  probe.phase(label);
  const result = await work();
  probe.phase('idle');
  await new Promise(r => setTimeout(r, 50));
  const phases = [...probe.maxByPhase.entries()]
    .filter(([, ms]) => ms >= 1)
    .sort((a, b) => b[1] - a[1])
    .map(
      ([phase, ms]) =>
        `    ${phase}: ${Math.round(ms)} ms (most CPU in one block ${Math.round(
          probe.maxCpuByPhase.get(phase) ?? 0,
        )} ms)`,
    );
  const memory = [...probe.peakMemoryByPhase.entries()].map(
    ([phase, peak]) =>
      `    ${phase}: ${mb(peak.rss - rssBefore)} (heap ${mb(
        peak.heapUsed,
      )}, ${mb(peak.heapTotal)})`,
  );
  const describe = (b: Block) =>
    `${Math.round(b.ms)} ms (main thread on a CPU ${Math.round(
      b.cpuMs,
    )} ms, waiting for one ${Math.round(b.waitMs)} ms; ${b.split})`;
  console.log(
    `${label}: ${Math.round((performance.now() - started) / 1000)} s, RSS ${mb(
      rssBefore,
    )} → peak ${mb(probe.peakRss)} (growth ${mb(
      probe.peakRss - rssBefore,
    )}); load average ${os.loadavg()[0].toFixed(1)}\n  longest block ${describe(
      probe.longest,
    )}\n  most CPU in one block ${describe(
      probe.longestCpu,
    )}\n  each phase's longest share of a block:\n${phases.join(
      '\n',
    )}\n  each phase's peak RSS growth (V8 heap used, reserved; before: ${mb(
      heapBefore.heapUsed,
    )}, ${mb(heapBefore.heapTotal)}):\n${memory.join('\n')}`,
  );
  return result;
}

/** The emulators in a child process; it answers their endpoints and scenario, and stops with its parent. */
async function emulatorsInChild(
  size: 'large' | 'envelope',
): Promise<Emulators> {
  const child = fork(__filename, ['--emulators-child', size], {
    execArgv: [
      '--max-old-space-size=8192',
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
    ],
  });
  const started = await new Promise<any>((resolve, reject) => {
    // The TypeScript transform talks over the same channel (watch messages): wait for the endpoints.
    child.on('message', (m: any) => m?.awsEndpoint && resolve(m));
    child.once('exit', code =>
      reject(new Error(`emulators exited with ${code}`)),
    );
  });
  return {
    ...started,
    control: EmulatorControlClient.create({ baseUrl: started.controlUrl }),
    close: async () => {
      child.kill();
    },
  };
}

async function runEmulatorsChild(size: 'large' | 'envelope') {
  const emulators = await startTestEmulators(
    generateScenario(SCENARIO_SIZES[size]),
  );
  const { control: _c, close: _x, ...endpoints } = emulators;
  process.send!(endpoints);
  process.on('disconnect', () => process.exit(0));
}

/**
 * --pg: a database created for this run and dropped after it. The migrations make more tables than the store's
 * own (access requests, reviews, change events, deltas, knex's own): a second run in the same database failed on
 * them.
 */
async function pgDatabaseOfItsOwn() {
  const server = new URL(
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
      'postgresql://postgres@127.0.0.1:5432',
  );
  const name = `aws_access_sync_blocks_${process.pid}_${Date.now()}`;
  const admin = knexFactory({ client: 'pg', connection: server.href });
  await admin.raw('create database ??', [name]);
  const url = new URL(server.href);
  url.pathname = `/${name}`;
  return {
    knex: knexFactory({ client: 'pg', connection: url.href }),
    /** Drops the run's database, once its knex is destroyed (a database in use cannot be dropped). */
    drop: async () => {
      await admin.raw('drop database if exists ??', [name]);
      await admin.destroy();
    },
  };
}

async function main() {
  const size = (process.argv[2] ?? 'large') as 'large' | 'envelope';
  const pg = process.argv.includes('--pg');
  const rateAt = process.argv.indexOf('--rate');
  const rate = rateAt > 0 ? Number(process.argv[rateAt + 1]) : 1000;
  // The AWS SDK's default credential chain wants credentials; the emulators do not check signatures.
  process.env.AWS_ACCESS_KEY_ID ??= 'AKIAEMULATOR';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'emulator-secret';
  const emulators = await emulatorsInChild(size);
  // A loaded machine answers slower than the tests' 3 s request timeout; the product's default is 30 s.
  const rootConfig = new ConfigReader(
    emulatorConfigData(emulators, {
      identityCenter: {
        requestTimeout: { seconds: 30 },
        requestsPerSecond: rate,
        organizationsRequestsPerSecond: rate,
      },
      entra: { requestsPerSecond: rate },
    }),
  );
  const sources = await createAccessSources({
    rootConfig,
    config: readAwsAccessConfig(rootConfig),
  });
  const logger: LoggerService = {
    // The derivation's figures (time, people re-derived against all people) are shown; other info is not.
    info: (message, meta) => {
      if (meta && 'derivedMs' in meta) console.log(`  ${message}`, meta);
    },
    warn: (message, meta) => console.warn(message, meta),
    error: (message, meta) => console.error(message, meta),
    debug: () => {},
    child: () => logger,
  };
  if (LIVE_HEAP) {
    // Both sides are read at once: what each holds when it finishes.
    for (const side of ['identity', 'aws'] as const) {
      const source = sources[side] as { read: (...a: any[]) => Promise<any> };
      const read = source.read.bind(source);
      source.read = async (...args) => {
        const result = await read(...args);
        (global as any).gc();
        console.log(
          `  live heap when the ${side} side was read: ${mb(
            process.memoryUsage().heapUsed,
          )}`,
        );
        return result;
      };
    }
  }
  const world = { emulators, sources, logger };
  const database = pg ? await pgDatabaseOfItsOwn() : undefined;
  const knex =
    database?.knex ??
    knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
  const store = await SnapshotStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  const probe = new BlockProbe(Boolean(process.env.SYNC_BLOCKS_TRACE));
  const phased = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      if (prop === 'recordProgress')
        return (id: string, p: { phase: string }) => {
          probe.phase(p.phase);
          return value.call(target, id, p);
        };
      if (prop === 'commit' || prop === 'hold')
        return async (...args: unknown[]) => {
          probe.phase(`store.${String(prop)}`);
          return value.apply(target, args);
        };
      return value.bind(target);
    },
  });
  const cache = SnapshotCache.create({
    store,
    logger: world.logger,
    pollIntervalMs: 60_000,
  });
  const sync = SyncService.create({
    store: phased,
    sources: world.sources,
    logger: world.logger,
    massDeleteThreshold: 0.2,
    massDeleteBrake: true,
    timeoutMs: 3_600_000,
    runHistoryMs: 86_400_000,
    servedIndex: () => cache.tryCurrent(),
    onCommitted: async (_version, index?: AccessIndex) => {
      probe.phase('serve');
      if (index) cache.adopt(index);
      else await cache.invalidate();
    },
  });
  probe.start();
  try {
    const cold = (await measure('cold sync', probe, () => sync.run())) as any;
    console.log(`  outcome ${cold.outcome}, ${JSON.stringify(cold.counts)}`);
    console.log(`  requests ${JSON.stringify(cold.requests)}`);
    const size0 = await store.rawLatest();
    console.log(`  snapshot ${size0?.sizeBytes} bytes gzipped`);
    if (process.argv.includes('--cold-only')) return;
    // Churn of 1 % of the people: that many memberships added in Entra (AWS follows at the next SCIM cycle, not run).
    const groups = world.emulators.scenario.entra.groups;
    const upns = world.emulators.scenario.entra.users.map(u => u.upn);
    let changes = 0;
    for (let i = 0; changes < Math.round(upns.length * 0.01); i++) {
      const group = groups[(i * 7919) % groups.length];
      const member = upns[(i * 104729) % upns.length];
      if (group.members.includes(member)) continue;
      await world.emulators.control.addGroupMember(group.name, member);
      changes++;
    }
    const steady = (await measure('steady sync (1 % churn)', probe, () =>
      sync.run(),
    )) as any;
    console.log(`  outcome ${steady.outcome}`);
    await printWritten(store);
    // A targeted refresh, as onboarding commits one account's re-read assignments (the policy is not used).
    const onboarding = OnboardingService.create({
      policy: new BaselinePolicy({ rules: [], newAccountDays: 30 }),
      sources: world.sources,
      sync,
      logger: world.logger,
    });
    const refreshed = await measure(
      'targeted refresh (one account, as onboarding does)',
      probe,
      () =>
        onboarding.refreshAccount({
          accountId: world.emulators.scenario.identityCenter.accounts[1].id,
        }),
    );
    console.log(`  committed version ${refreshed}`);
    await printWritten(store);
    const replica = SnapshotCache.create({
      store,
      logger: world.logger,
      pollIntervalMs: 60_000,
    });
    await measure('replica loads the served snapshot', probe, () =>
      replica.tryCurrent(),
    );
  } finally {
    probe.stop();
    if (probe.trace)
      fs.writeFileSync(
        process.env.SYNC_BLOCKS_TRACE!,
        JSON.stringify(probe.trace),
      );
    await knex.destroy();
    await database?.drop();
    await world.emulators.close();
  }
}

(process.argv[2] === '--emulators-child'
  ? runEmulatorsChild(process.argv[3] as 'large' | 'envelope')
  : main()
).catch(error => {
  console.error(error);
  process.exit(1);
});
