/** The longest wait between two follow-ups of one request. */
const MAX_INTERVAL_MS = 5 * 60_000;

/**
 * When the worker next provisions and refreshes a request whose result AWS does not show yet: at once the first
 * time, then after a doubling interval (each round is an Entra provisionOnDemand, 5 per 10 s per app, and a
 * targeted snapshot commit). Kept in memory: after a restart, or on another replica, every request is due at
 * once, which repeats one idempotent round and loses nothing.
 */
export class FollowUpSchedule {
  readonly #firstIntervalMs: number;
  readonly #now: () => number;
  readonly #next = new Map<string, { at: number; intervalMs: number }>();

  constructor(firstIntervalMs: number, now: () => number) {
    this.#firstIntervalMs = firstIntervalMs;
    this.#now = now;
  }

  isDue(id: string): boolean {
    const next = this.#next.get(id);
    return !next || next.at <= this.#now();
  }

  /** A round was made: the next one after the (grown) interval. */
  done(id: string) {
    const previous = this.#next.get(id);
    const intervalMs = previous
      ? Math.min(previous.intervalMs * 2, MAX_INTERVAL_MS)
      : this.#firstIntervalMs;
    this.#next.set(id, { at: this.#now() + intervalMs, intervalMs });
  }

  forget(id: string) {
    this.#next.delete(id);
  }
}
