import type { LoggerService } from '@backstage/backend-plugin-api';
import { setMaxListeners } from 'node:events';
import type { IdentityRefreshStatus } from '@aws-access/plugin-aws-access-common';
import { withSignOnPortal } from '../snapshot/accessPortal';
import { withSideRead } from '../snapshot/freshness';
import type { IdentitySide, Snapshot } from '../snapshot/model';
import type { Sliced } from '../snapshot/slices';
import { runInSlices } from '../snapshot/slices';
import type { IdentitySource, ReadContext } from '../sources/ports';
import { RequestStats } from '../sources/requests/RequestStats';
import { SourceError } from '../sources/requests/SourceError';
import type { SnapshotStore } from '../store/SnapshotStore';
import { fullSyncRunning } from './fullSyncRunning';
import type { SyncService } from './SyncService';

/** The scheduler task of Entra's refresh: global scope, so one replica reads at a time. */
export const IDENTITY_REFRESH_TASK_ID = 'aws-access-entra-refresh';

/** A read gives up this long before the task's timeout, so it can record why. */
const DEADLINE_MARGIN_MS = 30_000;

export interface IdentityRefreshOptions {
  identity: Pick<IdentitySource, 'read'>;
  sync: Pick<SyncService, 'latest' | 'commitTargeted'>;
  store: Pick<
    SnapshotStore,
    'recentRuns' | 'changeEventStatus' | 'writeChangeEventStatus'
  >;
  logger: LoggerService;
  /** The refresh's period, shown on the platform board. */
  everyMs: number;
  /** The task's timeout: a read gives up before it. */
  timeoutMs: number;
  now?: () => Date;
}

/** What one refresh did. */
export type IdentityRefreshOutcome =
  | { kind: 'waiting'; reason: 'no-snapshot' | 'full-sync' }
  | { kind: 'failed'; message: string }
  | { kind: 'unchanged' }
  | { kind: 'committed'; version: number };

/**
 * The identity source's incremental read (Entra's delta links, its logs) on its own short interval, apart from the
 * full sync: continues from the latest snapshot's cursor, puts the identity side it read next to that snapshot's
 * AWS side (no AWS call), and commits through the sync's validated commit only when something changed. It waits
 * while a full sync reads (that run reads the identity source too, and its commit would replace this one), and a
 * failed read changes nothing: the next one continues from the same cursor.
 */
export class IdentityRefresh {
  readonly #options: IdentityRefreshOptions;
  readonly #now: () => Date;

  constructor(options: IdentityRefreshOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  /** One refresh (the scheduler's task body). */
  async run(signal?: AbortSignal): Promise<IdentityRefreshOutcome> {
    // Every request of the read listens to the task's signal, several at once.
    if (signal) setMaxListeners(0, signal);
    const { store, sync, identity } = this.#options;
    const startedAt = this.#now();
    if (await fullSyncRunning(store, startedAt))
      return { kind: 'waiting', reason: 'full-sync' };
    const base = await sync.latest();
    if (!base) return { kind: 'waiting', reason: 'no-snapshot' };
    const stats = new RequestStats();
    const ctx = (now: Date): ReadContext => ({
      stats,
      signal,
      now,
      deadline:
        startedAt.getTime() + this.#options.timeoutMs - DEADLINE_MARGIN_MS,
    });
    let read: IdentitySide;
    try {
      read = await identity.read(ctx(startedAt), base.snapshot.identity);
    } catch (error) {
      return this.#failed(error);
    }
    if (await runInSlices(sameIdentity(base.snapshot.identity, read))) {
      await this.#updateStatus(s => ({ ...s, lastReadAt: this.#iso() }));
      return { kind: 'unchanged' };
    }
    // A full sync that started while the identity source was read would replace this commit: it reads the same.
    if (await fullSyncRunning(store, this.#now()))
      return { kind: 'waiting', reason: 'full-sync' };
    const { run, version } = await sync.commitTargeted({
      reason: 'identity source refresh',
      stats,
      signal,
      // Built on another identity side than the one read from (a refresh committed, or was built first in this
      // turn, with a newer read): read again from its cursor, so the identity side never goes back.
      build: async (current, { basedOn, now }) =>
        basedOn === base.version || current.identity === base.snapshot.identity
          ? withIdentity(current, read, startedAt)
          : withIdentity(
              current,
              await identity.read(ctx(now), current.identity),
              now,
            ),
    });
    if (run.outcome !== 'succeeded' || version === undefined)
      return this.#failed(
        new Error(
          run.error
            ? `the commit failed at ${run.error.source}: ${run.error.message}`
            : `the commit ended ${run.outcome}`,
        ),
      );
    const at = this.#iso();
    await this.#updateStatus(s => ({
      ...s,
      lastReadAt: at,
      lastCommit: { at, snapshotVersion: version },
    }));
    return { kind: 'committed', version };
  }

  /** What the platform board shows of the refresh. */
  async status(): Promise<IdentityRefreshStatus> {
    const stored = (await this.#options.store.changeEventStatus())[
      'identity-refresh'
    ] as Omit<IdentityRefreshStatus, 'everySeconds'> | undefined;
    return {
      ...stored,
      everySeconds: Math.round(this.#options.everyMs / 1000),
    };
  }

  async #failed(error: unknown): Promise<IdentityRefreshOutcome> {
    const message =
      error instanceof SourceError
        ? `${error.source} ${error.errorClass}: ${error.message}`
        : (error as Error)?.message ?? String(error);
    this.#options.logger.warn(
      'The identity source refresh failed; the snapshot is unchanged and the next refresh reads again',
      { error: message },
    );
    await this.#updateStatus(s => ({
      ...s,
      lastError: { at: this.#iso(), message },
    })).catch(() => undefined);
    return { kind: 'failed', message };
  }

  /** Only this task writes its row; one replica refreshes at a time. */
  async #updateStatus(
    change: (status: StoredStatus) => StoredStatus,
  ): Promise<void> {
    const { store } = this.#options;
    const stored = (await store.changeEventStatus())['identity-refresh'] as
      | StoredStatus
      | undefined;
    await store.writeChangeEventStatus(
      'identity-refresh',
      change(stored ?? {}),
      this.#iso(),
    );
  }

  #iso() {
    return this.#now().toISOString();
  }
}

type StoredStatus = Omit<IdentityRefreshStatus, 'everySeconds'>;

/** The snapshot with a newer identity side and the AWS side it had (whose portal may come from the identity app). */
/** The identity side read whole at `readAt` (its time moves; the AWS side's does not). */
function withIdentity(
  current: Snapshot,
  identity: IdentitySide,
  readAt: Date,
): Snapshot {
  return withSideRead(
    { ...current, identity, aws: withSignOnPortal(current.aws, identity) },
    'identity',
    readAt.toISOString(),
  );
}

/**
 * Whether a read found nothing new; the cursor alone moving (a new delta link) is no change. Compared as the stored
 * JSON would be, one array element at a time (sliced: at 20,000 people the sides are megabytes).
 */
function* sameIdentity(
  before: IdentitySide,
  after: IdentitySide,
): Sliced<boolean> {
  const a = before as unknown as Record<string, unknown>;
  const b = after as unknown as Record<string, unknown>;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  keys.delete('cursor');
  for (const key of keys) {
    const x = a[key];
    const y = b[key];
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) {
        if (x[i] !== y[i] && JSON.stringify(x[i]) !== JSON.stringify(y[i]))
          return false;
        yield;
      }
    } else if (JSON.stringify(x) !== JSON.stringify(y)) return false;
  }
  return true;
}
