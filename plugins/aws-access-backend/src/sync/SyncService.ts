import type { LoggerService } from '@backstage/backend-plugin-api';
import type { SyncRun } from '@aws-access/plugin-aws-access-common';
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { AwsSide, Snapshot } from '../snapshot/model';
import { snapshotCounts } from '../snapshot/model';
import { AccessIndex } from '../snapshot/AccessIndex';
import { validateSnapshot } from '../snapshot/validateSnapshot';
import { observeTransitions } from '../snapshot/observations';
import { RequestStats } from '../sources/requests/RequestStats';
import { SourceError } from '../sources/requests/SourceError';
import type { EntraReadResult } from '../sources/entra/EntraReader';
import type { SnapshotStore } from '../store/SnapshotStore';

/** What a run reads from: the Entra reader and the Identity Center reader (plugin-scoped seams for tests). */
export interface SnapshotSources {
  readEntra(
    ctx: {
      stats: RequestStats;
      signal?: AbortSignal;
      deadline?: number;
      now: Date;
    },
    previous?: Snapshot,
  ): Promise<EntraReadResult>;
  readAws(
    ctx: {
      stats: RequestStats;
      signal?: AbortSignal;
      deadline?: number;
      now: Date;
    },
    previous?: AwsSide,
  ): Promise<AwsSide>;
}

/** The counts whose drop the mass-delete brake watches. */
const BRAKE_COUNTS = [
  'accounts',
  'assignments',
  'identityCenterUsers',
  'entraUsers',
] as const;

export interface SyncServiceOptions {
  store: SnapshotStore;
  sources: SnapshotSources;
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

/** Why a new snapshot would lose too much, or nothing when it may be committed. */
export function massDeleteReasons(
  previous: Record<string, number> | undefined,
  next: Record<string, number>,
  threshold: number,
): string[] {
  if (!previous) return [];
  const reasons: string[] = [];
  for (const key of BRAKE_COUNTS) {
    const before = previous[key] ?? 0;
    const after = next[key] ?? 0;
    if (before === 0) continue;
    if (after === 0) {
      reasons.push(`${key} would drop from ${before} to 0`);
    } else if ((before - after) / before > threshold) {
      reasons.push(
        `${key} would drop by ${Math.round(
          ((before - after) / before) * 100,
        )} % (${before} → ${after}), more than ${Math.round(
          threshold * 100,
        )} %`,
      );
    }
  }
  return reasons;
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
    const deadline = startedAt.getTime() + this.#options.timeoutMs - 30_000;

    try {
      const previous = await this.#previous();
      const ctx = { stats, signal, deadline, now: startedAt };
      const stop = (error: unknown) => {
        abort.abort(error);
        throw error;
      };
      const [entra, aws] = await Promise.all([
        this.#options.sources.readEntra(ctx, previous?.snapshot).catch(stop),
        this.#options.sources.readAws(ctx, previous?.snapshot.aws).catch(stop),
      ]);
      const { snapshot, index } = this.#assemble(
        startedAt,
        entra,
        aws,
        stats,
        previous,
      );
      const finishedAt = this.#now();
      const durationMs = finishedAt.getTime() - startedAt.getTime();
      const requests = stats.requestsBySource();
      const counts = snapshotCounts(snapshot);

      const reasons = this.#options.massDeleteBrake
        ? massDeleteReasons(
            previous ? snapshotCounts(previous.snapshot) : undefined,
            counts,
            this.#options.massDeleteThreshold,
          )
        : [];
      if (reasons.length > 0) {
        const heldId = await store.hold({
          snapshot,
          kind: 'full',
          reasons,
          runId: id,
          finishedAt: finishedAt.toISOString(),
          durationMs,
          requests,
        });
        log.warn(
          'Sync held back a snapshot that would remove too much; a platform engineer must approve it',
          { heldId, reasons: reasons.join('; ') },
        );
        return this.#runRecord(id);
      }

      const version = await store.commit({
        snapshot,
        kind: 'full',
        runId: id,
        finishedAt: finishedAt.toISOString(),
        durationMs,
        requests,
      });
      log.info('Sync committed a new access snapshot', {
        version,
        durationMs,
        ...counts,
        requests: JSON.stringify(requests),
        findings: snapshot.findings.length,
      });
      await this.#afterCommit(version, index.markCommitted(version, snapshot));
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
  async #previous(): Promise<
    { snapshot: Snapshot; index?: AccessIndex } | undefined
  > {
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
    readAt: Date,
    entra: EntraReadResult,
    aws: AwsSide,
    stats: RequestStats,
    previous?: { snapshot: Snapshot; index?: AccessIndex },
  ): { snapshot: Snapshot; index: AccessIndex } {
    const validated = validateSnapshot({
      readAt: readAt.toISOString(),
      entra: entra.entra,
      aws,
      graphDelta: entra.delta,
      gapsFirstSeen: {},
      findings: [],
      stats: stats.snapshot(),
    });
    return this.#derive(validated, previous);
  }

  /** Carries gap ages across runs and records the grant changes this snapshot shows against the previous one. */
  #derive(
    snapshot: Snapshot,
    previous?: { snapshot: Snapshot; index?: AccessIndex },
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
