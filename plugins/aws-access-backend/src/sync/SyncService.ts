import type { LoggerService } from '@backstage/backend-plugin-api';
import type { SyncRun } from '@aws-access/plugin-aws-access-common';
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { AwsSide, IdentitySide, Snapshot } from '../snapshot/model';
import { SNAPSHOT_SCHEMA_VERSION, snapshotCounts } from '../snapshot/model';
import { AccessIndex } from '../snapshot/AccessIndex';
import { withSignOnPortal } from '../snapshot/accessPortal';
import { runInSlices } from '../snapshot/slices';
import { validateSnapshotSliced } from '../snapshot/validateSnapshot';
import { observeTransitions } from '../snapshot/observations';
import type { AccessSources, ReadContext } from '../sources/ports';
import { identitySideFromAws } from '../sources/identityCenter/identitySideFromAws';
import { RequestStats } from '../sources/requests/RequestStats';
import { SourceError } from '../sources/requests/SourceError';
import type { MissedChange } from '@aws-access/plugin-aws-access-common';
import { missedChanges } from '../events/missedChanges';
import type {
  HeldRead,
  RunOutcome,
  SnapshotStore,
} from '../store/SnapshotStore';
import { StaleBaseError } from '../store/SnapshotStore';
import { keepNewerReadsSliced } from '../snapshot/keepNewerReads';
import { massDeleteReasons } from './massDeleteBrake';
import { SyncProgressReporter } from './SyncProgressReporter';
import type {
  LatestSnapshot,
  TargetedRefresh,
  TargetedResult,
} from './TargetedCommits';
import { TargetedCommits } from './TargetedCommits';

/** The scheduler task of the full sync (one replica at a time). */
export const SYNC_TASK_ID = 'aws-access-sync';

/** A run gives up this long before the scheduler's timeout, so it can record why. */
const DEADLINE_MARGIN_MS = 30_000;

type Previous = LatestSnapshot;

/** A committed snapshot as derived, and the version it was committed on (whose newer reads it kept). */
type Committed = {
  version: number;
  snapshot: Snapshot;
  index: AccessIndex;
  against?: Previous;
};

/** A full run's read derived, and the version it was derived on (whose newer reads it kept). */
type Derived = { snapshot: Snapshot; index: AccessIndex; on?: Previous };

/** A latest snapshot without its index, for holding while a run reads. */
const snapshotOnly = (latest?: Previous): Previous | undefined =>
  latest && { snapshot: latest.snapshot, version: latest.version };

/** How often a full run (or an approval) merges and commits again when targeted refreshes keep committing under it. */
const FULL_COMMIT_ATTEMPTS = 5;

type FullRun = {
  id: string;
  startedAt: Date;
  stats: RequestStats;
  log: LoggerService;
};

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
  /**
   * How long targeted refreshes wait for this replica's previous turn before they go ahead anyway (a read that hangs
   * must not stop every later refresh; side by side they are only slower). Default 2 minutes. Within a turn the
   * builds run one after another, so a build that hangs holds those of its own turn built after it.
   */
  targetedTurnMaxWaitMs?: number;
  /** How often a running sync records its progress at most. Default 1 s. */
  progressIntervalMs?: number;
  /**
   * With change events, every committed full run is a reconciliation: told what its read found that the previous
   * snapshot (kept by the events) did not have.
   */
  onReconciled?: (report: {
    runId: string;
    at: string;
    differences: MissedChange[];
  }) => Promise<void>;
}

/**
 * Runs syncs: read every source completely, validate, derive, brake, commit in one transaction. A run that
 * fails anywhere changes nothing that is served and records which source failed and how.
 */
export class SyncService {
  readonly #options: SyncServiceOptions;
  readonly #now: () => Date;
  readonly #targeted: TargetedCommits;

  static create(options: SyncServiceOptions) {
    return new SyncService(options);
  }

  private constructor(options: SyncServiceOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    this.#targeted = new TargetedCommits({
      store: options.store,
      logger: options.logger,
      now: this.#now,
      maxWaitMs: options.targetedTurnMaxWaitMs ?? 120_000,
      path: {
        latest: () => this.#previous(),
        derive: (snapshot, previous) => this.#derive(snapshot, previous),
        recordFailure: (id, startedAt, stats, error) =>
          this.#recordFailure(id, startedAt, stats, error),
        announce: (version, index) => this.#afterCommit(version, index),
      },
    });
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
    const expected = (await store.lastSuccessfulFullRun())?.requests;
    await store.startRun({ id, trigger, startedAt: startedAt.toISOString() });
    const log = logger.child({ task: 'aws-access-sync', runId: id, trigger });
    const progress = new SyncProgressReporter({
      expected,
      write: p => store.recordProgress(id, p),
      logger: log,
      now: this.#now,
      intervalMs: this.#options.progressIntervalMs,
    });
    const stats = new RequestStats(progress.onRequest);
    progress.watch(stats);
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
      await progress.phase('starting');
      // Its snapshot, not its index: the run reads for minutes, and a refresh that commits meanwhile serves another
      // index; holding this one too kept 100,000 people twice in the heap at the envelope. #derive finds the served
      // index when it is still this version's.
      const previous = snapshotOnly(await this.#previous());
      await progress.phase('reading');
      const [identity, aws] = await this.#read(ctx, abort, previous?.snapshot);
      await progress.phase('validating');
      const validated = await this.#validate(ctx, identity, aws);
      await progress.phase('deriving');
      const derived = await this.#deriveOnNewest(validated, previous);
      await progress.phase('committing');
      await progress.stop();
      await this.#holdOrCommit(
        { id, startedAt, stats, log },
        validated,
        derived,
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
      await progress.stop();
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
   * is derived from what the AWS source read. The AWS app's sign-on URL may name the access portal (its alias).
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
    const [identitySide, awsSide] = await Promise.all([
      identity.read(ctx, previous?.identity).catch(stop),
      aws.read(ctx, previous?.aws).catch(stop),
    ]);
    return [identitySide, withSignOnPortal(awsSide, identitySide)];
  }

  /** Holds the snapshot back when the mass-delete brake says so; commits it and serves its index otherwise. */
  async #holdOrCommit(
    run: FullRun,
    read: Snapshot,
    derived: Derived,
    previous?: Previous,
  ) {
    const { snapshot } = derived;
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
    // Against the version it was derived on: what a refresh committed meanwhile is not this run's removal.
    const before = derived.on?.snapshot;
    const reasons = this.#options.massDeleteBrake
      ? massDeleteReasons(
          before ? snapshotCounts(before) : undefined,
          counts,
          this.#options.massDeleteThreshold,
        )
      : [];
    if (reasons.length > 0) {
      const held = await this.#onLatest(read, derived, previous);
      // Its approval keeps what targeted refreshes commit after this version (approveHeld).
      const heldId = await store.hold({
        ...outcome,
        snapshot: held.snapshot,
        reasons,
        basedOn: held.on?.version,
      });
      run.log.warn(
        'Sync held back a snapshot that would remove too much; a platform engineer must approve it',
        { heldId, reasons: reasons.join('; ') },
      );
      return;
    }
    const committed = await this.#commitFull(outcome, read, derived, previous);
    run.log.info('Sync committed a new access snapshot', {
      version: committed.version,
      durationMs,
      ...counts,
      requests: JSON.stringify(requests),
      findings: committed.snapshot.findings.length,
      ...(committed.against !== previous && {
        keptNewerReadsOfVersion: committed.against?.version,
      }),
    });
    await this.#afterCommit(
      committed.version,
      committed.index.markCommitted(committed.version, committed.snapshot),
    );
    await this.#reportReconciliation(
      run,
      read.readAt,
      committed.snapshot,
      committed.against,
    );
  }

  /**
   * Commits a full run on condition that nothing was committed since the version it was derived on. When targeted
   * refreshes committed meanwhile, they read later than this run: their changes are kept (keepNewerReads.ts) and the run commits on top
   * of them, so a full sync never undoes a refresh, as a refresh never undoes a full sync.
   */
  async #commitFull(
    outcome: Omit<RunOutcome, 'basedOn'>,
    read: Snapshot,
    derived: Derived,
    previous?: Previous,
  ): Promise<Committed> {
    let result = derived;
    let against = derived.on;
    for (let attempt = 1; ; attempt++) {
      try {
        const version = await this.#options.store.commit({
          ...outcome,
          snapshot: result.snapshot,
          basedOn: against?.version,
          base: against?.snapshot,
        });
        return { version, ...result, against };
      } catch (error) {
        if (
          !(error instanceof StaleBaseError) ||
          attempt >= FULL_COMMIT_ATTEMPTS
        )
          throw error;
      }
      const latest = (await this.#previous())!;
      result = await this.#deriveOnLatest(read, latest, previous!.snapshot);
      against = latest;
    }
  }

  /**
   * A full read to hold, built on the latest version: targeted refreshes that committed while the run read are kept
   * (keepNewerReads.ts), as a commit keeps them. The version the run read on is only in this process: commits
   * beyond the retention may have pruned it already, and an approval could not merge against it.
   */
  async #onLatest(
    read: Snapshot,
    derived: Derived,
    previous?: Previous,
  ): Promise<{ snapshot: Snapshot; on?: Previous }> {
    const latest = previous && (await this.#previous());
    if (!previous || !latest || latest.version === derived.on?.version)
      return { snapshot: derived.snapshot, on: derived.on };
    const rebuilt = await this.#deriveOnLatest(read, latest, previous.snapshot);
    return { snapshot: rebuilt.snapshot, on: latest };
  }

  /**
   * A run's read derived on the newest version: when a targeted refresh committed while the run read (the identity
   * refresh that began just before it, say), on that version at once, rather than on the version the run read on and
   * again when the commit finds that stale: at 100,000 people a second derivation is ~15 s of CPU and ~400 MB more
   * heap while the first one's result is still held.
   */
  async #deriveOnNewest(read: Snapshot, previous?: Previous): Promise<Derived> {
    // The version number first: loading the newest snapshot is only worth it when there is one.
    const moved =
      previous &&
      (await this.#options.store.latestVersion()) !== previous.version;
    const latest = moved ? await this.#previous() : undefined;
    if (!previous || !latest || latest.version === previous.version)
      return { ...(await this.#derive(read, previous)), on: previous };
    return {
      ...(await this.#deriveOnLatest(read, latest, previous.snapshot)),
      on: latest,
    };
  }

  /**
   * A full read (a run's, or a held one) on the latest version: what targeted refreshes committed after `base`, the
   * version it was read on, is kept (keepNewerReads.ts), and the result validated and derived against the latest.
   * Without a base it is taken as it was read.
   */
  async #deriveOnLatest(
    read: Snapshot,
    latest: Previous | undefined,
    base: Snapshot | undefined,
  ): Promise<{ snapshot: Snapshot; index: AccessIndex }> {
    const merged =
      latest && base
        ? await runInSlices(
            keepNewerReadsSliced({
              base,
              current: latest.snapshot,
              full: read,
            }),
          )
        : read;
    return this.#derive(
      await runInSlices(validateSnapshotSliced(merged)),
      latest,
    );
  }

  /** `readAt` is when the full read was made: the committed snapshot's may be a later refresh's (keepNewerReads). */
  async #reportReconciliation(
    run: { id: string; log: LoggerService },
    readAt: string,
    snapshot: Snapshot,
    previous?: Previous,
  ) {
    const { onReconciled } = this.#options;
    if (!onReconciled || !previous) return;
    const differences = missedChanges(previous.snapshot.aws, snapshot.aws);
    if (differences.length > 0)
      run.log.warn(
        'The full reconciliation found changes the change events had not brought',
        { missed: differences.length },
      );
    await onReconciled({
      runId: run.id,
      at: readAt,
      differences,
    }).catch(error =>
      run.log.warn('Could not record the reconciliation', {
        error: String(error),
      }),
    );
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
      return {
        snapshot: served.snapshot,
        version: served.version,
        index: served,
      };
    }
    // A replica serving an older version reads only the deltas since (when the latest is stored as one).
    const stored = await this.#options.store.latest(
      served && { version: served.version, snapshot: served.snapshot },
    );
    return stored && { snapshot: stored.snapshot, version: stored.version };
  }

  /** The served index when it is `version`'s. */
  async #servedIndexAt(version: number): Promise<AccessIndex | undefined> {
    const served = await this.#options.servedIndex?.();
    return served?.version === version ? served : undefined;
  }

  /** Validates in slices: at 20,000 people the checks take long enough to be felt by other requests. */
  #validate(
    ctx: ReadContext,
    identity: IdentitySide,
    aws: AwsSide,
  ): Promise<Snapshot> {
    return runInSlices(
      validateSnapshotSliced({
        schemaVersion: SNAPSHOT_SCHEMA_VERSION,
        readAt: ctx.now.toISOString(),
        sidesReadAt: {
          identity: ctx.now.toISOString(),
          aws: ctx.now.toISOString(),
        },
        identity,
        aws,
        gapsFirstSeen: {},
        findings: [],
        stats: ctx.stats.snapshot(),
      }),
    );
  }

  /**
   * Carries gap ages across runs and records the grant changes this snapshot shows against the previous one. Runs
   * in slices (slices.ts) that give the event loop back: the same result as deriving at once, without stalling.
   * Only the people whose inputs changed since the previous index are derived (personInputs.ts); a full run
   * without a served index derives the previous snapshot's first, which it needs for the observations anyway.
   */
  async #derive(
    snapshot: Snapshot,
    previous?: Previous,
  ): Promise<{ snapshot: Snapshot; index: AccessIndex }> {
    const started = performance.now();
    const previousIndex =
      previous &&
      (previous.index ??
        (await this.#servedIndexAt(previous.version)) ??
        (await AccessIndex.derive({
          snapshot: previous.snapshot,
          version: 0,
        })));
    const derivedFrom = performance.now();
    const index = await AccessIndex.derive({
      snapshot,
      version: 0,
      previousGapsFirstSeen: previous?.snapshot.gapsFirstSeen ?? {},
      previous: previousIndex,
    });
    const syncEvents = await runInSlices(
      observeTransitions({
        previous: previousIndex,
        next: index,
        at: snapshot.readAt,
        lookbackMs: this.#options.observationLookbackMs ?? 7 * 86_400_000,
      }),
    );
    const finished = performance.now();
    this.#options.logger.info('Derived the access index', {
      derivedMs: Math.round(finished - derivedFrom),
      previousDerivedMs: Math.round(derivedFrom - started),
      persons: index.work.persons,
      rederived: index.work.rederived,
    });
    return {
      snapshot: { ...snapshot, gapsFirstSeen: index.gapsFirstSeen, syncEvents },
      index,
    };
  }

  /** The latest committed snapshot and its version (the served one's when it is the latest); undefined before any. */
  async latest(): Promise<{ snapshot: Snapshot; version: number } | undefined> {
    const previous = await this.#previous();
    return (
      previous && { snapshot: previous.snapshot, version: previous.version }
    );
  }

  /**
   * Commits a snapshot built outside a full run (a targeted refresh of one user), through the same brake-free
   * commit path; `build` receives the latest snapshot and its version (`basedOn`) and returns the new one. Reads
   * made before the call can count in the run's requests by passing their `stats`. This replica's refreshes take
   * turns, in the order they were asked for; those asked for while a turn runs share the next one
   * (TargetedCommits.ts), each with its own run record.
   */
  async commitTargeted(options: TargetedRefresh): Promise<TargetedResult> {
    return this.#targeted.commit(options);
  }

  /**
   * Commits the held snapshot a platform engineer approved, as a new version, through the commit path of any run.
   * Targeted refreshes kept committing while it waited (those committed while its run read are in it already, see
   * #onLatest): they read later, so what they changed since the version it is built on is kept (keepNewerReads.ts),
   * as a full run keeps it. The result is validated, derived against the latest version (gap ages, observations,
   * the index this replica serves) and committed on condition that it is still the latest, the held row marked
   * approved with it. Undefined when nothing is held.
   */
  async approveHeld(): Promise<SyncRun | undefined> {
    const { store, logger } = this.#options;
    const held = await store.heldRead();
    if (!held) return undefined;
    const startedAt = this.#now();
    const id = randomUUID();
    await store.startRun({
      id,
      trigger: 'approval',
      startedAt: startedAt.toISOString(),
    });
    let committed: Committed | undefined;
    try {
      committed = await this.#commitApproved(id, startedAt, held);
    } catch (error) {
      const failure = await this.#recordFailure(
        id,
        startedAt,
        new RequestStats(),
        error,
      );
      logger.error('Could not commit the approved snapshot; it stays held', {
        heldId: held.id,
        errorClass: failure.class,
        message: failure.message,
      });
      throw error;
    }
    if (!committed) {
      // A full run superseded it (or another approval committed it) meanwhile.
      const finishedAt = this.#now();
      await store.finishRun(id, {
        outcome: 'unchanged',
        finishedAt: finishedAt.toISOString(),
        durationMs: finishedAt.getTime() - startedAt.getTime(),
      });
      return undefined;
    }
    const { version, snapshot, index, against } = committed;
    logger.info('A held snapshot was approved and committed', {
      version,
      heldId: held.id,
      readOnVersion: held.basedOn,
      committedOnVersion: against?.version,
    });
    await this.#afterCommit(version, index.markCommitted(version, snapshot));
    // A held run is a full read: approved, it reconciles like a committed one.
    await this.#reportReconciliation(
      { id, log: logger },
      held.snapshot.readAt,
      snapshot,
      against,
    );
    return this.#runRecord(id);
  }

  /**
   * The held read merged with what was committed since its run's base, derived, committed; built again on the new
   * latest version when another commit came first.
   */
  async #commitApproved(
    runId: string,
    startedAt: Date,
    held: HeldRead,
  ): Promise<Committed | undefined> {
    const { store, logger } = this.#options;
    let base: Snapshot | undefined;
    for (let attempt = 1; ; attempt++) {
      const latest = await this.#previous();
      const moved = latest !== undefined && latest.version !== held.basedOn;
      if (moved) {
        base ??=
          held.basedOn === undefined
            ? undefined
            : (await store.byVersion(held.basedOn))?.snapshot;
        if (!base)
          logger.warn(
            'The version the held snapshot was read on is unknown; it is committed as it was read',
            { heldId: held.id, basedOn: held.basedOn, latest: latest.version },
          );
      }
      const { snapshot, index } = await this.#deriveOnLatest(
        held.snapshot,
        latest,
        moved ? base : undefined,
      );
      const finishedAt = this.#now();
      try {
        const version = await store.approveHeld({
          heldId: held.id,
          snapshot,
          kind: held.kind,
          runId,
          finishedAt: finishedAt.toISOString(),
          durationMs: finishedAt.getTime() - startedAt.getTime(),
          requests: {},
          basedOn: latest?.version,
          base: latest?.snapshot,
        });
        return version === undefined
          ? undefined
          : { version, snapshot, index, against: latest };
      } catch (error) {
        if (
          !(error instanceof StaleBaseError) ||
          attempt >= FULL_COMMIT_ATTEMPTS
        )
          throw error;
      }
    }
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
    const [run] = await this.#options.store.runsByIds([id]);
    return run!;
  }
}
