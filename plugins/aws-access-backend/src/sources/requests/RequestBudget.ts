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
 * A limiter whose callers wait their turn in arrival order: `acquire` resolves once `tryTake` grants a slot,
 * sleeping as long as it says in between, and rejects when the signal aborts first.
 */
export abstract class ArrivalOrderLimiter {
  protected readonly now: () => number;
  #queue: Promise<void> = Promise.resolve();

  protected constructor(now?: () => number) {
    this.now = now ?? Date.now;
  }

  /** Takes a slot at `now` and answers 0, or answers how many ms to wait before asking again. */
  protected abstract tryTake(now: number): number;

  /** Resolves when a request may be sent; rejects when the signal aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.#queue.then(() => this.#take(signal));
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  async #take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const waitMs = this.tryTake(this.now());
      if (waitMs <= 0) return;
      await sleep(waitMs, signal);
    }
  }
}

/**
 * A token bucket shared by every caller of one upstream budget (e.g. all sso-admin and identitystore calls of
 * an Identity Center instance). Callers wait for a token instead of being throttled by AWS or Graph.
 */
export class RequestBudget extends ArrivalOrderLimiter {
  readonly #perSecond: number;
  readonly #burst: number;
  #tokens: number;
  #updatedAt: number;

  constructor(options: {
    perSecond: number;
    burst?: number;
    now?: () => number;
  }) {
    super(options.now);
    this.#perSecond = options.perSecond;
    this.#burst = options.burst ?? Math.max(1, Math.ceil(options.perSecond));
    this.#tokens = this.#burst;
    this.#updatedAt = this.now();
  }

  get perSecond(): number {
    return this.#perSecond;
  }

  protected tryTake(now: number): number {
    this.#tokens = Math.min(
      this.#burst,
      this.#tokens + ((now - this.#updatedAt) / 1000) * this.#perSecond,
    );
    this.#updatedAt = now;
    if (this.#tokens < 1)
      return Math.ceil(((1 - this.#tokens) / this.#perSecond) * 1000);
    this.#tokens -= 1;
    return 0;
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
