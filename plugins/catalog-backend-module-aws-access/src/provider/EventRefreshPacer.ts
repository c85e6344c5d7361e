import type { LoggerService } from '@backstage/backend-plugin-api';

/**
 * Paces the refreshes that snapshot announcements trigger. Under a stream of commits every refresh would otherwise
 * follow the previous one at once, and each costs seconds of CPU on the backend's one event loop.
 *
 * The interval counts from the start of the previous refresh, whatever triggered it, so it bounds how often a
 * refresh starts, however long one takes. An announcement sooner than that is deferred, never dropped: one refresh
 * runs when the interval has passed, for every announcement received meanwhile. A refresh that starts meanwhile
 * (the schedule's, an explicit one) fetches the announced snapshot or a newer one, so it replaces the deferred one.
 * The provider's `refresh` still runs one refresh at a time.
 */
export class EventRefreshPacer {
  readonly #minIntervalMs: number;
  readonly #refresh: (logger: LoggerService) => Promise<unknown>;
  #lastStartedAt?: number;
  #deferred?: { timer: NodeJS.Timeout; logger: LoggerService };

  constructor(options: {
    minIntervalMs: number;
    refresh: (logger: LoggerService) => Promise<unknown>;
  }) {
    this.#minIntervalMs = options.minIntervalMs;
    this.#refresh = options.refresh;
  }

  /** Called whenever a refresh starts, whatever its trigger. */
  refreshStarted(): void {
    this.#lastStartedAt = Date.now();
    this.#cancelDeferred();
  }

  /**
   * A new snapshot was announced: refreshes now (resolving when that refresh is done) or, within the interval,
   * defers one refresh to its end (resolving at once).
   */
  async announced(logger: LoggerService): Promise<void> {
    const wait =
      this.#lastStartedAt === undefined
        ? 0
        : this.#lastStartedAt + this.#minIntervalMs - Date.now();
    if (wait <= 0) {
      await this.#refresh(logger);
      return;
    }
    if (this.#deferred) {
      // Coalesced into the refresh already deferred; it logs as the latest announcement.
      this.#deferred.logger = logger;
      return;
    }
    logger.debug(
      `Refresh deferred by ${wait} ms: the previous one started less than eventRefreshMinInterval ago`,
    );
    const timer = setTimeout(() => {
      const deferred = this.#deferred;
      this.#deferred = undefined;
      if (deferred) {
        void this.#refresh(deferred.logger);
      }
    }, wait);
    // A deferred refresh must not keep the process alive on shutdown.
    timer.unref();
    this.#deferred = { timer, logger };
  }

  /** Drops the deferred refresh: one that started since serves its announcements. */
  #cancelDeferred(): void {
    if (this.#deferred) {
      clearTimeout(this.#deferred.timer);
      this.#deferred = undefined;
    }
  }
}
