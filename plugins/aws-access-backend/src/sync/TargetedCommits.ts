import type { LoggerService } from '@backstage/backend-plugin-api';
import type { SyncRun } from '@aws-access/plugin-aws-access-common';
import { randomUUID } from 'node:crypto';
import type { AccessIndex } from '../snapshot/AccessIndex';
import type { Snapshot } from '../snapshot/model';
import { runInSlices } from '../snapshot/slices';
import { validateSnapshotSliced } from '../snapshot/validateSnapshot';
import { RequestStats } from '../sources/requests/RequestStats';
import { SourceError } from '../sources/requests/SourceError';
import type { SnapshotStore } from '../store/SnapshotStore';
import { StaleBaseError } from '../store/SnapshotStore';
import { TurnsTakenTogether } from './TurnsTakenTogether';

/** How often a targeted refresh builds again when full syncs keep committing under it. */
const TARGETED_ATTEMPTS = 3;

/** The latest committed snapshot and its version, with its index when this replica serves it. */
export type LatestSnapshot = {
  snapshot: Snapshot;
  version: number;
  index?: AccessIndex;
};

/** What targeted commits share with the sync service's other commits. */
export interface CommitPath {
  latest(): Promise<LatestSnapshot | undefined>;
  /** Gap ages, observations and the index, derived against the latest. */
  derive(
    snapshot: Snapshot,
    latest: LatestSnapshot,
  ): Promise<{ snapshot: Snapshot; index: AccessIndex }>;
  /** Marks a run failed with the error's source and class. */
  recordFailure(
    id: string,
    startedAt: Date,
    stats: RequestStats,
    error: unknown,
  ): Promise<{ source: string; class: string }>;
  /** Tells listeners (the access service, the catalog) of a committed version. */
  announce(version: number, index?: AccessIndex): Promise<void>;
}

/** A refresh built outside a full run; see {@link SyncService.commitTargeted}. */
export type TargetedRefresh = {
  reason: string;
  build: (
    current: Snapshot,
    ctx: {
      stats: RequestStats;
      now: Date;
      signal?: AbortSignal;
      /**
       * The committed version `current` is; undefined when `current` already holds the changes of refreshes built
       * before this one in the same turn (on that version).
       */
      basedOn: number | undefined;
    },
  ) => Promise<Snapshot>;
  signal?: AbortSignal;
  stats?: RequestStats;
};

export type TargetedResult = { run: SyncRun; version?: number };

/** A targeted refresh in its turn, with its run's record. */
type TargetedRun = {
  refresh: TargetedRefresh;
  id: string;
  stats: RequestStats;
  /** Set once its record is finished: failed, or committed in `version`. */
  finished?: boolean;
  version?: number;
};

/** A targeted refresh needs a committed snapshot to build on. */
class NoSnapshotYetError extends Error {
  name = 'NoSnapshotYetError';
  constructor() {
    super('No snapshot has been committed yet; a full sync must run first');
  }
}

/**
 * Whether a targeted refresh built with others may have failed on another's part: anything but a source's own
 * failure, a base that kept moving, or no snapshot at all.
 */
function mayBeAnothers(error: unknown): boolean {
  return !(
    error instanceof SourceError ||
    error instanceof StaleBaseError ||
    error instanceof NoSnapshotYetError
  );
}

export interface TargetedCommitsOptions {
  store: Pick<SnapshotStore, 'startRun' | 'commit' | 'runsByIds'>;
  logger: LoggerService;
  now: () => Date;
  /** How long a turn waits for the one before it at most (SyncServiceOptions.targetedTurnMaxWaitMs). */
  maxWaitMs: number;
  path: CommitPath;
}

/**
 * This replica's targeted refreshes, in turns: two at once would each derive the whole index on the same version
 * (at 100,000 people, seconds of CPU each on the one event loop), and the later commit would find its base stale
 * and derive again. In turns, each reads after the one before committed and builds on the index it serves; those
 * that waited for the same turn are built one on another and derived and committed once.
 */
export class TargetedCommits {
  readonly #options: TargetedCommitsOptions;
  readonly #turns: TurnsTakenTogether<TargetedRefresh, TargetedResult>;

  constructor(options: TargetedCommitsOptions) {
    this.#options = options;
    this.#turns = new TurnsTakenTogether({
      maxWaitMs: options.maxWaitMs,
      turn: refreshes => this.#turn(refreshes),
    });
  }

  /** Commits the refresh in the next turn, with the others that wait for it. */
  commit(refresh: TargetedRefresh): Promise<TargetedResult> {
    return this.#turns.run(refresh);
  }

  /** One turn: every refresh that waited for it, built together, committed as one snapshot. */
  async #turn(refreshes: TargetedRefresh[]): Promise<TargetedResult[]> {
    const { store } = this.#options;
    const startedAt = this.#options.now();
    const runs: TargetedRun[] = [];
    try {
      for (const refresh of refreshes) {
        const run = {
          refresh,
          id: randomUUID(),
          stats: refresh.stats ?? new RequestStats(),
        };
        await store.startRun({
          id: run.id,
          trigger: 'targeted',
          startedAt: startedAt.toISOString(),
        });
        runs.push(run);
      }
    } catch (error) {
      for (const run of runs) await this.#fail(run, startedAt, error);
      throw error;
    }
    await this.#commitTogether(runs, startedAt);
    const records = await store.runsByIds(runs.map(r => r.id));
    return runs.map((r, i) => ({ run: records[i]!, version: r.version }));
  }

  /**
   * Builds each refresh on the one before (the first on the latest snapshot), then validates, derives and commits
   * once. A refresh fails only its own run: one whose build failed on another's result, and all of them when what
   * they built together fails (validation, derivation), go again alone. A source's failure, an abort, a base that
   * kept moving or no snapshot at all would fail them alone just the same, so those fail at once.
   */
  async #commitTogether(runs: TargetedRun[], startedAt: Date) {
    const { logger } = this.#options;
    try {
      const committed = await this.#buildAndCommit(runs, startedAt);
      if (committed) {
        const { version, snapshot, index, built } = committed;
        for (const run of built)
          Object.assign(run, { finished: true, version });
        logger.info('Targeted refresh committed a new access snapshot', {
          version,
          reason: built.map(r => r.refresh.reason).join('; '),
          refreshes: built.length,
          requests: JSON.stringify(requestsOf(built)),
        });
        await this.#options.path.announce(
          version,
          index.markCommitted(version, snapshot),
        );
      }
    } catch (error) {
      const open = runs.filter(r => !r.finished);
      if (open.length === 1 || !mayBeAnothers(error))
        for (const run of open) await this.#fail(run, startedAt, error);
    }
    for (const run of runs.filter(r => !r.finished))
      await this.#commitTogether([run], startedAt);
  }

  /** Records the run failed; a store that fails too leaves it running until a full run marks it abandoned. */
  async #fail(run: TargetedRun, startedAt: Date, error: unknown) {
    const { logger } = this.#options;
    run.finished = true;
    try {
      const failure = await this.#options.path.recordFailure(
        run.id,
        startedAt,
        run.stats,
        error,
      );
      logger.warn('Targeted refresh failed; nothing changed', {
        reason: run.refresh.reason,
        source: failure.source,
        errorClass: failure.class,
      });
    } catch (recording) {
      logger.error('Targeted refresh failed, and so did recording it', {
        reason: run.refresh.reason,
        error: String(error),
        recordingError: String(recording),
      });
    }
  }

  /**
   * Builds on the latest snapshot and commits on condition that it is still the latest; when a full sync committed
   * meanwhile, builds again on that one (a refresh must never undo a full sync). Undefined when no build succeeded.
   */
  async #buildAndCommit(runs: TargetedRun[], startedAt: Date) {
    for (let attempt = 1; ; attempt++) {
      const current = await this.#options.path.latest();
      if (!current) throw new NoSnapshotYetError();
      let built = current.snapshot;
      const included: TargetedRun[] = [];
      for (const run of runs.filter(r => !r.finished)) {
        try {
          built = await run.refresh.build(built, {
            stats: run.stats,
            now: startedAt,
            signal: run.refresh.signal,
            basedOn: included.length === 0 ? current.version : undefined,
          });
          included.push(run);
        } catch (error) {
          // Built on another refresh's result, it may have failed on that: it goes again alone (#commitTogether).
          if (
            included.length === 0 ||
            !mayBeAnothers(error) ||
            run.refresh.signal?.aborted
          )
            await this.#fail(run, startedAt, error);
        }
      }
      if (included.length === 0) return undefined;
      const { snapshot, index } = await this.#options.path.derive(
        await runInSlices(
          validateSnapshotSliced({ ...built, readAt: startedAt.toISOString() }),
        ),
        current,
      );
      const finishedAt = this.#options.now();
      const [first, ...others] = included;
      try {
        const version = await this.#options.store.commit({
          snapshot,
          kind: 'targeted',
          runId: first.id,
          requests: first.stats.requestsBySource(),
          alsoFinishes: others.map(r => ({
            runId: r.id,
            requests: r.stats.requestsBySource(),
          })),
          finishedAt: finishedAt.toISOString(),
          durationMs: finishedAt.getTime() - startedAt.getTime(),
          basedOn: current.version,
          base: current.snapshot,
        });
        return { version, snapshot, index, built: included };
      } catch (error) {
        if (!(error instanceof StaleBaseError) || attempt >= TARGETED_ATTEMPTS)
          throw error;
      }
    }
  }
}

/** The requests of several runs, summed by source. */
function requestsOf(runs: TargetedRun[]): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const run of runs)
    for (const [source, count] of Object.entries(run.stats.requestsBySource()))
      sum[source] = (sum[source] ?? 0) + count;
  return sum;
}
