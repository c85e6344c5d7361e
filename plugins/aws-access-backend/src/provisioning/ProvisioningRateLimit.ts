import { ArrivalOrderLimiter } from '../sources/requests/RequestBudget';

/** Too many provisioning requests for one person: 429 with Retry-After. */
export class TooManyRequestsError extends Error {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.name = 'TooManyRequestsError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

const HOUR = 3_600_000;

/**
 * At most `perUserPerHour` provision-on-demand requests per person in any hour: each one is a write to the identity
 * source, which limits provisionOnDemand per tenant.
 */
export class ProvisioningRateLimit {
  readonly #perUserPerHour: number;
  readonly #now: () => number;
  readonly #requests = new Map<string, number[]>();

  constructor(perUserPerHour: number, now: () => number) {
    this.#perUserPerHour = perUserPerHour;
    this.#now = now;
  }

  /** Counts a request for the person, or throws {@link TooManyRequestsError} saying when to try again. */
  admit(personKey: string) {
    const now = this.#now();
    const recent = (this.#requests.get(personKey) ?? []).filter(
      t => t > now - HOUR,
    );
    if (recent.length >= this.#perUserPerHour) {
      const retryAfterSeconds = Math.ceil((recent[0] + HOUR - now) / 1000);
      throw new TooManyRequestsError(
        `Provisioning was requested ${
          recent.length
        } times for this person in the last hour; try again in ${Math.ceil(
          retryAfterSeconds / 60,
        )} minutes`,
        retryAfterSeconds,
      );
    }
    recent.push(now);
    this.#requests.set(personKey, recent);
  }
}

/**
 * Entra's limit on provisionOnDemand (5 requests per 10 seconds per application), kept as a queue rather than
 * met with 429s: each call waits until fewer than `limit` calls were made in the last `windowMs`, in arrival
 * order. Per replica: calls from other replicas are Entra's to refuse, and our retries wait them out.
 */
export class SlidingWindowQueue extends ArrivalOrderLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #sent: number[] = [];

  constructor(options: {
    limit: number;
    windowMs: number;
    now?: () => number;
  }) {
    super(options.now);
    this.#limit = options.limit;
    this.#windowMs = options.windowMs;
  }

  protected tryTake(now: number): number {
    while (this.#sent.length > 0 && this.#sent[0] <= now - this.#windowMs)
      this.#sent.shift();
    if (this.#sent.length >= this.#limit)
      return this.#sent[0] + this.#windowMs - now;
    this.#sent.push(now);
    return 0;
  }
}
