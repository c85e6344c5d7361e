import type { DatabaseService } from '@backstage/backend-plugin-api';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type {
  HeldSnapshot,
  SyncProgress,
  SyncRun,
} from '@aws-access/plugin-aws-access-common';
import type { Knex } from 'knex';
import type { Snapshot } from '../snapshot/model';
import { snapshotCounts } from '../snapshot/model';
import { upgradeSnapshot } from '../snapshot/upgradeSnapshot';
import { gzipJsonInSlices } from './slicedJson';
import { gunzipJsonInSlices, sha256InSlices } from './slicedJsonParse';

const migrationsDir = resolvePackagePath(
  '@aws-access/plugin-aws-access-backend',
  'migrations',
);

type SnapshotRow = {
  id: number;
  status: 'committed' | 'held' | 'approved' | 'discarded';
  kind: 'full' | 'targeted';
  created_at: string;
  counts: string;
  stats: string;
  reasons: string | null;
  size_bytes: number;
  checksum: string;
  data: Buffer;
};

type RunRow = {
  id: string;
  trigger: SyncRun['trigger'];
  started_at: string;
  finished_at: string | null;
  outcome: SyncRun['outcome'];
  error: string | null;
  snapshot_id: number | null;
  counts: string | null;
  requests: string | null;
  duration_ms: number | null;
  progress: string | null;
};

/** What a run produced, to be committed (or held) with the run's record in one transaction. */
export interface RunOutcome {
  snapshot: Snapshot;
  kind: 'full' | 'targeted';
  runId: string;
  finishedAt: string;
  durationMs: number;
  requests: Record<string, number>;
  /**
   * The version this snapshot was built on (targeted refreshes): the commit is refused with StaleBaseError when
   * another snapshot was committed meanwhile, so a refresh never undoes a full sync's commit.
   */
  basedOn?: number;
}

/** Another snapshot was committed while this one was built on the previous: build again on the new one. */
export class StaleBaseError extends Error {
  constructor(basedOn: number, latest: number | undefined) {
    super(
      `The snapshot was built on version ${basedOn}, but version ${latest} was committed meanwhile`,
    );
    this.name = 'StaleBaseError';
  }
}

/**
 * Which background part wrote a status row: the change events consumer, the full reconciliation, or the identity
 * source's own refresh (Entra's incremental read).
 */
export type ChangeEventStatusPart =
  | 'consumer'
  | 'reconcile'
  | 'identity-refresh';

/** A stored snapshot with its version. */
export interface StoredSnapshot {
  version: number;
  createdAt: string;
  kind: 'full' | 'targeted';
  checksum: string;
  sizeBytes: number;
  snapshot: Snapshot;
}

/** gzip(JSON), written in slices: at 20,000 people the text is tens of MB, seconds of stringify at once. */
function encode(snapshot: Snapshot) {
  return gzipJsonInSlices(snapshot);
}

/**
 * The stored snapshot, checked against its checksum, then decompressed and parsed in slices (slicedJsonParse.ts):
 * at 20,000 people the text is tens of MB, hundreds of milliseconds of JSON.parse at once.
 */
async function decode(
  row: Pick<SnapshotRow, 'data' | 'checksum' | 'id'>,
): Promise<Snapshot> {
  const data = Buffer.from(row.data);
  if ((await sha256InSlices(data)) !== row.checksum) {
    throw new Error(
      `Snapshot ${row.id} is corrupt: its checksum does not match its data`,
    );
  }
  // Rows written by an earlier version hold its shape: upgraded here, so everything above reads one shape.
  return upgradeSnapshot(await gunzipJsonInSlices(data));
}

/** The columns of a snapshot row that its content decides. */
async function snapshotRow(snapshot: Snapshot, kind: SnapshotRow['kind']) {
  const { data, checksum } = await encode(snapshot);
  return {
    kind,
    created_at: snapshot.readAt,
    counts: JSON.stringify(snapshotCounts(snapshot)),
    stats: JSON.stringify(snapshot.stats),
    size_bytes: data.length,
    checksum,
    data,
  };
}

/** Closes the run that produced a snapshot, in the transaction that stores the snapshot. */
async function finishRunWith(
  tx: Knex.Transaction,
  outcome: RunOutcome,
  columns: Pick<RunRow, 'outcome' | 'snapshot_id' | 'counts'> &
    Partial<Pick<RunRow, 'error'>>,
) {
  await tx<RunRow>('sync_runs')
    .where({ id: outcome.runId })
    .update({
      ...columns,
      finished_at: outcome.finishedAt,
      requests: JSON.stringify(outcome.requests),
      duration_ms: Math.round(outcome.durationMs),
    });
}

/** Inserts a snapshot row and returns its id (the version, for committed rows). */
async function insertSnapshot(
  tx: Knex.Transaction,
  row: Omit<SnapshotRow, 'id'>,
): Promise<number> {
  const [inserted] = await tx<SnapshotRow>('snapshots')
    .insert(row)
    .returning('id');
  return Number(typeof inserted === 'object' ? inserted.id : inserted);
}

function toRun(row: RunRow): SyncRun {
  return {
    id: row.id,
    trigger: row.trigger,
    startedAt: row.started_at,
    finishedAt: row.finished_at ?? undefined,
    outcome: row.outcome,
    error: row.error ? JSON.parse(row.error) : undefined,
    snapshotVersion: row.snapshot_id ?? undefined,
    counts: row.counts ? JSON.parse(row.counts) : undefined,
    requests: row.requests ? JSON.parse(row.requests) : undefined,
    durationMs: row.duration_ms ?? undefined,
    // A finished run's last progress is history nobody needs: only a running run shows it.
    progress:
      row.outcome === 'running' && row.progress
        ? JSON.parse(row.progress)
        : undefined,
  };
}

/**
 * Persistence of snapshots and sync runs. A snapshot becomes visible only by a single committing transaction;
 * nothing else ever changes a committed row, so a failed run can never alter what is served.
 */
export class SnapshotStore {
  readonly #db: Knex;
  readonly #keepSnapshots: number;

  static async create(options: {
    database: DatabaseService;
    keepSnapshots?: number;
  }): Promise<SnapshotStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new SnapshotStore(client, options.keepSnapshots ?? 5);
  }

  private constructor(db: Knex, keepSnapshots: number) {
    this.#db = db;
    this.#keepSnapshots = keepSnapshots;
  }

  /** Version of the served snapshot, cheap enough to poll. */
  async latestVersion(): Promise<number | undefined> {
    const row = await this.#db<SnapshotRow>('snapshots')
      .where({ status: 'committed' })
      .max({ id: 'id' })
      .first();
    return row?.id ? Number(row.id) : undefined;
  }

  /** The served snapshot, decoded. */
  async latest(): Promise<StoredSnapshot | undefined> {
    const row = await this.#db<SnapshotRow>('snapshots')
      .where({ status: 'committed' })
      .orderBy('id', 'desc')
      .first();
    return row ? this.#toStored(row) : undefined;
  }

  /** The snapshot of one version. */
  async byVersion(version: number): Promise<StoredSnapshot | undefined> {
    const row = await this.#db<SnapshotRow>('snapshots')
      .where({ id: version, status: 'committed' })
      .first();
    return row ? this.#toStored(row) : undefined;
  }

  async #toStored(row: SnapshotRow): Promise<StoredSnapshot> {
    return {
      version: Number(row.id),
      createdAt: row.created_at,
      kind: row.kind,
      checksum: row.checksum,
      sizeBytes: Number(row.size_bytes),
      snapshot: await decode(row),
    };
  }

  /**
   * Commits a snapshot in one transaction, finishing its run in the same transaction. Older committed
   * snapshots beyond the retention are pruned; a pending held snapshot is superseded.
   */
  async commit(options: RunOutcome): Promise<number> {
    const row = await snapshotRow(options.snapshot, options.kind);
    return this.#db.transaction(async tx => {
      if (options.basedOn !== undefined) {
        const latest = await tx<SnapshotRow>('snapshots')
          .where({ status: 'committed' })
          .max({ id: 'id' })
          .first();
        const latestVersion = latest?.id ? Number(latest.id) : undefined;
        if (latestVersion !== options.basedOn)
          throw new StaleBaseError(options.basedOn, latestVersion);
      }
      const version = await insertSnapshot(tx, {
        ...row,
        status: 'committed',
        reasons: null,
      });
      await tx<SnapshotRow>('snapshots')
        .where({ status: 'held' })
        .update({ status: 'discarded' });
      await this.#pruneCommitted(tx);
      await finishRunWith(tx, options, {
        outcome: 'succeeded',
        snapshot_id: version,
        counts: row.counts,
      });
      return version;
    });
  }

  async #pruneCommitted(tx: Knex.Transaction) {
    const keep = await tx<SnapshotRow>('snapshots')
      .where({ status: 'committed' })
      .orderBy('id', 'desc')
      .limit(this.#keepSnapshots)
      .select('id');
    if (keep.length < this.#keepSnapshots) return;
    const oldestKept = Math.min(...keep.map(r => Number(r.id)));
    await tx<SnapshotRow>('snapshots')
      .where('id', '<', oldestKept)
      .whereIn('status', ['committed', 'approved', 'discarded'])
      .delete();
  }

  /** Stores a snapshot the mass-delete brake held back; it is not served until approved. */
  async hold(options: RunOutcome & { reasons: string[] }): Promise<number> {
    const row = await snapshotRow(options.snapshot, options.kind);
    return this.#db.transaction(async tx => {
      await tx<SnapshotRow>('snapshots')
        .where({ status: 'held' })
        .update({ status: 'discarded' });
      const id = await insertSnapshot(tx, {
        ...row,
        status: 'held',
        reasons: JSON.stringify(options.reasons),
      });
      await finishRunWith(tx, options, {
        outcome: 'held',
        snapshot_id: id,
        counts: row.counts,
        error: JSON.stringify({
          source: 'brake',
          class: 'mass-delete',
          message: options.reasons.join('; '),
        }),
      });
      return id;
    });
  }

  /** The held snapshot waiting for approval, if any. */
  async held(): Promise<
    (HeldSnapshot & { previousVersion?: number }) | undefined
  > {
    const row = await this.#db<SnapshotRow>('snapshots')
      .where({ status: 'held' })
      .orderBy('id', 'desc')
      .first();
    if (!row) return undefined;
    const previous = await this.#db<SnapshotRow>('snapshots')
      .where({ status: 'committed' })
      .orderBy('id', 'desc')
      .first('id', 'counts');
    return {
      id: String(row.id),
      heldAt: row.created_at,
      reasons: row.reasons ? JSON.parse(row.reasons) : [],
      counts: JSON.parse(row.counts),
      previousCounts: previous ? JSON.parse(previous.counts) : {},
      previousVersion: previous ? Number(previous.id) : undefined,
    };
  }

  /**
   * Approves the held snapshot: it is committed as a new version (so versions only grow) and marked approved.
   * Returns the new version, or undefined when nothing is held.
   */
  async approveHeld(options: {
    runId: string;
    finishedAt: string;
  }): Promise<number | undefined> {
    return this.#db.transaction(async tx => {
      const held = await tx<SnapshotRow>('snapshots')
        .where({ status: 'held' })
        .orderBy('id', 'desc')
        .first();
      if (!held) return undefined;
      const { id: _held, ...copy } = held;
      const version = await insertSnapshot(tx, {
        ...copy,
        status: 'committed',
      });
      await tx<SnapshotRow>('snapshots')
        .where({ id: held.id })
        .update({ status: 'approved' });
      await this.#pruneCommitted(tx);
      await tx<RunRow>('sync_runs').where({ id: options.runId }).update({
        finished_at: options.finishedAt,
        outcome: 'succeeded',
        snapshot_id: version,
        counts: held.counts,
        duration_ms: 0,
      });
      return version;
    });
  }

  async startRun(run: {
    id: string;
    trigger: SyncRun['trigger'];
    startedAt: string;
  }): Promise<void> {
    await this.#db<RunRow>('sync_runs').insert({
      id: run.id,
      trigger: run.trigger,
      started_at: run.startedAt,
      outcome: 'running',
    });
  }

  async finishRun(
    id: string,
    result: {
      outcome: 'failed' | 'unchanged';
      finishedAt: string;
      durationMs: number;
      error?: SyncRun['error'];
      requests?: Record<string, number>;
    },
  ): Promise<void> {
    await this.#db<RunRow>('sync_runs')
      .where({ id })
      .update({
        outcome: result.outcome,
        finished_at: result.finishedAt,
        duration_ms: Math.round(result.durationMs),
        error: result.error ? JSON.stringify(result.error) : null,
        requests: result.requests ? JSON.stringify(result.requests) : null,
      });
  }

  async recentRuns(limit = 20): Promise<SyncRun[]> {
    const rows = await this.#db<RunRow>('sync_runs')
      .orderBy('started_at', 'desc')
      .limit(limit);
    return rows.map(toRun);
  }

  async lastSuccessfulRun(): Promise<SyncRun | undefined> {
    const row = await this.#db<RunRow>('sync_runs')
      .where({ outcome: 'succeeded' })
      .orderBy('started_at', 'desc')
      .first();
    return row ? toRun(row) : undefined;
  }

  /** The last successful full run (its request counts are what the next full run expects to make). */
  async lastSuccessfulFullRun(): Promise<SyncRun | undefined> {
    const row = await this.#db<RunRow>('sync_runs')
      .where({ outcome: 'succeeded' })
      .whereIn('trigger', ['schedule', 'manual'])
      .whereNotNull('requests')
      .orderBy('started_at', 'desc')
      .first();
    return row ? toRun(row) : undefined;
  }

  /** Records a running run's progress; a run that has finished meanwhile keeps its final record. */
  async recordProgress(id: string, progress: SyncProgress): Promise<void> {
    await this.#db<RunRow>('sync_runs')
      .where({ id, outcome: 'running' })
      .update({ progress: JSON.stringify(progress) });
  }

  /**
   * Runs left `running` by a process that died (SIGKILL mid-sync) are closed as failed once older than the
   * task timeout, so history does not show them running forever.
   */
  async failAbandonedRuns(
    olderThan: string,
    finishedAt: string,
  ): Promise<number> {
    return this.#db<RunRow>('sync_runs')
      .where({ outcome: 'running' })
      .where('started_at', '<', olderThan)
      .update({
        outcome: 'failed',
        finished_at: finishedAt,
        error: JSON.stringify({
          source: 'runner',
          class: 'abandoned',
          message: 'The process running this sync stopped before it finished',
        }),
      });
  }

  /**
   * What the change events consumer, the reconciliation and the identity refresh last recorded (each its own JSON
   * document).
   */
  async changeEventStatus(): Promise<
    Partial<Record<ChangeEventStatusPart, unknown>>
  > {
    const rows = await this.#db<{ id: string; status: string }>(
      'change_event_status',
    ).select('id', 'status');
    return Object.fromEntries(rows.map(r => [r.id, JSON.parse(r.status)]));
  }

  async writeChangeEventStatus(
    part: ChangeEventStatusPart,
    status: unknown,
    updatedAt: string,
  ): Promise<void> {
    await this.#db('change_event_status')
      .insert({
        id: part,
        status: JSON.stringify(status),
        updated_at: updatedAt,
      })
      .onConflict('id')
      .merge();
  }

  /** Deletes run history older than the retention. */
  async pruneRuns(olderThan: string): Promise<number> {
    return this.#db<RunRow>('sync_runs')
      .where('started_at', '<', olderThan)
      .whereNot({ outcome: 'running' })
      .delete();
  }

  /** Raw row data for tests and benchmarks (size of the served snapshot, byte-for-byte comparisons). */
  async rawLatest(): Promise<
    { id: number; checksum: string; sizeBytes: number } | undefined
  > {
    const row = await this.#db<SnapshotRow>('snapshots')
      .where({ status: 'committed' })
      .orderBy('id', 'desc')
      .first('id', 'checksum', 'size_bytes');
    return row
      ? {
          id: Number(row.id),
          checksum: row.checksum,
          sizeBytes: Number(row.size_bytes),
        }
      : undefined;
  }
}
