import type { LoggerService } from '@backstage/backend-plugin-api';
import type { CatalogProjection } from '@aws-access/plugin-aws-access-common';
import type { AwsAccessService } from '@aws-access/plugin-aws-access-node';
import type { MappingOptions, ProjectionIndex } from './projection';
import { buildProjectionIndex } from './projection';
import { FETCH_TIMEOUT_MS, withTimeout } from './withTimeout';

/** Why a projection was not taken. */
export type ProjectionRejection = 'invalid' | 'older-version' | 'empty';

/**
 * Checks the envelope of a projection (the records inside are checked one by one while mapping). Returns the
 * reason when the projection cannot be used at all.
 */
export function checkProjectionShape(projection: unknown): string | undefined {
  if (!projection || typeof projection !== 'object') {
    return 'the response is not an object';
  }
  const p = projection as Partial<CatalogProjection>;
  if (
    typeof p.snapshotVersion !== 'number' ||
    !Number.isFinite(p.snapshotVersion)
  ) {
    return 'snapshotVersion is not a number';
  }
  for (const key of [
    'accounts',
    'permissionSets',
    'entraGroups',
    'entraUsers',
    'assignments',
  ] as const) {
    if (!Array.isArray(p[key])) {
      return `${key} is not an array`;
    }
  }
  return undefined;
}

/**
 * The in-memory projection shared by the entity provider and the relations processor. It only ever moves
 * forward: it takes a projection when the fetch fully succeeded, the version is not older than the one it holds,
 * and the projection has accounts.
 *
 * Every backend replica processes catalog entities, but the provider's refresh runs on one replica (and a
 * snapshot event reaches one replica), so the processor refreshes the store itself when it is older than
 * `maxAgeMs` (at most every `retryMs`), in the background, and keeps serving what it has. Only while it has
 * nothing yet do callers wait for the fetch, at most `loadTimeoutMs` once per fetch, so a slow or failing
 * backend never stalls catalog processing for long.
 */
export class ProjectionStore {
  readonly #awsAccess: AwsAccessService;
  readonly #logger: LoggerService;
  readonly #options: MappingOptions;
  readonly #maxAgeMs: number;
  readonly #retryMs: number;
  readonly #loadTimeoutMs: number;
  readonly #fetchTimeoutMs: number;
  readonly #now: () => number;
  #current?: ProjectionIndex;
  #confirmedAt = Number.NEGATIVE_INFINITY;
  #lastAttemptAt = Number.NEGATIVE_INFINITY;
  #inFlight?: Promise<void>;
  #failing = false;
  #waitExpired = false;

  constructor(options: {
    awsAccess: AwsAccessService;
    logger: LoggerService;
    mapping: MappingOptions;
    maxAgeMs?: number;
    retryMs?: number;
    loadTimeoutMs?: number;
    fetchTimeoutMs?: number;
    now?: () => number;
  }) {
    this.#awsAccess = options.awsAccess;
    this.#logger = options.logger;
    this.#options = options.mapping;
    this.#maxAgeMs = options.maxAgeMs ?? 120_000;
    this.#retryMs = options.retryMs ?? 30_000;
    this.#loadTimeoutMs = options.loadTimeoutMs ?? 10_000;
    this.#fetchTimeoutMs = options.fetchTimeoutMs ?? FETCH_TIMEOUT_MS / 4;
    this.#now = options.now ?? Date.now;
  }

  get mapping(): MappingOptions {
    return this.#options;
  }

  /** The projection in use, if any. */
  current(): ProjectionIndex | undefined {
    return this.#current;
  }

  /** Maps a projection to entities and relation lookups (pure; does not change the store). */
  build(projection: CatalogProjection): Promise<ProjectionIndex> {
    return buildProjectionIndex(projection, this.#options);
  }

  /** Whether `offer` would take this index. */
  check(index: ProjectionIndex): ProjectionRejection | undefined {
    if (
      this.#current &&
      index.snapshotVersion < this.#current.snapshotVersion
    ) {
      return 'older-version';
    }
    if (index.counts.accounts === 0) {
      return 'empty';
    }
    return undefined;
  }

  /** Takes the index unless it is older than the current one or empty. */
  offer(index: ProjectionIndex): ProjectionRejection | undefined {
    const rejection = this.check(index);
    if (rejection) {
      return rejection;
    }
    this.#current = index;
    this.#confirmedAt = this.#now();
    return undefined;
  }

  /** Records that the backend still serves the version the store holds. */
  confirm(snapshotVersion: number): void {
    if (this.#current?.snapshotVersion === snapshotVersion) {
      this.#confirmedAt = this.#now();
    }
  }

  /** The projection for the relations processor; fetches when there is none yet or it has grown old. */
  async getForProcessing(): Promise<ProjectionIndex | undefined> {
    const now = this.#now();
    const stale = !this.#current || now - this.#confirmedAt >= this.#maxAgeMs;
    if (stale && now - this.#lastAttemptAt >= this.#retryMs) {
      this.#load().catch(() => {});
    }
    if (!this.#current && this.#inFlight && !this.#waitExpired) {
      // Nothing to serve yet: wait for the fetch, so entities processed at start get their relations at once.
      await this.#waitForLoad(this.#inFlight);
    }
    return this.#current;
  }

  /** Waits at most `loadTimeoutMs`; once a wait for this fetch has timed out, nobody waits for it again. */
  async #waitForLoad(load: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>(resolve => {
      timer = setTimeout(() => resolve('timeout'), this.#loadTimeoutMs);
      timer.unref?.();
    });
    try {
      if ((await Promise.race([load, timeout])) === 'timeout') {
        this.#waitExpired = true;
      }
    } finally {
      clearTimeout(timer);
    }
  }

  #load(): Promise<void> {
    if (!this.#inFlight) {
      this.#lastAttemptAt = this.#now();
      this.#waitExpired = false;
      this.#inFlight = this.#fetchAndOffer().finally(() => {
        this.#inFlight = undefined;
      });
    }
    return this.#inFlight;
  }

  async #fetchAndOffer(): Promise<void> {
    try {
      const projection = await withTimeout(
        this.#awsAccess.getCatalogProjection(),
        this.#fetchTimeoutMs,
        'Fetching the aws-access catalog projection',
      );
      const invalid = checkProjectionShape(projection);
      if (invalid) {
        this.#logger.warn(
          `aws-access projection for relations not usable: ${invalid}`,
        );
        return;
      }
      this.#failing = false;
      if (this.#current?.snapshotVersion === projection.snapshotVersion) {
        this.confirm(projection.snapshotVersion);
        return;
      }
      const index = await this.build(projection);
      const rejection = this.offer(index);
      if (rejection) {
        this.#logger.debug('aws-access projection for relations not taken', {
          reason: rejection,
          snapshotVersion: projection.snapshotVersion,
        });
      }
    } catch (error) {
      // Warn once per outage; the provider's refresh warns on every attempt anyway.
      const log = this.#failing ? this.#logger.debug : this.#logger.warn;
      this.#failing = true;
      log.call(
        this.#logger,
        `aws-access projection for relations could not be fetched; keeping the previous one: ${error}`,
      );
    }
  }
}
