/** Decisions kept at most; past it the oldest goes first. */
const MAX_KEPT = 10_000;

/**
 * Permission decisions reused for a few seconds per caller token and permission. A team page and the requests its
 * matrix makes next ask the same question many times a second, and every answer is a round trip to the permission
 * backend: a plugin token signed, the policy run, a conditional decision parsed (a fifth of a team page's CPU).
 * A new sign-in brings a new token, so it is decided again; callers asking at once share one decision, and a failed
 * decision is not kept. Backstage's own proposal for a caller-side cache (backstage/backstage#34257) keys the same
 * way, with the same 5 seconds.
 */
export class RecentDecisions {
  readonly #ttlMs: number;
  readonly #now: () => number;
  /** In the order they were decided, so the expired ones are always first. */
  readonly #kept = new Map<
    string,
    { expiresAt: number; decision: Promise<unknown> }
  >();

  constructor(options: { ttlMs: number; now?: () => number }) {
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  /** The decision `key` got within the TTL, or a new one from `decide`; without a key (or a TTL), always new. */
  decide<T>(key: string | undefined, decide: () => Promise<T>): Promise<T> {
    if (key === undefined || this.#ttlMs <= 0) return decide();
    const now = this.#now();
    const kept = this.#kept.get(key);
    if (kept && kept.expiresAt > now) return kept.decision as Promise<T>;
    this.#forgetExpired(now);
    const entry = { expiresAt: now + this.#ttlMs, decision: decide() };
    this.#kept.delete(key);
    this.#kept.set(key, entry);
    if (this.#kept.size > MAX_KEPT)
      this.#kept.delete(this.#kept.keys().next().value!);
    entry.decision.catch(() => {
      if (this.#kept.get(key) === entry) this.#kept.delete(key);
    });
    return entry.decision as Promise<T>;
  }

  /** How many decisions are kept (expired ones go as new ones come). */
  get size(): number {
    return this.#kept.size;
  }

  #forgetExpired(now: number) {
    for (const [key, entry] of this.#kept) {
      if (entry.expiresAt > now) return;
      this.#kept.delete(key);
    }
  }
}
