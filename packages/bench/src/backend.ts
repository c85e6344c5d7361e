import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Emulators } from '@aws-access/emulators';
import YAML from 'yaml';
import type { EventLoopSummary, ForcedGc } from './eventLoop';
import {
  forcedGcSince,
  summariseEventLoop,
  summariseEventLoopAroundReading,
} from './eventLoop';

export const STATIC_TOKEN = 'aws-access-bench-static-token-0123456789abcdef';

export interface BackendConfigOptions {
  emulators: Emulators;
  port: number;
  databasePrefix: string;
  /** awsAccess.identityCenter.requestsPerSecond: 10 is the product default (half the instance's 20/s). */
  identityCenterRequestsPerSecond: number;
  /** awsAccess.identityCenter.organizationsRequestsPerSecond; unset = the product default (5). */
  organizationsRequestsPerSecond?: number;
  /** Configure the upstream msgraph provider (the Graph baseline and the catalog users /me needs). */
  msgraph: boolean;
  /** `awsAccess.governance`, for the access-request measurements. */
  governance?: object;
}

/**
 * The demo backend's configuration (app-config.yaml) pointed at the bench's emulators, on PostgreSQL, with the
 * sync only on demand, a static external-access token for the harness, and no request logging.
 */
export function backendConfig(options: BackendConfigOptions) {
  const { emulators, port } = options;
  const { scenario } = emulators;
  return {
    app: { title: 'AWS Access bench', baseUrl: 'http://127.0.0.1:3000' },
    organization: { name: 'Bench' },
    backend: {
      baseUrl: `http://127.0.0.1:${port}`,
      listen: { port, host: '127.0.0.1' },
      database: {
        client: 'pg',
        connection: { host: '127.0.0.1', port: 5432, user: 'postgres' },
        prefix: options.databasePrefix,
      },
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token: STATIC_TOKEN, subject: 'aws-access-bench' },
          },
        ],
      },
    },
    auth: { environment: 'development', providers: { dev: {} } },
    catalog: {
      rules: [
        {
          allow: [
            'Component',
            'System',
            'API',
            'Resource',
            'Location',
            'Template',
            'User',
            'Group',
            'Domain',
          ],
        },
      ],
      locations: [],
      providers: {
        ...(options.msgraph && {
          microsoftGraphOrg: {
            default: {
              target: `${emulators.graphBaseUrl}/v1.0`,
              authority: emulators.graphBaseUrl,
              tenantId: scenario.entra.tenantId,
              user: { loadPhotos: false },
              // Once, right after start; the harness triggers nothing else.
              schedule: {
                frequency: { hours: 24 },
                timeout: { minutes: 60 },
                initialDelay: { seconds: 1 },
              },
            },
          },
        }),
      },
    },
    permission: { enabled: true },
    // The search index of the catalog would rebuild every 10 minutes during the measurements: once a day.
    search: {
      collators: {
        catalog: {
          schedule: {
            frequency: { hours: 24 },
            timeout: { minutes: 60 },
            initialDelay: { hours: 23 },
          },
        },
      },
    },
    awsAccess: {
      platformGroups: ['group:default/platform-team'],
      identityCenter: {
        region: scenario.identityCenter.region,
        endpoint: emulators.awsEndpoint,
        requestsPerSecond: options.identityCenterRequestsPerSecond,
        ...(options.organizationsRequestsPerSecond && {
          organizationsRequestsPerSecond:
            options.organizationsRequestsPerSecond,
        }),
        requestTimeout: { seconds: 30 },
      },
      entra: {
        tenantId: scenario.entra.tenantId,
        clientId: scenario.entra.appRegistrations[0].clientId,
        clientSecret: scenario.entra.appRegistrations[0].clientSecret,
        authority: emulators.graphBaseUrl,
        graphBaseUrl: emulators.graphBaseUrl,
        awsAppId: scenario.entra.awsApp.appId,
      },
      // Only when the harness asks (POST /sync): every run is one the harness measures.
      schedule: { frequency: { trigger: 'manual' }, timeout: { minutes: 120 } },
      staleAfter: { hours: 6 },
      pollInterval: { seconds: 2 },
      ...(options.governance && { governance: options.governance }),
    },
  };
}

/** A real backend process: packages/backend (the demo backend with every plugin), run from source. */
export class BackendProcess {
  readonly child: ChildProcess;
  readonly baseUrl: string;
  readonly logFile: string;
  readonly #eventLoopFile: string;
  #exited?: Promise<number | null>;

  static start(options: {
    repoRoot: string;
    config: object;
    workDir: string;
    name: string;
    port: number;
    env?: NodeJS.ProcessEnv;
  }) {
    const configFile = path.join(
      options.workDir,
      `${options.name}.app-config.yaml`,
    );
    fs.writeFileSync(configFile, YAML.stringify(options.config));
    const logFile = path.join(options.workDir, `${options.name}.log`);
    const eventLoopFile = path.join(
      options.workDir,
      `${options.name}.event-loop.jsonl`,
    );
    const out = fs.openSync(logFile, 'w');
    const backendDir = path.join(options.repoRoot, 'packages/backend');
    const child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        '--require',
        path.join(options.repoRoot, 'packages/bench/bin/eventLoopMonitor.js'),
        'src/index.ts',
        '--config',
        configFile,
      ],
      {
        cwd: backendDir,
        env: {
          ...process.env,
          LOG_LEVEL: 'warn',
          NODE_ENV: 'development',
          AWS_ACCESS_BENCH_EVENT_LOOP_FILE: eventLoopFile,
          ...options.env,
        },
        stdio: ['ignore', out, out],
      },
    );
    return new BackendProcess(
      child,
      `http://127.0.0.1:${options.port}`,
      logFile,
      eventLoopFile,
    );
  }

  private constructor(
    child: ChildProcess,
    baseUrl: string,
    logFile: string,
    eventLoopFile: string,
  ) {
    this.child = child;
    this.baseUrl = baseUrl;
    this.logFile = logFile;
    this.#eventLoopFile = eventLoopFile;
    this.#exited = new Promise(resolve =>
      child.once('exit', (code, signal) => {
        this.exit = { code, signal, at: new Date().toISOString() };
        if (!this.#stopping)
          process.stdout.write(
            `[bench] the backend (pid ${child.pid}) exited unexpectedly: code ${code}, signal ${signal}; see ${logFile}\n`,
          );
        resolve(code);
      }),
    );
  }

  /** How the process ended, once it has. */
  exit?: { code: number | null; signal: NodeJS.Signals | null; at: string };
  #stopping = false;

  get pid(): number {
    return this.child.pid!;
  }

  /** The backend's own record of its event loop (bin/eventLoopMonitor.js) between two times (epoch ms). */
  eventLoopBetween(fromMs: number, toMs: number): EventLoopSummary {
    return summariseEventLoop(this.#eventLoopText(), fromMs, toMs);
  }

  /** The loop from `fromMs` to `toMs`, split where a sync's reading ended (eventLoop.ts). */
  eventLoopAroundReading(fromMs: number, readingEndMs: number, toMs: number) {
    return summariseEventLoopAroundReading(
      this.#eventLoopText(),
      fromMs,
      readingEndMs,
      toMs,
    );
  }

  #eventLoopText(): string {
    return fs.existsSync(this.#eventLoopFile)
      ? fs.readFileSync(this.#eventLoopFile, 'utf8')
      : '';
  }

  /**
   * Has the backend's monitor run a full GC now (SIGWINCH, see bin/eventLoopMonitor.js) and returns what the heap
   * held after it; undefined when no answer came in time (a monitor without the handler).
   */
  async forceMajorGc(timeoutMs = 120_000): Promise<ForcedGc | undefined> {
    const asked = Date.now();
    this.child.kill('SIGWINCH');
    while (Date.now() - asked < timeoutMs && !this.exit) {
      await sleep(100);
      const gc = forcedGcSince(this.#eventLoopText(), asked);
      if (gc) return gc;
    }
    return undefined;
  }

  async waitUntilUp(timeoutMs: number): Promise<number> {
    const started = Date.now();
    let exited = false;
    void this.#exited!.then(() => {
      exited = true;
    });
    while (Date.now() - started < timeoutMs) {
      if (exited)
        throw new Error(
          `The backend exited during start-up; see ${this.logFile}`,
        );
      try {
        const response = await fetch(`${this.baseUrl}/api/aws-access/health`);
        if (response.ok) return Date.now() - started;
      } catch {
        // not listening yet
      }
      await sleep(500);
    }
    throw new Error(
      `The backend did not answer within ${timeoutMs / 1000} s; see ${
        this.logFile
      }`,
    );
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.exit) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    await this.#exited;
    clearTimeout(timer);
  }

  /**
   * Like {@link json}, but rides out connection resets and timeouts while the process lives: a backend whose event
   * loop is blocked (a large snapshot being assembled) drops connections it could not read in time.
   */
  async jsonPatiently<T = any>(
    route: string,
    options: { timeoutMs: number } = { timeoutMs: 15 * 60_000 },
  ): Promise<T> {
    const started = Date.now();
    for (;;) {
      try {
        return await this.json<T>(route);
      } catch (error) {
        const network =
          /fetch failed|ECONNRESET|ECONNREFUSED|socket|timeout/i.test(
            `${error} ${(error as any)?.cause ?? ''}`,
          );
        if (this.exit || !network || Date.now() - started > options.timeoutMs)
          throw error;
        this.dropped++;
        await sleep(1000);
      }
    }
  }

  /** Requests the backend dropped (reset, refused) while alive: see {@link jsonPatiently}. */
  dropped = 0;

  /** JSON from the backend with the harness's static token (or another bearer token). */
  async json<T = any>(
    route: string,
    init: RequestInit & { token?: string } = {},
  ): Promise<T> {
    if (this.exit)
      throw new Error(
        `the backend exited (code ${this.exit.code}, signal ${this.exit.signal}) at ${this.exit.at}; see ${this.logFile}`,
      );
    const response = await fetch(`${this.baseUrl}${route}`, {
      ...init,
      headers: {
        authorization: `Bearer ${init.token ?? STATIC_TOKEN}`,
        ...(init.headers as Record<string, string>),
      },
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(
        `${init.method ?? 'GET'} ${route}: ${response.status} ${text.slice(
          0,
          300,
        )}`,
      );
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

export function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** /proc/<pid>/status fields in bytes (VmRSS, VmHWM). */
export function procStatus(
  pid: number,
): { rss: number; hwm: number } | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) =>
      Number(
        new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN,
      ) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/** Resets the process's peak RSS (VmHWM) so the next peak is this phase's own (Linux clear_refs, value 5). */
export function resetPeakRss(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Samples a process's RSS until stopped: baseline, peak (max of samples and VmHWM) and the samples' count. */
export class RssSampler {
  readonly #pid: number;
  readonly #timer: NodeJS.Timeout;
  readonly before: number;
  #peak = 0;
  #samples = 0;
  readonly #hwmReset: boolean;

  constructor(pid: number, intervalMs = 200) {
    this.#pid = pid;
    this.before = procStatus(pid)?.rss ?? NaN;
    this.#hwmReset = resetPeakRss(pid);
    this.#timer = setInterval(() => this.#sample(), intervalMs);
    this.#sample();
  }

  #sample() {
    const s = procStatus(this.#pid);
    if (!s) return;
    this.#samples++;
    this.#peak = Math.max(this.#peak, s.rss);
  }

  stop() {
    clearInterval(this.#timer);
    this.#sample();
    const s = procStatus(this.#pid);
    const peak = Math.max(this.#peak, this.#hwmReset && s ? s.hwm : 0);
    return {
      beforeBytes: this.before,
      peakBytes: peak,
      growthBytes: peak - this.before,
      afterBytes: s?.rss ?? NaN,
      samples: this.#samples,
      peakFromHwm: this.#hwmReset,
    };
  }
}

/** The probe's loop, in a worker thread of its own: the harness's main thread (the emulators) never delays it. */
const PROBE_LOOP = `
const { parentPort, workerData } = require('node:worker_threads');
let running = true;
const latencies = [];
let failures = 0;
parentPort.once('message', () => { running = false; });
(async () => {
  while (running) {
    const started = performance.now();
    try {
      const response = await fetch(workerData.url, { signal: AbortSignal.timeout(600000) });
      await response.arrayBuffer();
    } catch {
      failures++;
    }
    latencies.push(performance.now() - started);
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  parentPort.postMessage({ latencies, failures });
})();
`;

/**
 * Probes the backend's responsiveness while something runs: sequential GETs of a cheap route every 100 ms, recording
 * each latency. A long maximum means the event loop was blocked (every route of every plugin waits meanwhile). The
 * loop runs in a worker thread, so what the harness's own thread does (the in-process emulators answering the sync's
 * calls) is not counted against the backend.
 */
export class StallProbe {
  readonly #worker: Worker;
  readonly #result: Promise<{ latencies: number[]; failures: number }>;

  constructor(baseUrl: string, route = '/api/aws-access/health') {
    this.#worker = new Worker(PROBE_LOOP, {
      eval: true,
      workerData: { url: `${baseUrl}${route}` },
    });
    this.#result = new Promise((resolve, reject) => {
      this.#worker.once('message', resolve);
      this.#worker.once('error', reject);
    });
  }

  /** Probes for `ms` with nothing else asked of the backend: the idle latencies a sync's are compared with. */
  static async idle(baseUrl: string, ms: number) {
    const probe = new StallProbe(baseUrl);
    await sleep(ms);
    return probe.stop();
  }

  async stop() {
    this.#worker.postMessage('stop');
    const { latencies, failures } = await this.#result;
    await this.#worker.terminate();
    const sorted = [...latencies].sort((a, b) => a - b);
    const at = (q: number) =>
      sorted.length
        ? Math.round(
            sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))],
          )
        : undefined;
    return {
      probes: sorted.length,
      failures,
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      maxMs: sorted.length ? Math.round(sorted[sorted.length - 1]) : undefined,
      over1s: sorted.filter(ms => ms > 1000).length,
      /** Sum of the probes' time beyond 100 ms: roughly how long the backend answered nothing. */
      stalledMs: Math.round(
        sorted.filter(ms => ms > 100).reduce((a, ms) => a + ms, 0),
      ),
    };
  }
}
