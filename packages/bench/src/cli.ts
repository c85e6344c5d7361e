/*
 * ./run bench [--size small|large|envelope] [--skip-rate-limited] [--skip-naive] [--skip-serving]
 *             [--serve-seconds 10] [--connections 50] [--accept-encoding 'gzip, deflate, br' | none]
 *             [--catalog-timeout-minutes 20]
 *             [--only events] [--skip-events] [--events-per-kind 50] [--events-concurrency 8]
 *             [--events-cost-per-kind 5] [--events-loss-per-kind 20]
 *
 * Measures what users pay for (issue 10): AWS calls per full sync against the lower bound and the naive strategy,
 * wall time under the instance's rate limit, Graph requests of a full and an incremental read beside the upstream
 * msgraph module's, serving latency beside the catalog's own route, and memory; and, with change events (issue 20),
 * the time from a change in AWS to the API showing it, the calls per hour, and a reconciliation after lost events.
 * Writes bench/results/<size>-<date>.json (events: events-<size>-<date>.json, so `--only events` leaves the other
 * sections' newest result in the summary) and bench/results/SUMMARY.md.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulators } from '@aws-access/emulators';
import type {
  CounterSnapshot,
  NormalizedScenario,
  EmulatorControlClient,
  Emulators,
} from '@aws-access/emulators';
import {
  entraGroupEntityRef,
  entraUserEntityRef,
} from '@aws-access/plugin-aws-access-common';
import type { SyncProgress } from '@aws-access/plugin-aws-access-common';
import {
  BackendProcess,
  RssSampler,
  StallProbe,
  backendConfig,
  procStatus,
  sleep,
} from './backend';
import { applyChurn, planChurn } from './churn';
import { liveHeapOfSync } from './eventLoop';
import {
  catalogSize,
  dropDatabases,
  postgresReachable,
  snapshotSize,
} from './database';
import {
  lowerBound,
  naiveCalls,
  readerFormula,
  shapeFromState,
} from './lowerBound';
import { measureChangeEvents } from './events';
import { runNaive } from './naive';
import { UNTHROTTLED_IDENTITY_CENTER_RPS, writeSummary } from './report';
import type { BenchSize } from './scenarios';
import {
  BENCH_SIZES,
  BENCH_TEAM,
  REPO_ROOT,
  scenarioFor,
  scenarioSizes,
} from './scenarios';
import { measureAccessRequest, seedRequests } from './requests';
import { benchReview, measureReviewPage } from './reviews';
import { BROWSER_ACCEPT_ENCODING, measure, sequential } from './serving';

interface Args {
  size: BenchSize;
  skipRateLimited: boolean;
  skipNaive: boolean;
  skipServing: boolean;
  serveSeconds: number;
  connections: number;
  /** Sent as Accept-Encoding by the serving load; a browser's by default, '' for none. */
  acceptEncoding: string;
  catalogTimeoutMinutes: number;
  naiveMaxSeconds: number;
  summaryOnly: boolean;
  skipMsgraph: boolean;
  skipRequests: boolean;
  skipReviews: boolean;
  organizationsRps?: number;
  /** The unthrottled backend's Identity Center budget: 10,000/s unless asked. */
  identityCenterRps: number;
  only?: 'events';
  skipEvents: boolean;
  eventsPerKind: number;
  eventsConcurrency: number;
  eventsLossPerKind: number;
  eventsCostPerKind: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    size: 'small',
    skipRateLimited: false,
    skipNaive: false,
    skipServing: false,
    serveSeconds: 10,
    acceptEncoding: BROWSER_ACCEPT_ENCODING,
    connections: 50,
    catalogTimeoutMinutes: 20,
    naiveMaxSeconds: 240,
    skipRequests: false,
    skipReviews: false,
    summaryOnly: false,
    skipMsgraph: false,
    skipEvents: false,
    identityCenterRps: UNTHROTTLED_IDENTITY_CENTER_RPS,
    eventsPerKind: 50,
    eventsConcurrency: 8,
    eventsLossPerKind: 20,
    eventsCostPerKind: 5,
  };
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return v;
    };
    const flag = argv[i];
    const [name, inline] = flag.split('=', 2);
    const get = () => inline ?? value();
    switch (name) {
      case '--size': {
        const size = get() as BenchSize;
        if (!BENCH_SIZES.includes(size))
          throw new Error(`--size must be one of ${BENCH_SIZES.join(', ')}`);
        args.size = size;
        break;
      }
      case '--skip-rate-limited':
        args.skipRateLimited = true;
        break;
      case '--skip-naive':
        args.skipNaive = true;
        break;
      case '--skip-serving':
        args.skipServing = true;
        break;
      case '--serve-seconds':
        args.serveSeconds = Number(get());
        break;
      case '--connections':
        args.connections = Number(get());
        break;
      case '--accept-encoding': {
        const encoding = get();
        args.acceptEncoding = encoding === 'none' ? '' : encoding;
        break;
      }
      case '--catalog-timeout-minutes':
        args.catalogTimeoutMinutes = Number(get());
        break;
      case '--naive-max-seconds':
        args.naiveMaxSeconds = Number(get());
        break;
      case '--organizations-rps':
        args.organizationsRps = Number(get());
        break;
      case '--identity-center-rps':
        args.identityCenterRps = Number(get());
        if (!(args.identityCenterRps > 0))
          throw new Error('--identity-center-rps takes a positive number');
        break;
      case '--skip-msgraph':
        args.skipMsgraph = true;
        break;
      case '--skip-requests':
        args.skipRequests = true;
        break;
      case '--skip-reviews':
        args.skipReviews = true;
        break;
      case '--only': {
        const only = get();
        if (only !== 'events') throw new Error('--only takes: events');
        args.only = only;
        break;
      }
      case '--skip-events':
        args.skipEvents = true;
        break;
      case '--events-per-kind':
        args.eventsPerKind = Number(get());
        break;
      case '--events-concurrency':
        args.eventsConcurrency = Number(get());
        break;
      case '--events-cost-per-kind':
        args.eventsCostPerKind = Number(get());
        break;
      case '--events-loss-per-kind':
        args.eventsLossPerKind = Number(get());
        break;
      case '--summary-only':
        args.summaryOnly = true;
        break;
      case '--help':
      case '-h':
        process.stdout.write(
          'usage: ./run bench [--size small|large|envelope] [--skip-rate-limited] [--skip-naive] [--skip-serving] [--skip-msgraph] [--skip-requests] [--skip-reviews]\n' +
            '                   [--organizations-rps N]   (Organizations budget of the unthrottled backend; default: the product default, 5/s)\n' +
            '                   [--identity-center-rps N]   (Identity Center budget of the unthrottled backend; default 10000/s)\n' +
            '                   [--serve-seconds 10] [--connections 50] [--catalog-timeout-minutes 20] [--naive-max-seconds 240]\n' +
            "                   [--accept-encoding 'gzip, deflate, br' | none]   (the serving load's Accept-Encoding; default: a browser's)\n" +
            '                   [--skip-events] [--events-per-kind 50] [--events-concurrency 8] [--events-cost-per-kind 5] [--events-loss-per-kind 20]\n' +
            '       ./run bench --only events [--size …]   (only the change events: a backend with identityCenter.events)\n' +
            '       ./run bench --summary-only   (rewrite bench/results/SUMMARY.md from the newest result of each size)\n',
        );
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${flag} (try --help)`);
    }
  }
  return args;
}

const t0 = Date.now();
function log(line: string) {
  const s = ((Date.now() - t0) / 1000).toFixed(0).padStart(5);
  process.stdout.write(`[bench ${s}s] ${line}\n`);
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Operation counts of one service, without zeros. */
function ops(
  counters: CounterSnapshot,
  service: string,
): Record<string, number> {
  return { ...(counters[service] ?? {}) };
}

function awsCalls(counters: CounterSnapshot) {
  const t = counters.totals;
  const identityCenter = (t['sso-admin'] ?? 0) + (t.identitystore ?? 0);
  return {
    identityCenter,
    ssoAdmin: t['sso-admin'] ?? 0,
    identityStore: t.identitystore ?? 0,
    organizations: t.organizations ?? 0,
    sts: t.sts ?? 0,
    total: identityCenter + (t.organizations ?? 0) + (t.sts ?? 0),
    byOperation: {
      'sso-admin': ops(counters, 'sso-admin'),
      identitystore: ops(counters, 'identitystore'),
      organizations: ops(counters, 'organizations'),
      sts: ops(counters, 'sts'),
    },
    throttled: counters.throttled,
  };
}

/** Graph requests of our reader (delta, app, job, audit) vs the msgraph module (users, groups, members), by path. */
const MSGRAPH_PATHS =
  /^GET \/v1\.0\/(users|groups|organization)(\/\{id\}(\/members|\/photo.*)?)?$/;
function graphCalls(counters: CounterSnapshot, which: 'ours' | 'msgraph') {
  const entries = Object.entries(counters.graph ?? {}).filter(([op]) =>
    which === 'msgraph' ? MSGRAPH_PATHS.test(op) : !MSGRAPH_PATHS.test(op),
  );
  return {
    total: entries.reduce((a, [, n]) => a + n, 0),
    byOperation: Object.fromEntries(entries),
  };
}

/**
 * Waits for the run after `previousRunId` to end. Returns it with when it entered each phase it was seen in (epoch
 * ms, from the progress it recorded: a phase is written as it starts, so its first `updatedAt` is its start, give or
 * take a request's progress written just after; a phase shorter than the 500 ms poll may be missed).
 */
async function waitForRun(
  backend: BackendProcess,
  previousRunId: string | undefined,
  options: { timeoutMs: number; progress?: () => Promise<string> },
) {
  const started = Date.now();
  let lastProgress = Date.now();
  const phaseEntries: Partial<Record<SyncProgress['phase'], number>> = {};
  for (;;) {
    const status = await backend.jsonPatiently('/api/aws-access/sync/status');
    const run = status.lastRun;
    const progress: SyncProgress | undefined =
      run && run.id !== previousRunId ? run.progress : undefined;
    if (progress)
      phaseEntries[progress.phase] ??= Date.parse(progress.updatedAt);
    if (run && run.id !== previousRunId && run.outcome !== 'running')
      return { run, phaseEntries };
    if (Date.now() - started > options.timeoutMs)
      throw new Error('the sync did not finish in time');
    if (options.progress && Date.now() - lastProgress > 15_000) {
      lastProgress = Date.now();
      log(await options.progress());
    }
    await sleep(500);
  }
}

async function triggerSync(
  backend: BackendProcess,
): Promise<string | undefined> {
  const before = await backend.jsonPatiently('/api/aws-access/sync/status');
  for (let attempt = 0; ; attempt++) {
    try {
      await backend.json('/api/aws-access/sync', { method: 'POST' });
      return before.lastRun?.id;
    } catch (error) {
      if (attempt > 20 || !/409/.test(String(error))) throw error;
      await sleep(1000);
    }
  }
}

/** When the run left `reading`: its first later phase's start. */
function readingEnd(
  entries: Partial<Record<SyncProgress['phase'], number>>,
): number | undefined {
  const later = (['validating', 'deriving', 'committing'] as const)
    .map(phase => entries[phase])
    .filter((at): at is number => at !== undefined);
  return later.length ? Math.min(...later) : undefined;
}

/** Runs one sync through the real backend and measures it: the run, AWS and Graph calls, RSS and the snapshot. */
async function measuredSync(
  backend: BackendProcess,
  emulators: Emulators,
  databasePrefix: string,
  label: string,
  progress?: () => Promise<string>,
) {
  await emulators.control.resetCounters();
  // A full GC first, so the live heap has a baseline; the RSS baseline then starts from the same collected state.
  const gcBefore = await backend.forceMajorGc();
  const sampler = new RssSampler(backend.pid);
  const droppedBefore = backend.dropped;
  // The probe's idle latencies first: a sync's p99 is judged against them (issue 18: ≤ 3× the idle median).
  const idle = await StallProbe.idle(backend.baseUrl, 10_000);
  const wallStart = Date.now();
  const previous = await triggerSync(backend);
  const syncStart = Date.now();
  log(`${label}: sync triggered`);
  const probe = new StallProbe(backend.baseUrl);
  const { run, phaseEntries } = await waitForRun(backend, previous, {
    timeoutMs: 3 * 3600_000,
    progress,
  });
  // The served index is rebuilt right after the commit: keep probing until the backend answers promptly again.
  const servedAt = Date.now();
  await backend
    .jsonPatiently('/api/aws-access/accounts')
    .catch(() => undefined);
  const firstServedMs = Date.now() - servedAt;
  const stall = await probe.stop();
  const eventLoop = backend.eventLoopBetween(syncStart, Date.now());
  const readingEndMs = readingEnd(phaseEntries);
  const aroundReading =
    readingEndMs === undefined
      ? undefined
      : backend.eventLoopAroundReading(syncStart, readingEndMs, Date.now());
  const wallMs = Date.now() - wallStart;
  const rss = sampler.stop();
  // After the RSS and the event loop are read: this GC's pause is the harness's, not the sync's.
  const gcAfter = await backend.forceMajorGc();
  const liveHeap = liveHeapOfSync(gcBefore, eventLoop.liveHeapMaxMb, gcAfter);
  const counters = await emulators.control.getCounters();
  if (run.outcome !== 'succeeded')
    throw new Error(
      `${label}: the sync ended ${run.outcome}: ${JSON.stringify(run.error)}`,
    );
  const snapshot = await snapshotSize(databasePrefix);
  log(
    `${label}: ${run.outcome} in ${(run.durationMs / 1000).toFixed(
      1,
    )} s (health route max ${stall.maxMs} ms, p99 ${
      stall.p99Ms
    } ms vs idle p50 ${idle.p50Ms} ms; the backend's own longest block ${
      eventLoop.maxMs
    } ms, longest GC ${eventLoop.gcMaxMs} ms; ${
      backend.dropped - droppedBefore
    } dropped); AWS ${awsCalls(counters).total} calls, Graph ${
      graphCalls(counters, 'ours').total
    }; ` +
      `RSS ${mb(rss.beforeBytes)} → peak ${mb(rss.peakBytes)} MB; live heap ${
        liveHeap
          ? `${mb(liveHeap.beforeBytes)} → peak ${mb(
              liveHeap.peakBytes,
            )} → ${mb(liveHeap.afterBytes)} MB`
          : 'not recorded'
      }; snapshot ${mb(snapshot.gzipBytes)} MB gz / ${mb(
        snapshot.jsonBytes,
      )} MB JSON; wrote ${snapshot.writtenBytes} bytes${
        snapshot.baseVersion === undefined
          ? ' (whole)'
          : ` (a delta on version ${snapshot.baseVersion})`
      }`,
  );
  return {
    run: {
      id: run.id,
      durationMs: run.durationMs,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      requests: run.requests,
      counts: run.counts,
    },
    harnessWallMs: wallMs,
    aws: awsCalls(counters),
    graph: graphCalls(counters, 'ours'),
    login: counters.login,
    rss,
    /** V8's used heap after major GCs: what the sync kept, apart from when V8 chose to collect. */
    liveHeap,
    snapshot,
    /** Health-route latency while the sync ran: the event loop's longest block shows as maxMs. */
    responsiveness: {
      ...stall,
      idle,
      eventLoop,
      /** The same split where the run's phases were seen: the reads against validating, deriving and committing. */
      eventLoopWhileReading: aroundReading?.reading,
      eventLoopAfterReading: aroundReading?.afterReading,
      readingEndedAt:
        readingEndMs === undefined
          ? undefined
          : new Date(readingEndMs).toISOString(),
      droppedRequests: backend.dropped - droppedBefore,
      firstRequestAfterCommitMs: firstServedMs,
    },
    counters,
  };
}

async function waitForGraphQuiet(
  emulators: Emulators,
  options: { quietMs: number; timeoutMs: number; minRequests: number },
) {
  const started = Date.now();
  let last = -1;
  let lastChange = Date.now();
  let firstSeen: number | undefined;
  for (;;) {
    const counters = await emulators.control.getCounters();
    const n = graphCalls(counters, 'msgraph').total;
    if (n > 0 && firstSeen === undefined) firstSeen = Date.now();
    if (n !== last) {
      last = n;
      lastChange = Date.now();
    }
    if (n >= options.minRequests && Date.now() - lastChange > options.quietMs) {
      return {
        counters,
        readMs: firstSeen !== undefined ? lastChange - firstSeen : undefined,
      };
    }
    if (Date.now() - started > options.timeoutMs)
      throw new Error('the msgraph module did not finish reading in time');
    await sleep(250);
  }
}

async function catalogCount(
  backend: BackendProcess,
  filter: string,
): Promise<number> {
  const result = await backend.jsonPatiently(
    `/api/catalog/entities/by-query?filter=${encodeURIComponent(
      filter,
    )}&limit=1&fields=metadata.name`,
  );
  return result.totalItems ?? 0;
}

function machine() {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    }).trim();
  } catch {
    // not a git checkout
  }
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    /** The 1-minute load average when the run started. */
    loadAverage: os.loadavg()[0],
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    commit,
  };
}

/** Which user and group the serving figures ask about: a user in many groups, and the biggest group they are in. */
function servingSubjects(
  scenario: NormalizedScenario,
  preferredGroup?: string,
) {
  const users = new Map(scenario.entra.users.map(u => [u.upn, u]));
  const groups = scenario.entra.groups;
  const group =
    (preferredGroup
      ? groups.find(g => g.name === preferredGroup)
      : undefined) ??
    [...groups].sort((a, b) => b.members.length - a.members.length)[0];
  const assigned = new Set(
    groups.filter(g => g.assignedToAwsApp).map(g => g.name),
  );
  const candidates = group.members.filter(m => users.get(m)?.enabled);
  const member =
    candidates.find(m =>
      groups.some(
        g =>
          assigned.has(g.name) &&
          g.members.includes(m) &&
          g.name !== group.name,
      ),
    ) ?? candidates[0];
  const user = users.get(member)!;
  return {
    userRef: entraUserEntityRef({
      mail: user.mail,
      userPrincipalName: user.upn,
    }),
    upn: user.upn,
    groupRef: entraGroupEntityRef({
      displayName: group.name,
      securityEnabled: group.securityEnabled,
      mailNickname: group.mailNickname,
    }),
    groupName: group.name,
    groupDirectMembers: group.members.length,
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.summaryOnly) {
    log(
      `wrote ${path.relative(
        REPO_ROOT,
        writeSummary(path.join(REPO_ROOT, 'bench/results')),
      )}`,
    );
    return;
  }
  const startedAt = new Date();
  const results: Record<string, any> = {
    size: args.size,
    startedAt: startedAt.toISOString(),
    machine: machine(),
    args,
    notes: [] as string[],
  };
  const note = (line: string) => {
    results.notes.push(line);
    log(`note: ${line}`);
  };
  log(
    `AWS Access benchmarks, size ${args.size}, on ${results.machine.cpus} cores / ${results.machine.memoryGiB} GiB, Node ${process.version}, commit ${results.machine.commit}`,
  );

  if (!(await postgresReachable())) {
    throw new Error(
      'PostgreSQL is not reachable on 127.0.0.1:5432 as user postgres. Start it (./run test-package packages/bench does) and run again.',
    );
  }

  // Workload
  let phase = Date.now();
  const scenario = scenarioFor(args.size);
  results.workload = {
    declared: scenarioSizes(scenario),
    generateMs: Date.now() - phase,
  };
  log(
    `workload: ${JSON.stringify(results.workload.declared)} (built in ${
      results.workload.generateMs
    } ms)`,
  );

  phase = Date.now();
  const emulators = await startEmulators({ scenario, autoScim: false });
  results.workload.emulatorStartMs = Date.now() - phase;
  results.workload.harnessRssAfterEmulatorsMB = mb(process.memoryUsage().rss);
  log(
    `emulators up in ${results.workload.emulatorStartMs} ms (AWS ${emulators.awsEndpoint}, Graph ${emulators.graphBaseUrl}); harness RSS ${results.workload.harnessRssAfterEmulatorsMB} MB`,
  );
  const control: EmulatorControlClient = emulators.control;

  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const databasePrefix = `bench_${args.size}_${stamp
    .slice(0, 19)
    .replace(/-/g, '')
    .toLowerCase()}_`;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-access-bench-'));
  let backend: BackendProcess | undefined;

  // Change events (issue 20): a backend of their own, with identityCenter.events; a result file of their own.
  const runEvents = async (eventsPort: number) => {
    const started = new Date();
    const loadAtStart = os.loadavg()[0];
    const notes: string[] = [];
    const shape = shapeFromState(await control.getState());
    log(
      `change events: ${args.eventsPerKind} changes of each kind, ${args.eventsConcurrency} at a time`,
    );
    const outDir = path.join(REPO_ROOT, 'bench/results');
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `events-${args.size}-${stamp}.json`);
    const write = (events: Record<string, any>, stoppedAfter?: string) => {
      const loadAtEnd = os.loadavg()[0];
      const runNotes = [...notes];
      if (stoppedAfter)
        runNotes.push(
          `This file was written after the ${stoppedAfter} phase: the later phases did not finish (the run was stopped, failed, or is still running).`,
        );
      if (Math.max(loadAtStart, loadAtEnd) > results.machine.cpus)
        runNotes.push(
          `Other work shared the machine: 1-minute load average ${loadAtStart.toFixed(
            1,
          )} at the start, ${loadAtEnd.toFixed(1)} at the end on ${
            results.machine.cpus
          } cores. Call counts are exact; latencies and wall times are inflated by the load.`,
        );
      const out = {
        size: args.size,
        startedAt: started.toISOString(),
        machine: {
          ...results.machine,
          loadAverage: loadAtStart,
          loadAverageAtEnd: loadAtEnd,
        },
        args,
        groundTruth: {
          accounts: shape.accounts,
          permissionSets: shape.permissionSets,
          pairs: shape.pairs,
          identityStoreUsers: shape.identityStoreUsers,
          identityStoreGroups: shape.identityStoreGroups,
        },
        ...events,
        ...(stoppedAfter ? { stoppedAfter } : {}),
        notes: runNotes,
        finishedAt: new Date().toISOString(),
        totalSeconds: Math.round((Date.now() - started.getTime()) / 1000),
      };
      fs.writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
    };
    const events = await measureChangeEvents({
      emulators,
      repoRoot: REPO_ROOT,
      workDir,
      databasePrefix,
      port: eventsPort,
      perKind: args.eventsPerKind,
      concurrency: args.eventsConcurrency,
      lossPerKind: args.eventsLossPerKind,
      lossRate: 0.05,
      costPerKind: args.eventsCostPerKind,
      idleSeconds: 60,
      log,
      onPhase: (partial, finished) => {
        write(partial, finished);
        log(
          `wrote ${path.relative(
            REPO_ROOT,
            file,
          )} (after the ${finished} phase)`,
        );
      },
      note: line => {
        notes.push(line);
        log(`note: ${line}`);
      },
    });
    write(events);
    log(`wrote ${path.relative(REPO_ROOT, file)}`);
  };
  if (args.only === 'events') {
    try {
      await runEvents(17100 + Math.floor(Math.random() * 800));
    } finally {
      await emulators.close().catch(() => undefined);
      const dropped = await dropDatabases(databasePrefix).catch(() => []);
      log(`dropped ${dropped.length} bench databases`);
    }
    const summary = writeSummary(path.join(REPO_ROOT, 'bench/results'));
    log(`wrote ${path.relative(REPO_ROOT, summary)}`);
    return;
  }

  try {
    // 1. Ground truth and the bound
    const state = await control.getState();
    const shape = shapeFromState(state);
    const bound = lowerBound(shape);
    const naive = naiveCalls(shape);
    results.groundTruth = {
      accounts: shape.accounts,
      organizationalUnits: shape.organizationalUnits,
      permissionSets: shape.permissionSets,
      pairs: shape.pairs,
      assignments: shape.principalsPerPair.reduce((a, b) => a + b, 0),
      identityStoreUsers: shape.identityStoreUsers,
      identityStoreGroups: shape.identityStoreGroups,
      identityStoreMemberships: shape.membersPerGroup.reduce(
        (a, b) => a + b,
        0,
      ),
      entraUsers: state.entra.users.length,
      entraGroups: state.entra.groups.length,
      entraAssignedGroups: state.entra.groups.filter(g => g.assignedToAwsApp)
        .length,
      lowerBound: bound,
      naive,
      readerFormula: {
        cold: readerFormula(shape, { cold: true }),
        steady: readerFormula(shape, { cold: false }),
      },
    };
    log(
      `ground truth: N=${shape.accounts} P=${shape.permissionSets} pairs=${shape.pairs} IdC users=${shape.identityStoreUsers} groups=${shape.identityStoreGroups}; ` +
        `lower bound ${bound.total} calls (${bound.identityCenter} Identity Center + ${bound.organizations} Organizations); naive ${naive.total}`,
    );

    // 2. The naive strategy, executed
    if (!args.skipNaive) {
      await control.resetCounters();
      const executed = await runNaive({
        endpoint: emulators.awsEndpoint,
        region: emulators.scenario.identityCenter.region,
        instanceArn: emulators.scenario.identityCenter.instanceArn,
        maxSeconds: args.naiveMaxSeconds,
        sample: args.size === 'small' ? undefined : 4000,
        log,
      });
      const counters = await control.getCounters();
      results.naiveExecuted = {
        ...executed,
        emulatorCounted: counters['sso-admin'].ListAccountAssignments ?? 0,
      };
      log(
        `naive: ${
          executed.executed === 'all' ? 'executed completely' : 'sampled'
        }: ${
          executed.listAccountAssignmentsCalls
        } ListAccountAssignments calls ` +
          `for ${executed.combinations}/${
            executed.totalCombinations
          } combinations in ${(executed.wallMs / 1000).toFixed(
            1,
          )} s (${Math.round(executed.callsPerSecond)}/s unthrottled)`,
      );
      if (executed.executed === 'sample') {
        note(
          `The naive strategy was executed for ${executed.combinations} of ${executed.totalCombinations} account × permission set combinations; ` +
            `the full run would exceed ${args.naiveMaxSeconds} s, so its count (${naive.ListAccountAssignments} ListAccountAssignments) is computed exactly from the ground truth.`,
        );
      }
    }

    // A 200-member team for P6 ("team access for a 200-member group"): small's scenario has one (assigned to the
    // AWS app); at the generated sizes it is made here, in Entra only (not assigned to the app).
    let preferredGroup = emulators.scenario.entra.groups.find(
      g => g.name === BENCH_TEAM,
    )?.name;
    const enabledUsers = emulators.scenario.entra.users.filter(u => u.enabled);
    const teamMadeHere = !preferredGroup && enabledUsers.length >= 400;
    if (teamMadeHere) {
      preferredGroup = BENCH_TEAM;
      const members = enabledUsers
        .filter((_, i) => i % Math.floor(enabledUsers.length / 200) === 0)
        .slice(0, 200)
        .map(u => u.upn);
      await control.createEntraGroup({
        name: preferredGroup,
        members,
        securityEnabled: true,
      });
      results.benchTeam = { name: preferredGroup, members: members.length };
    }
    const currentScenario = normalizeWithBenchTeam(
      emulators.scenario,
      teamMadeHere ? preferredGroup : undefined,
      teamMadeHere ? enabledUsers : [],
    );
    if (!teamMadeHere && preferredGroup)
      results.benchTeam = {
        name: preferredGroup,
        members: currentScenario.entra.groups.find(
          g => g.name === preferredGroup,
        )!.members.length,
        inScenario: true,
      };
    const subjects = servingSubjects(currentScenario, preferredGroup);
    results.servingSubjects = subjects;

    // 3. The real backend (packages/backend) on PostgreSQL, with the upstream msgraph module reading the tenant
    const port = 17100 + Math.floor(Math.random() * 800);
    await control.resetCounters();
    phase = Date.now();
    backend = BackendProcess.start({
      repoRoot: REPO_ROOT,
      workDir,
      name: 'backend-unthrottled',
      port,
      config: backendConfig({
        emulators,
        port,
        databasePrefix,
        identityCenterRequestsPerSecond: args.identityCenterRps,
        organizationsRequestsPerSecond: args.organizationsRps,
        msgraph: !args.skipMsgraph,
        // Access requests are measured in the seed organisation (its groups, owners and people).
        governance:
          args.size === 'small'
            ? seedRequests('', currentScenario).governance
            : undefined,
      }),
      env: {
        IDENTITY_ENDPOINT: emulators.managedIdentityEndpoint,
        IDENTITY_HEADER: 'emulator',
      },
    });
    if (args.identityCenterRps !== UNTHROTTLED_IDENTITY_CENTER_RPS)
      note(
        `The first backend ran with awsAccess.identityCenter.requestsPerSecond: ${args.identityCenterRps} (the bench's usual 10,000): its syncs read at another pace than the other runs'.`,
      );
    if (args.organizationsRps)
      note(
        `The first backend ran with awsAccess.identityCenter.organizationsRequestsPerSecond: ${args.organizationsRps} (default 5): its cold-sync wall time is not the product default's.`,
      );
    const upMs = await backend.waitUntilUp(180_000);
    log(
      `backend pid ${backend.pid} up in ${(upMs / 1000).toFixed(1)} s (log ${
        backend.logFile
      }); RSS ${mb(procStatus(backend.pid)?.rss ?? 0)} MB`,
    );
    results.backend = {
      startMs: upMs,
      rssAfterStartMB: mb(procStatus(backend.pid)?.rss ?? 0),
    };

    const expectedGroups = state.entra.groups.length + (teamMadeHere ? 1 : 0);
    const msgraphPhase = async () => {
      const be = backend!;
      const msgraphSampler = new RssSampler(be.pid);
      const graphQuiet = await waitForGraphQuiet(emulators, {
        quietMs: 4000,
        timeoutMs: 30 * 60_000,
        minRequests: expectedGroups,
      });
      const msgraph = graphCalls(graphQuiet.counters, 'msgraph');
      results.msgraphFirstRead = {
        ...msgraph,
        approxReadMs: graphQuiet.readMs,
        login: graphQuiet.counters.login,
      };
      log(
        `msgraph module: ${msgraph.total} Graph requests (${JSON.stringify(
          msgraph.byOperation,
        )}) in ~${((graphQuiet.readMs ?? 0) / 1000).toFixed(1)} s`,
      );
      const expectedUsers = currentScenario.entra.users.filter(
        u => u.enabled,
      ).length;
      phase = Date.now();
      let catalogUsers = 0;
      const catalogDeadline = Date.now() + args.catalogTimeoutMinutes * 60_000;
      let lastLog = Date.now();
      while (Date.now() < catalogDeadline) {
        catalogUsers = await catalogCount(be, 'kind=user');
        if (catalogUsers >= expectedUsers) break;
        if (Date.now() - lastLog > 15_000) {
          lastLog = Date.now();
          log(`catalog: ${catalogUsers}/${expectedUsers} users stitched`);
        }
        await sleep(2000);
      }
      const msgraphRss = msgraphSampler.stop();
      results.catalogIngest = {
        users: catalogUsers,
        expectedUsers,
        groups: await catalogCount(be, 'kind=group'),
        msAfterGraphRead: Date.now() - phase,
        complete: catalogUsers >= expectedUsers,
        backendRss: msgraphRss,
      };
      log(
        `catalog: ${catalogUsers}/${expectedUsers} users, ${
          results.catalogIngest.groups
        } groups after ${((Date.now() - phase) / 1000).toFixed(
          0,
        )} s; backend RSS ${mb(msgraphRss.beforeBytes)} → peak ${mb(
          msgraphRss.peakBytes,
        )} MB`,
      );
      if (!results.catalogIngest.complete)
        note(
          `The catalog had not stitched every msgraph user after ${args.catalogTimeoutMinutes} min (${catalogUsers}/${expectedUsers}).`,
        );
    };

    // 3a. The msgraph module's full read of the same tenant (Graph baseline), and the catalog ingest
    if (args.skipMsgraph) {
      note(
        'The upstream msgraph module was not configured (--skip-msgraph): no Graph baseline, no catalog users, so no serving figures.',
      );
      results.catalogIngest = { complete: false, skipped: true };
    } else {
      await msgraphPhase();
    }
    // 4. Cold full sync (permission set details and account tags read)
    const cold = await measuredSync(
      backend,
      emulators,
      databasePrefix,
      'cold sync',
    );
    results.coldSync = cold;

    // 4a. Catalog projection of the snapshot
    phase = Date.now();
    const expectedAccounts = cold.run.counts.accounts;
    const expectedPs = cold.run.counts.permissionSets;
    let projected = { accounts: 0, permissionSets: 0 };
    const projectionDeadline = Date.now() + args.catalogTimeoutMinutes * 60_000;
    while (Date.now() < projectionDeadline) {
      projected = {
        accounts: await catalogCount(
          backend,
          'kind=resource,spec.type=cloud-account',
        ),
        permissionSets: await catalogCount(
          backend,
          'kind=resource,spec.type=aws-permission-set',
        ),
      };
      if (
        projected.accounts >= expectedAccounts &&
        projected.permissionSets >= expectedPs
      )
        break;
      await sleep(1000);
    }
    const projectionMs = Date.now() - Date.parse(cold.run.finishedAt);
    results.projection = {
      ...projected,
      expectedAccounts,
      expectedPermissionSets: expectedPs,
      complete:
        projected.accounts >= expectedAccounts &&
        projected.permissionSets >= expectedPs,
      msFromCommitToCatalog: projectionMs,
      catalogDb: await catalogSize(databasePrefix).catch(() => undefined),
    };
    log(
      `projection: ${projected.accounts}/${expectedAccounts} accounts and ${
        projected.permissionSets
      }/${expectedPs} permission sets in the catalog ${(
        projectionMs / 1000
      ).toFixed(1)} s after the commit`,
    );

    // 4b. A reviewer's page for the 200-member team (issue 17), before the churn changes the team
    if (
      args.size === 'small' &&
      !args.skipReviews &&
      results.catalogIngest.complete &&
      preferredGroup
    ) {
      try {
        results.reviewPage = await measureReviewPage(
          benchReview(backend.baseUrl, currentScenario, {
            group: preferredGroup,
            platformGroup: 'Platform-Team',
          }),
          control,
        );
        const f = results.reviewPage;
        log(
          `review page (${f.items} items): ${
            f.calls.length
          } API calls, ${Math.round(f.bytes / 1024)} KiB, p50 ${
            f.p50Ms
          } ms / p95 ${f.p95Ms} ms over ${f.loads} loads, ${
            f.cloudCalls
          } cloud calls; bulk keep ${f.bulkKeep.kept} in ${f.bulkKeep.ms} ms`,
        );
      } catch (error) {
        note(
          `The reviewer's page was not measured: ${(error as Error).message}`,
        );
      }
    }

    // 5. 1 % membership churn, then the steady-state sync (definitions cached; Graph delta)
    const plan = planChurn(currentScenario);
    phase = Date.now();
    await applyChurn(control, plan);
    results.churn = {
      memberships: plan.memberships,
      removed: plan.removes.length,
      added: plan.adds.length,
      applyMs: Date.now() - phase,
    };
    log(
      `churn: ${plan.removes.length} removals + ${plan.adds.length} additions of ${plan.memberships} memberships`,
    );
    results.steadySync = await measuredSync(
      backend,
      emulators,
      databasePrefix,
      'steady sync',
    );

    // 5a. The msgraph module reads the churned tenant again (it has no delta: a full read every time)
    if (!args.skipMsgraph)
      try {
        await control.resetCounters();
        await backend.json(
          `/api/catalog/.backstage/scheduler/v1/tasks/${encodeURIComponent(
            'MicrosoftGraphOrgEntityProvider:default:refresh',
          )}/trigger`,
          { method: 'POST' },
        );
        const again = await waitForGraphQuiet(emulators, {
          quietMs: 4000,
          timeoutMs: 30 * 60_000,
          minRequests: expectedGroups,
        });
        results.msgraphAfterChurn = {
          ...graphCalls(again.counters, 'msgraph'),
          approxReadMs: again.readMs,
        };
        log(
          `msgraph module after churn: ${results.msgraphAfterChurn.total} Graph requests`,
        );
      } catch (error) {
        note(
          `Could not trigger the msgraph module again after the churn: ${
            (error as Error).message
          }`,
        );
      }

    // 6. Serving
    if (!args.skipServing && results.catalogIngest.complete) {
      const login = await fetch(`${backend.baseUrl}/api/auth/dev/refresh`, {
        headers: { 'x-aws-access-dev-user': subjects.userRef },
      });
      if (!login.ok)
        throw new Error(
          `dev sign-in as ${subjects.userRef} failed: ${
            login.status
          } ${await login.text()}`,
        );
      const token = (await login.json()).backstageIdentity.token as string;
      const routes = {
        me: '/api/aws-access/me',
        group: `/api/aws-access/groups/${encodeURIComponent(
          subjects.groupRef,
        )}`,
        syncStatus: '/api/aws-access/sync/status',
        catalogByName: `/api/catalog/entities/by-name/user/default/${encodeURIComponent(
          subjects.userRef.replace('user:default/', ''),
        )}`,
      };
      for (const [name, route] of Object.entries(routes)) {
        const response = await fetch(`${backend.baseUrl}${route}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const body = await response.text();
        if (!response.ok)
          throw new Error(
            `${name} ${route}: ${response.status} ${body.slice(0, 300)}`,
          );
        if (name === 'me')
          results.servingSubjects.grants = JSON.parse(body).grants?.length;
        if (name === 'group') {
          const parsed = JSON.parse(body);
          results.servingSubjects.groupMembersInResponse =
            parsed.members?.length;
          results.servingSubjects.groupResponseBytes = body.length;
        }
      }
      results.serving = { sequential: {}, concurrent: {} };
      for (const [name, route] of Object.entries(routes)) {
        results.serving.sequential[name] = await sequential({
          baseUrl: backend.baseUrl,
          route,
          token,
          count: 200,
          acceptEncoding: args.acceptEncoding,
        });
      }
      log(
        `serving, one client: ${Object.entries(results.serving.sequential)
          .map(
            ([n, r]: [string, any]) =>
              `${n} p50 ${r.p50Ms} / p95 ${r.p95Ms} ms`,
          )
          .join('; ')}`,
      );
      for (const [name, route] of Object.entries(routes)) {
        const r = await measure({
          baseUrl: backend.baseUrl,
          route,
          token,
          connections: args.connections,
          durationSeconds: args.serveSeconds,
          acceptEncoding: args.acceptEncoding,
        });
        results.serving.concurrent[name] = r;
        log(
          `serving ${name} (${args.connections} connections, ${
            args.serveSeconds
          } s): ${Math.round(r.requestsPerSecond)} req/s, p50 ${
            r.p50Ms
          } ms, p99 ${r.p99Ms} ms, non-2xx ${r.non2xx}, errors ${r.errors}`,
        );
      }
      results.backend.rssAfterServingMB = mb(procStatus(backend.pid)?.rss ?? 0);
    } else if (!args.skipServing && !args.skipMsgraph) {
      note(
        'Serving was not measured: the catalog did not hold every user (the dev sign-in needs the catalog user).',
      );
    }
    // 6b. Access requests: approval → usable in AWS, and expiry → gone, in both Entra modes at once
    if (
      args.size === 'small' &&
      !args.skipRequests &&
      results.catalogIngest.complete
    ) {
      try {
        const { requests } = seedRequests(backend.baseUrl, currentScenario);
        results.accessRequests = await Promise.all(
          requests.map(r => measureAccessRequest(r)),
        );
        for (const r of results.accessRequests)
          log(
            `access request (${r.mode}): approval → active ${r.approvalToActiveSeconds} s, expiry → ended ${r.expiryToEndedSeconds} s`,
          );
      } catch (error) {
        note(`Access requests were not measured: ${(error as Error).message}`);
      }
    }
    await backend.stop();
    backend = undefined;

    // 7. Steady-state sync at the product's budget, with the emulator limiting the instance to 20 requests/s
    if (!args.skipRateLimited) {
      const limitedPort = port + 1;
      backend = BackendProcess.start({
        repoRoot: REPO_ROOT,
        workDir,
        name: 'backend-rate-limited',
        port: limitedPort,
        config: backendConfig({
          emulators,
          port: limitedPort,
          databasePrefix,
          identityCenterRequestsPerSecond: 10,
          msgraph: false,
        }),
      });
      await backend.waitUntilUp(180_000);
      await control.setRateLimit('aws', 20);
      const expected = results.groundTruth.readerFormula.steady
        .identityCenter as number;
      log(
        `rate-limited sync: emulator limits Identity Center to 20 requests/s, the plugin's budget is 10/s; ~${expected} Identity Center calls ≈ ${Math.round(
          expected / 10 / 60,
        )} min`,
      );
      const started = Date.now();
      const limited = await measuredSync(
        backend,
        emulators,
        databasePrefix,
        'rate-limited sync',
        async () => {
          const c = await control.getCounters();
          const done =
            (c.totals['sso-admin'] ?? 0) + (c.totals.identitystore ?? 0);
          const elapsed = (Date.now() - started) / 1000;
          const eta =
            done > 0
              ? Math.round((expected - done) / (done / elapsed) / 60)
              : '?';
          return `rate-limited sync: ${done}/${expected} Identity Center calls after ${Math.round(
            elapsed,
          )} s (${(done / elapsed).toFixed(1)}/s), ~${eta} min left`;
        },
      );
      const wallSeconds = limited.run.durationMs / 1000;
      const budget = 10;
      results.rateLimitedSync = {
        ...limited,
        emulatorLimitPerSecond: 20,
        budgetPerSecond: budget,
        idealSeconds: limited.aws.identityCenter / budget,
        utilisation: limited.aws.identityCenter / budget / wallSeconds,
        achievedPerSecond: limited.aws.identityCenter / wallSeconds,
        throttledByEmulator: Object.values(
          limited.counters.throttled ?? {},
        ).reduce(
          (a: number, ops_: any) =>
            a +
            Object.values(ops_ as Record<string, number>).reduce(
              (x, y) => x + y,
              0,
            ),
          0,
        ),
      };
      await control.clearRateLimits();
      log(
        `rate-limited sync: ${
          limited.aws.identityCenter
        } Identity Center calls in ${wallSeconds.toFixed(0)} s: ` +
          `utilisation ${(results.rateLimitedSync.utilisation * 100).toFixed(
            1,
          )} % of 10/s; throttled ${
            results.rateLimitedSync.throttledByEmulator
          }`,
      );
      await backend.stop();
      backend = undefined;
    }

    // 8. Change events (issue 20)
    if (!args.skipEvents) await runEvents(port + 2);
  } finally {
    if (backend) await backend.stop().catch(() => undefined);
    await emulators.close().catch(() => undefined);
    const dropped = await dropDatabases(databasePrefix).catch(() => []);
    log(`dropped ${dropped.length} bench databases`);
  }

  // Other work on the machine inflates wall times and latencies (never call counts): say so in the result.
  const [loadAtEnd] = os.loadavg();
  const loads = [results.machine.loadAverage, loadAtEnd];
  if (Math.max(...loads) > results.machine.cpus)
    note(
      `Other work shared the machine: 1-minute load average ${loads
        .map(l => l.toFixed(1))
        .join(' at the start, ')} at the end on ${
        results.machine.cpus
      } cores. Call and request counts are exact; wall times, latencies and event-loop blocks are inflated by the load.`,
    );
  results.finishedAt = new Date().toISOString();
  results.totalSeconds = Math.round((Date.now() - t0) / 1000);
  for (const key of ['coldSync', 'steadySync', 'rateLimitedSync'])
    delete results[key]?.counters;
  const outDir = path.join(REPO_ROOT, 'bench/results');
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${args.size}-${stamp}.json`);
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  const summary = writeSummary(outDir);
  log(
    `wrote ${path.relative(REPO_ROOT, file)} and ${path.relative(
      REPO_ROOT,
      summary,
    )} in ${results.totalSeconds} s`,
  );
}

/** The scenario as the emulator now holds it, with the bench's extra team (for entity refs and membership). */
function normalizeWithBenchTeam(
  scenario: NormalizedScenario,
  name: string | undefined,
  enabledUsers: { upn: string }[],
): NormalizedScenario {
  if (!name) return scenario;
  const members = enabledUsers
    .filter((_, i) => i % Math.floor(enabledUsers.length / 200) === 0)
    .slice(0, 200)
    .map(u => u.upn);
  return {
    ...scenario,
    entra: {
      ...scenario.entra,
      groups: [
        ...scenario.entra.groups,
        {
          id: 'bench',
          name,
          mailNickname: name,
          securityEnabled: true,
          members,
          owners: [],
          assignedToAwsApp: false,
          identityStoreGroupId: '',
        },
      ],
    },
  };
}

main().catch(error => {
  process.stderr.write(
    `bench failed: ${error?.stack ?? error}${
      error?.cause ? `\ncause: ${error.cause?.stack ?? error.cause}` : ''
    }\n`,
  );
  process.exit(1);
});
