import type { LoggerService } from '@backstage/backend-plugin-api';
import { setMaxListeners } from 'node:events';
import type {
  ChangeEventsStatus,
  SyncRun,
} from '@aws-access/plugin-aws-access-common';
import type { EventsConfig } from '../config/identityCenterConfig';
import {
  applyTargetReadsSliced,
  newlyProvisionedPairs,
} from '../snapshot/applyTargetReads';
import type { Snapshot } from '../snapshot/model';
import { runInSlices } from '../snapshot/slices';
import type { TargetRead } from '../sources/identityCenter/readChangeTargets';
import type {
  AwsSource,
  ChangeEventQueue,
  QueuedChange,
  SourceContext,
} from '../sources/ports';
import { mapWithConcurrency, sleep } from '../sources/requests/RequestBudget';
import type { SnapshotStore } from '../store/SnapshotStore';
import { fullSyncRunning } from '../sync/fullSyncRunning';
import type { SyncService } from '../sync/SyncService';
import type { RefreshTarget } from './changeTargets';
import {
  coalesceTargets,
  readChangeEvent,
  UnreadableEventError,
} from './changeTargets';

/** The scheduler task of the consumer: global scope, so one replica consumes and another takes over on a crash. */
export const EVENTS_TASK_ID = 'aws-access-change-events';

const UNREADABLE_KEPT = 20;

export interface EventConsumerOptions {
  queue: ChangeEventQueue;
  aws: Pick<AwsSource, 'readChangeTarget'>;
  sync: Pick<SyncService, 'commitTargeted'>;
  store: Pick<
    SnapshotStore,
    | 'recentRuns'
    | 'latestVersion'
    | 'changeEventStatus'
    | 'writeChangeEventStatus'
  >;
  config: Pick<EventsConfig, 'waitTimeSeconds' | 'batchWindowMs' | 'maxBatch'>;
  logger: LoggerService;
  concurrency?: number;
  now?: () => Date;
}

/** What one batch did. */
export type BatchOutcome =
  | { kind: 'waiting'; reason: 'no-snapshot' | 'full-sync' }
  | { kind: 'empty' }
  | {
      kind: 'handled';
      messages: number;
      targets: number;
      deleted: number;
      unreadable: number;
      /** Messages kept for another receive: their refresh failed, or a full sync may have overwritten it. */
      kept: number;
    };

/**
 * Consumes the change events: gathers a burst from the queue, reads again what its events name (never their
 * payloads), commits one targeted refresh through the sync's validated commit, and deletes the messages only
 * after that commit. A message it cannot read stays in the queue until the redrive policy dead-letters it, and is
 * shown on the platform board meanwhile. Messages seen before (a refresh that failed) are refreshed one by one,
 * so one bad message never holds the others back.
 */
export class EventConsumer {
  readonly #options: EventConsumerOptions;
  readonly #now: () => Date;

  constructor(options: EventConsumerOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  /** Handles batches until `forMs` has passed or the signal stops it (the scheduler's task body). */
  async consume(signal: AbortSignal, forMs: number): Promise<void> {
    // Every read of a batch listens to the task's signal, many at once (not a leak: they end with the batch).
    setMaxListeners(0, signal);
    const until = this.#now().getTime() + forMs;
    while (!signal.aborted && this.#now().getTime() < until) {
      const outcome = await this.runBatch(signal).catch(async error => {
        await this.#recordError(error);
        return { kind: 'waiting' as const, reason: 'full-sync' as const };
      });
      // An abort ends the wait early; the loop's condition then ends the task.
      if (outcome.kind === 'waiting')
        await sleep(5_000, signal).catch(() => {});
    }
  }

  /** One receive-refresh-delete cycle. */
  async runBatch(signal?: AbortSignal): Promise<BatchOutcome> {
    const { store } = this.#options;
    if ((await store.latestVersion()) === undefined)
      return { kind: 'waiting', reason: 'no-snapshot' };
    if (await this.#fullSyncRunning())
      return { kind: 'waiting', reason: 'full-sync' };
    const messages = await this.#gather(signal);
    if (messages.length === 0) {
      const deadLetterDepth = await this.#deadLetterDepth();
      await this.#updateStatus(s => ({
        ...s,
        lastPollAt: this.#iso(),
        deadLetterDepth: deadLetterDepth ?? s.deadLetterDepth,
      }));
      return { kind: 'empty' };
    }
    const startedAt = this.#now().getTime();

    const readable: Array<{ message: QueuedChange; targets: RefreshTarget[] }> =
      [];
    const unreadable: Array<{ message: QueuedChange; reason: string }> = [];
    for (const message of messages) {
      try {
        readable.push({
          message,
          targets: readChangeEvent(message.body).targets,
        });
      } catch (error) {
        if (!(error instanceof UnreadableEventError)) throw error;
        unreadable.push({ message, reason: error.message });
      }
    }
    // Fresh messages refresh together; one seen before goes alone, so a message that breaks its batch cannot keep
    // failing the others with it.
    const fresh = readable.filter(r => r.message.receiveCount <= 1);
    const retried = readable.filter(r => r.message.receiveCount > 1);
    const groups = [fresh, ...retried.map(r => [r])].filter(g => g.length > 0);
    let deleted = 0;
    let kept = 0;
    let targetCount = 0;
    let version: number | undefined;
    for (const group of groups) {
      const targets = coalesceTargets(group.flatMap(r => r.targets));
      targetCount += targets.length;
      const result = await this.#refresh(targets, signal);
      if (result.committed && !(await this.#fullSyncRunning())) {
        version = result.version ?? version;
        const failed = await this.#options.queue.delete(
          group.map(r => r.message),
        );
        deleted += group.length - failed;
        kept += failed;
      } else {
        kept += group.length;
      }
    }
    await this.#recordBatch({
      startedAt,
      messages: messages.length,
      targets: targetCount,
      deleted,
      version,
      unreadable,
    });
    return {
      kind: 'handled',
      messages: messages.length,
      targets: targetCount,
      deleted,
      unreadable: unreadable.length,
      kept,
    };
  }

  /**
   * The first long poll, then whatever else arrives within the batch window and as long as messages keep coming,
   * up to the batch limit.
   */
  async #gather(signal?: AbortSignal): Promise<QueuedChange[]> {
    const { queue, config } = this.#options;
    const byId = new Map<string, QueuedChange>();
    const take = (got: QueuedChange[]) =>
      got.forEach(m => byId.set(m.messageId, m));
    take(
      await queue.receive({
        waitSeconds: config.waitTimeSeconds,
        max: config.maxBatch,
        signal,
      }),
    );
    if (byId.size === 0) return [];
    const windowEnds = this.#now().getTime() + config.batchWindowMs;
    while (byId.size < config.maxBatch && !signal?.aborted) {
      const left = windowEnds - this.#now().getTime();
      const got = await queue.receive({
        waitSeconds: left > 0 ? Math.min(Math.ceil(left / 1000), 20) : 0,
        max: config.maxBatch - byId.size,
        signal,
      });
      // A burst is taken whole (up to the limit); after the window, the first empty answer ends the batch.
      if (got.length === 0 && left <= 0) break;
      take(got);
    }
    return [...byId.values()];
  }

  /** Reads every target again and commits what they read; nothing to read is a refresh with nothing to commit. */
  async #refresh(
    targets: RefreshTarget[],
    signal?: AbortSignal,
  ): Promise<{ committed: boolean; version?: number }> {
    if (targets.length === 0) return { committed: true };
    const { run, version } = await this.#options.sync.commitTargeted({
      reason: `change events: ${targets.length} targets`,
      signal,
      build: (current, ctx) => this.#build(current, targets, ctx),
    });
    if (run.outcome !== 'succeeded') await this.#recordError(runError(run));
    return { committed: run.outcome === 'succeeded', version };
  }

  async #build(
    current: Snapshot,
    targets: RefreshTarget[],
    ctx: SourceContext,
  ): Promise<Snapshot> {
    const { aws, concurrency = 8 } = this.#options;
    const ids = {
      instanceArn: current.aws.instanceArn,
      identityStoreId: current.aws.identityStoreId,
    };
    const read = (list: RefreshTarget[]) =>
      mapWithConcurrency(list, concurrency, t =>
        aws.readChangeTarget(ctx, ids, t),
      );
    const reads: TargetRead[] = await read(targets);
    // A permission set newly provisioned somewhere: that pair's assignments were never read.
    const pairs = newlyProvisionedPairs(current.aws, reads);
    reads.push(
      ...(await read(pairs.map(p => ({ kind: 'assignments' as const, ...p })))),
    );
    // A batch of 500 reads on 100,000 people takes hundreds of ms of CPU: the shared backend must not wait for it.
    return runInSlices(applyTargetReadsSliced(current, reads));
  }

  /** A full sync is reading now: its commit would replace a refresh made meanwhile, so events wait for it. */
  #fullSyncRunning(): Promise<boolean> {
    return fullSyncRunning(this.#options.store, this.#now());
  }

  async #recordBatch(batch: {
    startedAt: number;
    messages: number;
    targets: number;
    deleted: number;
    version?: number;
    unreadable: Array<{ message: QueuedChange; reason: string }>;
  }) {
    const at = this.#iso();
    const seen = batch.unreadable.map(u => ({
      messageId: u.message.messageId,
      seenAt: at,
      receiveCount: u.message.receiveCount,
      reason: u.reason,
    }));
    for (const u of seen)
      this.#options.logger.warn(
        'A change event could not be read; the queue dead-letters it after its maxReceiveCount',
        { ...u },
      );
    const deadLetterDepth = await this.#deadLetterDepth();
    await this.#updateStatus(s => ({
      ...s,
      lastPollAt: at,
      handled: s.handled + batch.deleted,
      lastBatch: {
        at,
        messages: batch.messages,
        targets: batch.targets,
        snapshotVersion: batch.version,
        durationMs: this.#now().getTime() - batch.startedAt,
      },
      unreadable: [
        ...seen,
        ...s.unreadable.filter(
          old => !seen.some(u => u.messageId === old.messageId),
        ),
      ].slice(0, UNREADABLE_KEPT),
      deadLetterDepth: deadLetterDepth ?? s.deadLetterDepth,
    }));
  }

  /** Read after every poll: a message is moved there by a receive, which may find the queue empty otherwise. */
  async #deadLetterDepth(): Promise<number | undefined> {
    try {
      return await this.#options.queue.deadLetterDepth();
    } catch (error) {
      this.#options.logger.warn('Could not read the dead-letter queue depth', {
        error: String(error),
      });
      return undefined;
    }
  }

  async #recordError(error: unknown) {
    const message = (error as Error)?.message ?? String(error);
    this.#options.logger.warn(
      'Change events could not be handled; their messages come back and are handled again',
      { error: message },
    );
    await this.#updateStatus(s => ({
      ...s,
      lastError: { at: this.#iso(), message },
    })).catch(() => undefined);
  }

  /** Only this consumer writes its row; one replica consumes at a time. */
  async #updateStatus(
    change: (status: ConsumerStatus) => ConsumerStatus,
  ): Promise<void> {
    const { store } = this.#options;
    const stored = (await store.changeEventStatus()).consumer as
      | ConsumerStatus
      | undefined;
    const next = change(stored ?? { handled: 0, unreadable: [] });
    await store.writeChangeEventStatus('consumer', next, this.#iso());
  }

  #iso() {
    return this.#now().toISOString();
  }
}

/** The consumer's row of the status: everything but the reconciliation. */
export type ConsumerStatus = Omit<ChangeEventsStatus, 'lastReconcile'>;

function runError(run: SyncRun): Error {
  return new Error(
    run.error
      ? `the refresh failed at ${run.error.source}: ${run.error.message}`
      : `the refresh ended ${run.outcome}`,
  );
}
