import type { LoggerService } from '@backstage/backend-plugin-api';
import type { SyncRun } from '@aws-access/plugin-aws-access-common';
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { AwsSide, IdentitySide, Snapshot } from '../snapshot/model';
import { SNAPSHOT_SCHEMA_VERSION, snapshotCounts } from '../snapshot/model';
import { AccessIndex } from '../snapshot/AccessIndex';
import { validateSnapshot } from '../snapshot/validateSnapshot';
import { observeTransitions } from '../snapshot/observations';
import type { AccessSources, ReadContext } from '../sources/ports';
import { identitySideFromAws } from '../sources/identityCenter/identitySideFromAws';
import { RequestStats } from '../sources/requests/RequestStats';
import { SourceError } from '../sources/requests/SourceError';
import type { SnapshotStore } from '../store/SnapshotStore';
import { massDeleteReasons } from './massDeleteBrake';

/** The scheduler task of the full sync (one replica at a time). */
export const SYNC_TASK_ID = 'aws-access-sync';

/** A run gives up this long before the scheduler's timeout, so it can record why. */
const DEADLINE_MARGIN_MS = 30_000;

type Previous = { snapshot: Snapshot; index?: AccessIndex };

export interface SyncServiceOptions {
  store: SnapshotStore;
  sources: Pick<AccessSources, 'identity' | 'aws'>;
  logger: LoggerService;
  massDeleteThreshold: number;
  massDeleteBrake: boolean;
  /** The scheduler's timeout: a run gives up before it. */
  timeoutMs: number;
  runHistoryMs: number;
  /** How long observed grant changes are kept for timelines. Default 7 days. */
  observationLookbackMs?: number;
  /**
   * Called after every commit (the access service reloads; the events service tells the catalog), with the index
   * the run derived when it has one, so this replica serves it without reading the snapshot back.
   */
  onCommitted: (version: number, index?: AccessIndex) => Promise<void>;
  /** The index this replica serves; reused as the previous snapshot when it is the latest, instead of reloading. */
  servedIndex?: () => Promise<AccessIndex | undefined>;
  now?: () => Date;
}

/**
 * Runs syncs: read every source completely, validate, derive, brake, commit in one transaction. A run that
 * fails anywhere changes nothing that is served and records which source failed and how.
 */
export class SyncService {
  readonly #options: SyncServiceOptions;
  readonly #now: () => Date;

  static create(options: SyncServiceOptions) {
    return new SyncService(options);
  }

  private constructor(options: SyncServiceOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  async run(
    options: { trigger?: SyncRun['trigger']; signal?: AbortSignal } = {},
  ): Promise<SyncRun> {
    const { store, logger } = this.#options;
    const startedAt = this.#now();
    const id = randomUUID();
    const trigger = options.trigger ?? 'schedule';
    await store.failAbandonedRuns(
      new Date(startedAt.getTime() - this.#options.timeoutMs).toISOString(),
      startedAt.toISOString(),
    );
    await store.startRun({ id, trigger, startedAt: startedAt.toISOString() });
    const log = logger.child({ task: 'aws-access-sync', runId: id, trigger });
    const stats = new RequestStats();
    // Stop every reader as soon as one fails: the run is lost anyway, so save the shared request budget.
    const abort = new AbortController();
    const signal = options.signal
      ? AbortSignal.any([options.signal, abort.signal])
      : abort.signal;
    // Every in-flight request listens to the run's signal; hundreds may be waiting at once.
    setMaxListeners(0, signal);
    const ctx: ReadContext = {
      stats,
      signal,
      deadline:
        startedAt.getTime() + this.#options.timeoutMs - DEADLINE_MARGIN_MS,
      now: startedAt,
    };
    try {
      const previous = await this.#previous();
      const [identity, aws] = await this.#read(ctx, abort, previous?.snapshot);
      const { snapshot, index } = this.#assemble(ctx, identity, aws, previous);
      await this.#holdOrCommit(
        { id, startedAt, stats, log },
        snapshot,
        index,
        previous,
      );
      return this.#runRecord(id);
    } catch (error) {
      const failure = await this.#recordFailure(id, startedAt, stats, error);
      log.error('Sync failed; the previous snapshot keeps being served', {
        source: failure.source,
        errorClass: failure.class,
        message: failure.message,
      });
      return this.#runRecord(id);
    } finally {
      await store
        .pruneRuns(
          new Date(
            startedAt.getTime() - this.#options.runHistoryMs,
          ).toISOString(),
        )
        .catch(() => undefined);
    }
  }

  /**
   * Both sides, read in parallel; the first failure stops the other. Without an identity source the identity side
   * is derived from what the AWS source read.
   */
  async #read(
    ctx: ReadContext,
    abort: AbortController,
    previous?: Snapshot,
  ): Promise<[IdentitySide, AwsSide]> {
    const { identity, aws } = this.#options.sources;
    const stop = (error: unknown): never => {
      abort.abort(error);
      throw error;
    };
    if (!identity) {
      const awsSide = await aws.read(ctx, previous?.aws);
      return [identitySideFromAws(awsSide), awsSide];
    }
    return Promise.all([
      identity.read(ctx, previous?.identity).catch(stop),
      aws.read(ctx, previous?.aws).catch(stop),
    ]);
  }

  /** Holds the snapshot back when the mass-delete brake says so; commits it and serves its index otherwise. */
  async #holdOrCommit(
    run: {
      id: string;
      startedAt: Date;
      stats: RequestStats;
      log: LoggerService;
    },
    snapshot: Snapshot,
    index: AccessIndex,
    previous?: Previous,
  ) {
    const { store } = this.#options;
    const finishedAt = this.#now();
    const durationMs = finishedAt.getTime() - run.startedAt.getTime();
    const requests = run.stats.requestsBySource();
    const counts = snapshotCounts(snapshot);
    const outcome = {
      snapshot,
      kind: 'full' as const,
      runId: run.id,
      finishedAt: finishedAt.toISOString(),
      durationMs,
      requests,
    };
    const reasons = this.#options.massDeleteBrake
      ? massDeleteReasons(
          previous ? snapshotCounts(previous.snapshot) : undefined,
          counts,
          this.#options.massDeleteThreshold,
        )
      : [];
    if (reasons.length > 0) {
      const heldId = await store.hold({ ...outcome, reasons });
      run.log.warn(
        'Sync held back a snapshot that would remove too much; a platform engineer must approve it',
        { heldId, reasons: reasons.join('; ') },
      );
      return;
    }
    const version = await store.commit(outcome);
    run.log.info('Sync committed a new access snapshot', {
      version,
      durationMs,
      ...counts,
      requests: JSON.stringify(requests),
      findings: snapshot.findings.length,
    });
    await this.#afterCommit(version, index.markCommitted(version, snapshot));
  }

  /** Marks a run failed with the error's source and class; the served snapshot is left untouched. */
  async #recordFailure(
    id: string,
    startedAt: Date,
    stats: RequestStats,
    error: unknown,
  ) {
    const failure =
      error instanceof SourceError
        ? {
            source: error.source,
            class: error.errorClass,
            message: error.message,
          }
        : {
            source: 'sync',
            class: (error as Error)?.name ?? 'Error',
            message: (error as Error)?.message ?? String(error),
          };
    const finishedAt = this.#now();
    await this.#options.store.finishRun(id, {
      outcome: 'failed',
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - startedAt.getTime(),
      error: failure,
      requests: stats.requestsBySource(),
    });
    return failure;
  }

  /** The latest committed snapshot, with its index when this replica already serves it. */
  async #previous(): Promise<Previous | undefined> {
    const served = await this.#options.servedIndex?.();
    if (
      served &&
      served.version === (await this.#options.store.latestVersion())
    ) {
      return { snapshot: served.snapshot, index: served };
    }
    const stored = await this.#options.store.latest();
    return stored && { snapshot: stored.snapshot };
  }

  #assemble(
    ctx: ReadContext,
    identity: IdentitySide,
    aws: AwsSide,
    previous?: Previous,
  ): { snapshot: Snapshot; index: AccessIndex } {
    const validated = validateSnapshot({
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      readAt: ctx.now.toISOString(),
      identity,
      aws,
      gapsFirstSeen: {},
      findings: [],
      stats: ctx.stats.snapshot(),
    });
    return this.#derive(validated, previous);
  }

  /** Carries gap ages across runs and records the grant changes this snapshot shows against the previous one. */
  #derive(
    snapshot: Snapshot,
    previous?: Previous,
  ): { snapshot: Snapshot; index: AccessIndex } {
    const index = AccessIndex.build({
      snapshot,
      version: 0,
      previousGapsFirstSeen: previous?.snapshot.gapsFirstSeen ?? {},
    });
    const syncEvents = observeTransitions({
      previous:
        previous &&
        (previous.index ??
          AccessIndex.build({ snapshot: previous.snapshot, version: 0 })),
      next: index,
      at: snapshot.readAt,
      lookbackMs: this.#options.observationLookbackMs ?? 7 * 86_400_000,
    });
    return {
      snapshot: { ...snapshot, gapsFirstSeen: index.gapsFirstSeen, syncEvents },
      index,
    };
  }

  /**
   * Commits a snapshot built outside a full run (a targeted refresh of one user), through the same brake-free
   * commit path; `build` receives the served snapshot and returns the new one.
   */
  async commitTargeted(options: {
    reason: string;
    build: (
      current: Snapshot,
      ctx: { stats: RequestStats; now: Date; signal?: AbortSignal },
    ) => Promise<Snapshot>;
    signal?: AbortSignal;
  }): Promise<{ run: SyncRun; version?: number }> {
    const { store, logger } = this.#options;
    const startedAt = this.#now();
    const id = randomUUID();
    await store.startRun({
      id,
      trigger: 'targeted',
      startedAt: startedAt.toISOString(),
    });
    const stats = new RequestStats();
    try {
      const current = await this.#previous();
      if (!current)
        throw new Error(
          'No snapshot has been committed yet; a full sync must run first',
        );
      const built = await options.build(current.snapshot, {
        stats,
        now: startedAt,
        signal: options.signal,
      });
      const { snapshot, index } = this.#derive(
        validateSnapshot({ ...built, readAt: startedAt.toISOString() }),
        current,
      );
      const finishedAt = this.#now();
      const version = await store.commit({
        snapshot,
        kind: 'targeted',
        runId: id,
        finishedAt: finishedAt.toISOString(),
        durationMs: finishedAt.getTime() - startedAt.getTime(),
        requests: stats.requestsBySource(),
      });
      logger.info('Targeted refresh committed a new access snapshot', {
        version,
        reason: options.reason,
        requests: JSON.stringify(stats.requestsBySource()),
      });
      await this.#afterCommit(version, index.markCommitted(version, snapshot));
      return { run: await this.#runRecord(id), version };
    } catch (error) {
      const failure = await this.#recordFailure(id, startedAt, stats, error);
      logger.warn('Targeted refresh failed; nothing changed', {
        reason: options.reason,
        source: failure.source,
        errorClass: failure.class,
      });
      return { run: await this.#runRecord(id) };
    }
  }

  /** Commits the held snapshot as a new version. */
  async approveHeld(): Promise<SyncRun | undefined> {
    const { store } = this.#options;
    const id = randomUUID();
    const now = this.#now().toISOString();
    if (!(await store.held())) return undefined;
    await store.startRun({ id, trigger: 'approval', startedAt: now });
    const version = await store.approveHeld({ runId: id, finishedAt: now });
    if (version === undefined) {
      await store.finishRun(id, {
        outcome: 'unchanged',
        finishedAt: now,
        durationMs: 0,
      });
      return undefined;
    }
    this.#options.logger.info('A held snapshot was approved and committed', {
      version,
    });
    await this.#afterCommit(version);
    return this.#runRecord(id);
  }

  async #afterCommit(version: number, index?: AccessIndex) {
    try {
      await this.#options.onCommitted(version, index);
    } catch (error) {
      // The snapshot is committed either way; listeners catch up on their next poll.
      this.#options.logger.warn('Could not announce a committed snapshot', {
        version,
        error: String(error),
      });
    }
  }

  async #runRecord(id: string): Promise<SyncRun> {
    const runs = await this.#options.store.recentRuns(50);
    return runs.find(r => r.id === id)!;
  }
}
