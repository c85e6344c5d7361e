/**
 * A token bucket: `perSecond` tokens refill continuously up to `burst`. Real Identity Center throttles at a
 * collective 20 TPS; Graph throttles per app. Uses real time (not the emulator clock): throttling is about the
 * client's actual request rate.
 */
export class TokenBucket {
  readonly perSecond: number;
  readonly burst: number;
  #tokens: number;
  #lastMs: number;
  readonly #now: () => number;

  static create(options: {
    perSecond: number;
    burst?: number;
    now?: () => number;
  }): TokenBucket {
    return new TokenBucket(options);
  }

  private constructor(options: {
    perSecond: number;
    burst?: number;
    now?: () => number;
  }) {
    this.perSecond = options.perSecond;
    this.burst = Math.max(1, options.burst ?? Math.ceil(options.perSecond));
    this.#now = options.now ?? Date.now;
    this.#tokens = this.burst;
    this.#lastMs = this.#now();
  }

  /** Takes a token; when none is left, answers how many seconds until one is (the Retry-After). */
  take(): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.#now();
    this.#tokens = Math.min(
      this.burst,
      this.#tokens + ((now - this.#lastMs) / 1000) * this.perSecond,
    );
    this.#lastMs = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return { ok: true };
    }
    const wait = (1 - this.#tokens) / this.perSecond;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(wait)) };
  }
}

/** The rate limits in force, by service; `aws` is the collective SSO Admin + Identity Store limit. */
export class RateLimits {
  readonly #buckets = new Map<
    string,
    { perSecond: number; burst?: number; perApp: Map<string, TokenBucket> }
  >();

  set(service: string, perSecond: number | null, burst?: number): void {
    if (!perSecond) {
      this.#buckets.delete(service);
      return;
    }
    this.#buckets.set(service, { perSecond, burst, perApp: new Map() });
  }

  clear(): void {
    this.#buckets.clear();
  }

  list(): { service: string; perSecond: number; burst: number }[] {
    return [...this.#buckets].map(([service, b]) => ({
      service,
      perSecond: b.perSecond,
      burst: b.burst ?? Math.ceil(b.perSecond),
    }));
  }

  /**
   * Checks every limit that applies to a request. `key` separates buckets within a service (Graph: one per app).
   */
  take(
    services: string[],
    key = '',
  ): { ok: true } | { ok: false; retryAfterSeconds: number } {
    for (const service of services) {
      const config = this.#buckets.get(service);
      if (!config) continue;
      let bucket = config.perApp.get(key);
      if (!bucket) {
        bucket = TokenBucket.create({
          perSecond: config.perSecond,
          burst: config.burst,
        });
        config.perApp.set(key, bucket);
      }
      const result = bucket.take();
      if (!result.ok) return result;
    }
    return { ok: true };
  }
}
