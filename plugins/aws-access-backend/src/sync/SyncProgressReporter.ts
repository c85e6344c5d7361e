import type { LoggerService } from '@backstage/backend-plugin-api';
import type { SyncProgress } from '@aws-access/plugin-aws-access-common';
import type { RequestStats } from '../sources/requests/RequestStats';

/** Progress is written at most this often: a large sync makes tens of thousands of requests. */
const DEFAULT_INTERVAL_MS = 1_000;

export interface SyncProgressReporterOptions {
  /** Requests per source the last successful full run made; undefined on the first run. */
  expected?: Record<string, number>;
  /** Writes the progress where every replica reads it (the run's row). */
  write: (progress: SyncProgress) => Promise<void>;
  logger: LoggerService;
  /** The clock of the recorded timestamps. */
  now: () => Date;
  intervalMs?: number;
}

/**
 * Records what a running sync is doing for `/sync/status` on any replica: the phase, requests done against the
 * last full run's, and when reading should be done. Phase changes are written at once; requests at most once per
 * interval (leading and trailing), never once per request. A failed write is logged and the sync goes on.
 */
export class SyncProgressReporter {
  readonly #options: SyncProgressReporterOptions;
  readonly #intervalMs: number;
  #readingStartedAt = performance.now();
  #stats?: RequestStats;
  #phase: SyncProgress['phase'] = 'starting';
  #lastWriteAt = -Infinity;
  #timer?: ReturnType<typeof setTimeout>;
  #writing?: Promise<void>;
  #stopped = false;

  constructor(options: SyncProgressReporterOptions) {
    this.#options = options;
    this.#intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  }

  /** The run's request counter; its every request calls `onRequest`. */
  watch(stats: RequestStats) {
    this.#stats = stats;
  }

  /** A request was made: write now if the last write is an interval old, else once the interval is over. */
  onRequest = () => {
    if (this.#timer || this.#stopped) return;
    const wait = Math.max(
      0,
      this.#lastWriteAt + this.#intervalMs - performance.now(),
    );
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#flush();
    }, wait);
    this.#timer.unref?.();
  };

  /** Enters a phase and records it before the phase's work starts. */
  async phase(phase: SyncProgress['phase']) {
    this.#phase = phase;
    if (phase === 'reading') this.#readingStartedAt = performance.now();
    await this.#flush();
  }

  /** No more writes; waits for the one in flight. */
  async stop() {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#writing;
  }

  /** The progress as of now. */
  current(): SyncProgress {
    const done = this.#stats?.requestsBySource() ?? {};
    const expected = this.#options.expected;
    const names = [
      ...new Set([...Object.keys(expected ?? {}), ...Object.keys(done)]),
    ].sort();
    const sources = names.map(source => ({
      source,
      done: done[source] ?? 0,
      expected: expected ? expected[source] ?? 0 : undefined,
    }));
    const now = this.#options.now();
    const readingLeftMs =
      this.#phase === 'reading' ? this.#readingLeftMs(sources) : undefined;
    return {
      phase: this.#phase,
      updatedAt: now.toISOString(),
      requestsDone: sources.reduce((sum, s) => sum + s.done, 0),
      requestsExpected: expected
        ? Object.values(expected).reduce((sum, n) => sum + n, 0)
        : undefined,
      sources,
      readingDoneAt:
        readingLeftMs === undefined
          ? undefined
          : new Date(now.getTime() + readingLeftMs).toISOString(),
    };
  }

  /**
   * The sources read in parallel, each at its own pace (its own rate budget): reading is done when the slowest
   * is. Unknown while a source with requests left has made none (no rate to go by), and without an expectation.
   */
  #readingLeftMs(sources: SyncProgress['sources']): number | undefined {
    const elapsedMs = performance.now() - this.#readingStartedAt;
    let leftMs = 0;
    for (const { done, expected } of sources) {
      if (expected === undefined) return undefined;
      const remaining = expected - done;
      if (remaining <= 0) continue;
      if (done === 0) return undefined;
      leftMs = Math.max(leftMs, (remaining * elapsedMs) / done);
    }
    return Math.round(leftMs);
  }

  async #flush() {
    while (this.#writing) await this.#writing;
    if (this.#stopped) return;
    this.#lastWriteAt = performance.now();
    this.#writing = this.#options
      .write(this.current())
      .catch(error =>
        this.#options.logger.warn('Could not record sync progress', {
          error: String(error),
        }),
      )
      .finally(() => {
        this.#writing = undefined;
      });
    await this.#writing;
  }
}
