import type { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { AccessIndex } from '../snapshot/AccessIndex';
import type { SnapshotStore } from '../store/SnapshotStore';

/** No snapshot has been committed yet: requests get 503 with Retry-After. */
export class NoSnapshotError extends ServiceUnavailableError {
  constructor(detail: string) {
    super(`AWS access has not been synced yet: ${detail}`);
  }
}

/**
 * Holds the access index of the served snapshot. Each request takes one index object, so a response always
 * comes from one consistent version even while a new snapshot is committed. Replicas notice commits made
 * elsewhere by polling the latest version (a cheap query), at most every `pollIntervalMs`.
 */
export class SnapshotCache {
  readonly #store: SnapshotStore;
  readonly #logger: LoggerService;
  readonly #pollIntervalMs: number;
  #current?: AccessIndex;
  #checkedAt = 0;
  #loading?: Promise<AccessIndex | undefined>;

  static create(options: {
    store: SnapshotStore;
    logger: LoggerService;
    pollIntervalMs: number;
  }) {
    return new SnapshotCache(options);
  }

  private constructor(options: {
    store: SnapshotStore;
    logger: LoggerService;
    pollIntervalMs: number;
  }) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#pollIntervalMs = options.pollIntervalMs;
  }

  /** The index of the served snapshot, or undefined when none exists yet. */
  async tryCurrent(): Promise<AccessIndex | undefined> {
    if (this.#current && Date.now() - this.#checkedAt < this.#pollIntervalMs) {
      return this.#current;
    }
    this.#loading ??= this.#refresh().finally(() => {
      this.#loading = undefined;
    });
    return this.#loading;
  }

  /** The index of the served snapshot; throws {@link NoSnapshotError} when none exists yet. */
  async current(describeSync: () => Promise<string>): Promise<AccessIndex> {
    const index = await this.tryCurrent();
    if (!index) throw new NoSnapshotError(await describeSync());
    return index;
  }

  /** Called after a local commit, so this replica serves the new version at once. */
  async invalidate(): Promise<void> {
    this.#checkedAt = 0;
    await this.tryCurrent();
  }

  /**
   * Serves an index a local sync derived and committed, without reading the snapshot back and deriving it again
   * (seconds of CPU at 20,000 people). An older version than the one served is ignored.
   */
  adopt(index: AccessIndex): void {
    if (index.version === 0)
      throw new Error('Only a committed access index can be served');
    if (this.#current && this.#current.version >= index.version) return;
    this.#current = index;
    this.#checkedAt = Date.now();
    this.#logger.info('Serving access snapshot', {
      version: index.version,
      persons: index.persons.length,
      derivedBy: "this replica's sync",
    });
  }

  async #refresh(): Promise<AccessIndex | undefined> {
    const version = await this.#store.latestVersion();
    this.#checkedAt = Date.now();
    if (version === undefined) return undefined;
    if (this.#current?.version === version) return this.#current;
    // A delta on the version served so far needs only its patch read (the store checks the result).
    const stored = await this.#store.byVersion(
      version,
      this.#current && {
        version: this.#current.version,
        snapshot: this.#current.snapshot,
      },
    );
    if (!stored) return this.#current; // pruned between the two queries: keep serving what we have
    const started = Date.now();
    // Derived in slices: a replica's reload must not stall the backend's other requests either. With the index
    // served so far, only the people whose inputs changed are derived again (the result is the same).
    const index = await AccessIndex.derive({
      snapshot: stored.snapshot,
      version: stored.version,
      previous: this.#current,
    });
    // A local commit may have been adopted while this one was read: never go back to an older version.
    if (this.#current && this.#current.version > index.version)
      return this.#current;
    this.#current = index;
    this.#logger.info('Serving access snapshot', {
      version,
      persons: index.persons.length,
      rederived: index.work.rederived,
      derivedInMs: Date.now() - started,
    });
    return index;
  }
}
