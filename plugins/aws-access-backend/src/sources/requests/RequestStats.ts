import type { SourceName, SourceStats } from '../../snapshot/model';

/** Counts requests, retries and throttling per source and operation during one run. */
export class RequestStats {
  readonly #sources = new Map<SourceName, SourceStats>();
  readonly #operations = new Map<string, number>();
  readonly #startedAt = new Map<SourceName, number>();
  readonly #finishedAt = new Map<SourceName, number>();
  readonly #onRequest?: () => void;

  /** `onRequest` is told of every request (a sync's progress reporter; it must be cheap). */
  constructor(onRequest?: () => void) {
    this.#onRequest = onRequest;
  }

  #get(source: SourceName): SourceStats {
    let stats = this.#sources.get(source);
    if (!stats) {
      stats = {
        requests: 0,
        pages: 0,
        durationMs: 0,
        throttled: 0,
        retries: 0,
      };
      this.#sources.set(source, stats);
      this.#startedAt.set(source, Date.now());
    }
    return stats;
  }

  request(source: SourceName, operation: string) {
    this.#get(source).requests += 1;
    const key = `${source} ${operation}`;
    this.#operations.set(key, (this.#operations.get(key) ?? 0) + 1);
    this.#finishedAt.set(source, Date.now());
    this.#onRequest?.();
  }

  retry(source: SourceName, throttled: boolean) {
    const stats = this.#get(source);
    stats.retries = (stats.retries ?? 0) + 1;
    if (throttled) stats.throttled = (stats.throttled ?? 0) + 1;
  }

  /** Requests per source, for run history. */
  requestsBySource(): Record<string, number> {
    return Object.fromEntries(
      [...this.#sources].map(([source, stats]) => [source, stats.requests]),
    );
  }

  /** Requests per operation, for benchmarks. */
  requestsByOperation(): Record<string, number> {
    return Object.fromEntries([...this.#operations].sort());
  }

  /** Per-source stats with the wall time from the first to the last request. */
  snapshot(): Partial<Record<SourceName, SourceStats>> {
    const result: Partial<Record<SourceName, SourceStats>> = {};
    for (const [source, stats] of this.#sources) {
      result[source] = {
        ...stats,
        pages: stats.requests,
        durationMs:
          (this.#finishedAt.get(source) ?? 0) -
          (this.#startedAt.get(source) ?? 0),
      };
    }
    return result;
  }
}
