/** setTimeout as a promise that rejects with the signal's reason when aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A token bucket shared by every caller of one upstream budget (e.g. all sso-admin and identitystore calls of
 * an Identity Center instance). Callers wait for a token instead of being throttled by AWS or Graph.
 */
export class RequestBudget {
  readonly #perSecond: number;
  readonly #burst: number;
  readonly #now: () => number;
  #tokens: number;
  #updatedAt: number;
  #queue: Promise<void> = Promise.resolve();

  constructor(options: {
    perSecond: number;
    burst?: number;
    now?: () => number;
  }) {
    this.#perSecond = options.perSecond;
    this.#burst = options.burst ?? Math.max(1, Math.ceil(options.perSecond));
    this.#now = options.now ?? Date.now;
    this.#tokens = this.#burst;
    this.#updatedAt = this.#now();
  }

  get perSecond(): number {
    return this.#perSecond;
  }

  /** Resolves when a request may be sent; rejects when the signal aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    // Serialize waiters so tokens are handed out in arrival order.
    const turn = this.#queue.then(() => this.#take(signal));
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  async #take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.#now();
      this.#tokens = Math.min(
        this.#burst,
        this.#tokens + ((now - this.#updatedAt) / 1000) * this.#perSecond,
      );
      this.#updatedAt = now;
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      const waitMs = Math.ceil(((1 - this.#tokens) / this.#perSecond) * 1000);
      await sleep(waitMs, signal);
    }
  }
}

/** Runs `fn` over items with at most `limit` in flight, failing fast on the first error. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index], index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return results;
}
