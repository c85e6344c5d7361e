import type { DatabaseService } from '@backstage/backend-plugin-api';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type {
  HeldSnapshot,
  SyncProgress,
  SyncRun,
} from '@aws-access/plugin-aws-access-common';
import type { Knex } from 'knex';
import { createHash } from 'node:crypto';
import type { Snapshot } from '../snapshot/model';
import { snapshotCounts } from '../snapshot/model';
import { runInSlices } from '../snapshot/slices';
import { upgradeSnapshot } from '../snapshot/upgradeSnapshot';
import type { Patch } from './snapshotDelta';
import { applyPatch, diffJson } from './snapshotDelta';
import {
  JsonTextDigest,
  gzipJsonPiecesInSlices,
  jsonDigestInSlices,
  regrouped,
} from './slicedJson';
import { gunzipJsonInSlices, sha256InSlices } from './slicedJsonParse';

const migrationsDir = resolvePackagePath(
  '@aws-access/plugin-aws-access-backend',
  'migrations',
);

type SnapshotRow = {
  id: number;
  status: 'committed' | 'delta' | 'held' | 'approved' | 'discarded';
  kind: 'full' | 'targeted';
  created_at: string;
  counts: string;
  stats: string;
  reasons: string | null;
  size_bytes: number;
  checksum: string;
  data: Buffer;
  /** The version a delta applies to (snapshotDelta.ts); null for a whole snapshot. */
  base_version: number | null;
  /** SHA-256 of the whole snapshot's JSON text; null in rows written before deltas. */
  content_checksum: string | null;
  content_bytes: number | null;
  /** The committed version a held snapshot is built on (the latest when it was held); null for other rows and rows held before. */
  based_on?: number | null;
};

/** A snapshot row without its data: the data is read in pieces ({@link SnapshotStore} #readData). */
type RowMeta = Omit<SnapshotRow, 'data'>;

/** Every column but `data`. */
const META_COLUMNS: Array<keyof RowMeta> = [
  'id',
  'status',
  'kind',
  'created_at',
  'counts',
  'stats',
  'reasons',
  'size_bytes',
  'checksum',
  'base_version',
  'content_checksum',
  'content_bytes',
  'based_on',
];

/**
 * A row's data is read this many bytes per query: one answer of tens of MB is decoded at once by the driver
 * (PostgreSQL's bytea arrives as hex text twice its size), hundreds of milliseconds at 100,000 people.
 */
const READ_BYTES = 1024 * 1024;

/**
 * A row's data is written this many bytes per statement on PostgreSQL: the driver copies a parameter into its
 * message at once (60 ms for the 23 MB of 100,000 people on a loaded machine).
 */
const WRITE_BYTES = 1024 * 1024;

/** What a delta row's data holds: the patch that turns its base version's snapshot into its own. */
interface DeltaDocument {
  base: number;
  patch?: Patch;
}

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
   * Other targeted runs this snapshot commits (refreshes that waited for the same turn and were built together):
   * each is finished with it, with its own requests.
   */
  alsoFinishes?: Array<{ runId: string; requests: Record<string, number> }>;
  /**
   * The version this snapshot was built on (targeted refreshes): the commit is refused with StaleBaseError when
   * another snapshot was committed meanwhile, so a refresh never undoes a full sync's commit.
   */
  basedOn?: number;
  /**
   * The snapshot of version `basedOn`, as this process committed or read it: the new snapshot is then stored as the
   * change from it (a delta), when that is small.
   */
  base?: Snapshot;
}

/** A snapshot the mass-delete brake held back, as stored, with the version it is built on. */
export interface HeldRead {
  id: number;
  kind: 'full' | 'targeted';
  /** Undefined for the first snapshot, and for snapshots held before the version was recorded. */
  basedOn?: number;
  snapshot: Snapshot;
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
  /** The row's own bytes: a delta's are its patch's. */
  sizeBytes: number;
  /** The version this one is stored as a change to; undefined when it is stored whole. */
  baseVersion?: number;
  snapshot: Snapshot;
}

/** A snapshot this process holds in memory with its version: a delta on that version needs only its patch read. */
export interface KnownSnapshot {
  version: number;
  snapshot: Snapshot;
}

/** gzip(JSON) in pieces, written in slices: at 20,000 people the text is tens of MB, seconds of stringify at once. */
function encode(snapshot: Snapshot) {
  return gzipJsonPiecesInSlices(snapshot);
}

/**
 * A row's data (a whole snapshot as stored, or a delta's document) as read in pieces, checked against its checksum,
 * then decompressed and parsed in slices (slicedJsonParse.ts): at 20,000 people the text is tens of MB, hundreds of
 * milliseconds of JSON.parse at once.
 */
async function decodeData(
  row: Pick<SnapshotRow, 'checksum' | 'id'>,
  data: readonly Buffer[],
): Promise<unknown> {
  if ((await sha256InSlices(data)) !== row.checksum) {
    throw new Error(
      `Snapshot ${row.id} is corrupt: its checksum does not match its data`,
    );
  }
  return gunzipJsonInSlices(data);
}

/** The columns of a snapshot row that its content decides, the snapshot stored whole. */
async function snapshotRow(snapshot: Snapshot, kind: SnapshotRow['kind']) {
  const { pieces, bytes, checksum, contentChecksum, contentBytes } =
    await encode(snapshot);
  return {
    ...describedBy(snapshot, kind),
    size_bytes: bytes,
    checksum,
    data: pieces,
    base_version: null as number | null,
    content_checksum: contentChecksum,
    content_bytes: contentBytes,
  };
}

function describedBy(snapshot: Snapshot, kind: SnapshotRow['kind']) {
  return {
    kind,
    created_at: snapshot.readAt,
    counts: JSON.stringify(snapshotCounts(snapshot)),
    stats: JSON.stringify(snapshot.stats),
  };
}

/**
 * The statuses of committed versions: `committed` stored whole, `delta` stored as a delta. Earlier versions of the
 * plugin read `committed` rows only, so during a rolling upgrade (or after a downgrade) they keep serving the latest
 * whole version instead of failing on a delta they cannot read.
 */
const COMMITTED: SnapshotRow['status'][] = ['committed', 'delta'];

type SnapshotColumns = Awaited<ReturnType<typeof snapshotRow>>;
type ChainLink = Pick<SnapshotRow, 'id' | 'base_version' | 'size_bytes'>;

/** Closes the runs that produced a snapshot, in the transaction that stores the snapshot. */
async function finishRunWith(
  tx: Knex.Transaction,
  outcome: RunOutcome,
  columns: Pick<RunRow, 'outcome' | 'snapshot_id' | 'counts'> &
    Partial<Pick<RunRow, 'error'>>,
) {
  for (const run of [outcome, ...(outcome.alsoFinishes ?? [])])
    await tx<RunRow>('sync_runs')
      .where({ id: run.runId })
      .update({
        ...columns,
        finished_at: outcome.finishedAt,
        requests: JSON.stringify(run.requests),
        duration_ms: Math.round(outcome.durationMs),
      });
}

/**
 * Inserts a snapshot row, its data given in pieces, and returns its id (the version, for committed rows). On
 * PostgreSQL the data is written WRITE_BYTES per statement (the row inserted with the first, the others appended), so
 * no statement's parameters take long to serialise; other databases get it whole (SQLite's driver runs in this thread
 * however the data is given, and its `||` makes text of bytes).
 */
async function insertSnapshot(
  tx: Knex.Transaction,
  row: Omit<SnapshotRow, 'id' | 'data'> & { data: readonly Buffer[] },
): Promise<number> {
  // Each piece is joined just before it is written: joined at once, they would be one long copy again.
  const pieces =
    tx.client.dialect === 'postgresql'
      ? regrouped(row.data, WRITE_BYTES)
      : [Buffer.concat(row.data)].values();
  const first = pieces.next();
  const [inserted] = await tx<SnapshotRow>('snapshots')
    .insert({ ...row, data: first.done ? Buffer.alloc(0) : first.value })
    .returning('id');
  const id = Number(typeof inserted === 'object' ? inserted.id : inserted);
  for (const piece of pieces)
    await tx('snapshots')
      .where({ id })
      .update({ data: tx.raw('data || ?', [piece]) });
  return id;
}

/**
 * The key of the PostgreSQL advisory lock that serialises commits across replicas: the first 8 bytes of
 * SHA-256("@aws-access/plugin-aws-access-backend:snapshot-commits"), as a signed 64-bit integer.
 */
const COMMIT_LOCK_KEY = createHash('sha256')
  .update('@aws-access/plugin-aws-access-backend:snapshot-commits')
  .digest()
  .readBigInt64BE(0)
  .toString();

/**
 * Serialises the transactions that add a committed or held version, first thing in each, so the check that the base
 * is still the latest holds until the insert commits: under READ COMMITTED two replicas could otherwise both find the
 * same latest version and both commit on it, the second dropping the first's changes. On PostgreSQL a
 * transaction-scoped advisory lock, released at commit or rollback. SQLite needs none: knex opens one connection for
 * it, so a backend's transactions run one after another (and processes sharing a file get SQLITE_BUSY, never a lost
 * update).
 */
async function lockCommits(tx: Knex.Transaction): Promise<void> {
  if (tx.client.dialect === 'postgresql')
    await tx.raw('select pg_advisory_xact_lock(?::bigint)', [COMMIT_LOCK_KEY]);
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
  readonly #maxDeltaChain: number;
  /**
   * Snapshot objects whose JSON is exactly what a version stores (this process committed or read them), by version:
   * only against those is a delta written, and a delta applied without reading its base.
   */
  readonly #versionOf = new WeakMap<Snapshot, number>();

  /**
   * `maxDeltaChain`: at most this many deltas follow a whole snapshot before the next commit is stored whole again,
   * so a read applies a short chain (default 8).
   */
  static async create(options: {
    database: DatabaseService;
    keepSnapshots?: number;
    maxDeltaChain?: number;
  }): Promise<SnapshotStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new SnapshotStore(
      client,
      options.keepSnapshots ?? 5,
      options.maxDeltaChain ?? 8,
    );
  }

  private constructor(db: Knex, keepSnapshots: number, maxDeltaChain: number) {
    this.#db = db;
    this.#keepSnapshots = keepSnapshots;
    this.#maxDeltaChain = maxDeltaChain;
  }

  /** Version of the served snapshot, cheap enough to poll. */
  async latestVersion(): Promise<number | undefined> {
    const row = await this.#db<SnapshotRow>('snapshots')
      .whereIn('status', COMMITTED)
      .max({ id: 'id' })
      .first();
    return row?.id ? Number(row.id) : undefined;
  }

  /**
   * The served snapshot, decoded. `known`: a snapshot this process holds; when the served one is a delta on it, only
   * the delta is read.
   */
  async latest(known?: KnownSnapshot): Promise<StoredSnapshot | undefined> {
    const row: RowMeta | undefined = await this.#db<SnapshotRow>('snapshots')
      .whereIn('status', COMMITTED)
      .orderBy('id', 'desc')
      .first(META_COLUMNS);
    return row ? this.#toStored(row, known) : undefined;
  }

  /** The snapshot of one version (`known` as for {@link SnapshotStore.latest}). */
  async byVersion(
    version: number,
    known?: KnownSnapshot,
  ): Promise<StoredSnapshot | undefined> {
    const row: RowMeta | undefined = await this.#db<SnapshotRow>('snapshots')
      .where({ id: version })
      .whereIn('status', COMMITTED)
      .first(META_COLUMNS);
    return row ? this.#toStored(row, known) : undefined;
  }

  /**
   * A row's data, read READ_BYTES at a time with a turn of the event loop between queries. Committed rows never
   * change; one pruned meanwhile is an error (and a torn read would fail the checksum).
   */
  async #readData(id: number, db: Knex = this.#db): Promise<Buffer[]> {
    const pieces: Buffer[] = [];
    for (let from = 1; ; from += READ_BYTES) {
      const row: { piece: Buffer | null } | undefined = await db('snapshots')
        .where({ id })
        .first(db.raw('substr(data, ?, ?) as piece', [from, READ_BYTES]));
      if (!row) throw new Error(`Snapshot ${id} was deleted while it was read`);
      const piece = Buffer.from(row.piece ?? []);
      if (piece.length > 0) pieces.push(piece);
      if (piece.length < READ_BYTES) return pieces;
    }
  }

  async #decodeRow(row: Pick<SnapshotRow, 'checksum' | 'id'>) {
    return decodeData(row, await this.#readData(Number(row.id)));
  }

  async #toStored(
    row: RowMeta,
    known?: KnownSnapshot,
  ): Promise<StoredSnapshot> {
    const stored =
      row.base_version === null
        ? await this.#decodeRow(row)
        : await this.#applyDeltas(row, known);
    // Rows written by an earlier version hold its shape: upgraded here, so everything above reads one shape.
    const snapshot = upgradeSnapshot(stored);
    if (snapshot === stored) this.#versionOf.set(snapshot, Number(row.id));
    return {
      version: Number(row.id),
      createdAt: row.created_at,
      kind: row.kind,
      checksum: row.checksum,
      sizeBytes: Number(row.size_bytes),
      ...(row.base_version !== null && {
        baseVersion: Number(row.base_version),
      }),
      snapshot,
    };
  }

  /**
   * A delta row's snapshot: its chain of bases read back to a whole row (or to the snapshot this process holds), the
   * patches applied in order, and the result checked against the SHA-256 of the snapshot that was committed.
   */
  async #applyDeltas(row: RowMeta, known?: KnownSnapshot): Promise<unknown> {
    const deltas = [row];
    let base: unknown;
    let from: number;
    let fromMemory = false;
    for (;;) {
      from = Number(deltas[deltas.length - 1].base_version);
      if (
        known?.version === from &&
        this.#versionOf.get(known.snapshot) === from
      ) {
        base = known.snapshot;
        fromMemory = true;
        break;
      }
      const baseRow: RowMeta | undefined = await this.#db<SnapshotRow>(
        'snapshots',
      )
        .where({ id: from })
        .first(META_COLUMNS);
      if (!baseRow)
        throw new Error(
          `Snapshot ${row.id} is stored as a change to version ${from}, which is missing`,
        );
      if (baseRow.base_version === null) {
        base = await this.#decodeRow(baseRow);
        break;
      }
      deltas.push(baseRow);
    }
    for (const delta of deltas.reverse()) {
      const document = (await this.#decodeRow(delta)) as DeltaDocument;
      try {
        base = await runInSlices(applyPatch(base, document.patch));
      } catch (error) {
        throw new Error(
          `Snapshot ${
            row.id
          } could not be rebuilt from version ${from}: version ${
            delta.id
          } does not apply (${(error as Error).message})`,
        );
      }
    }
    const { contentChecksum } = await jsonDigestInSlices(base);
    if (contentChecksum === row.content_checksum) return base;
    // The snapshot held in memory was not what its version stores after all: rebuild from the stored chain.
    if (fromMemory) return this.#applyDeltas(row);
    throw new Error(
      `Snapshot ${row.id} is corrupt: rebuilt from version ${from}, it does not match the checksum of the snapshot that was committed`,
    );
  }

  /**
   * Commits a snapshot in one transaction, finishing its run in the same transaction. Older committed
   * snapshots beyond the retention are pruned. A full run's snapshot supersedes a pending held one; a targeted
   * refresh's leaves it waiting (its approval keeps what the refreshes read).
   */
  async commit(options: RunOutcome): Promise<number> {
    // Only an approval can find nothing to commit.
    return (await this.#commit(options))!;
  }

  /**
   * Approves a held snapshot: commits `options.snapshot` (the held one as the service merged it with what was
   * committed since its run read) as a new version, like {@link SnapshotStore.commit}, and marks the held row
   * approved, in one transaction. Undefined, and nothing written, when that row is no longer held (a full run
   * superseded it, or it was approved meanwhile).
   */
  async approveHeld(
    options: RunOutcome & { heldId: number },
  ): Promise<number | undefined> {
    return this.#commit(options, options.heldId);
  }

  async #commit(
    options: RunOutcome,
    approving?: number,
  ): Promise<number | undefined> {
    const row =
      (await this.#deltaRow(options)) ??
      (await snapshotRow(options.snapshot, options.kind));
    const committed = await this.#db.transaction(async tx => {
      await lockCommits(tx);
      if (approving !== undefined) {
        const approved = await tx<SnapshotRow>('snapshots')
          .where({ id: approving, status: 'held' })
          .update({ status: 'approved' });
        if (approved === 0) return undefined;
      }
      if (options.basedOn !== undefined) {
        const latest = await tx<SnapshotRow>('snapshots')
          .whereIn('status', COMMITTED)
          .max({ id: 'id' })
          .first();
        const latestVersion = latest?.id ? Number(latest.id) : undefined;
        if (latestVersion !== options.basedOn)
          throw new StaleBaseError(options.basedOn, latestVersion);
      }
      const version = await insertSnapshot(tx, {
        ...row,
        status: row.base_version === null ? 'committed' : 'delta',
        reasons: null,
      });
      if (options.kind === 'full')
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
    if (committed !== undefined)
      this.#versionOf.set(options.snapshot, committed);
    return committed;
  }

  /**
   * The snapshot stored as the change from its base, when the base is the committed version this process holds, the
   * base's chain has fewer than `maxDeltaChain` deltas, and the chain's deltas with this one are not larger than the
   * whole row the chain starts from; undefined when it should be stored whole. The diff runs in slices
   * (snapshotDelta.ts).
   */
  async #deltaRow(options: RunOutcome): Promise<SnapshotColumns | undefined> {
    const { basedOn, base, snapshot } = options;
    if (basedOn === undefined || !base || this.#versionOf.get(base) !== basedOn)
      return undefined;
    const chain = await this.#chainOf(basedOn);
    if (!chain || chain.length > this.#maxDeltaChain) return undefined;
    const [whole, ...deltas] = chain.reverse();
    // The snapshot's content checksum is taken from the texts the diff compares its records by: one stringify each.
    const content = new JsonTextDigest();
    const patch = await runInSlices(diffJson(base, snapshot, content.add));
    const document: DeltaDocument = { base: basedOn, patch };
    const { pieces, bytes, checksum } = await gzipJsonPiecesInSlices(document);
    // Reading a version reads its chain: never more than twice the whole row's bytes.
    const chainBytes = deltas.reduce((sum, d) => sum + Number(d.size_bytes), 0);
    if (chainBytes + bytes > Number(whole.size_bytes)) return undefined;
    const { contentChecksum, contentBytes } = content.digest();
    return {
      ...describedBy(snapshot, options.kind),
      size_bytes: bytes,
      checksum,
      data: pieces,
      base_version: basedOn,
      content_checksum: contentChecksum,
      content_bytes: contentBytes,
    };
  }

  /** A committed version and the bases it is stored against, back to its whole row; undefined when one is missing. */
  async #chainOf(version: number): Promise<ChainLink[] | undefined> {
    const chain: ChainLink[] = [];
    for (let id: number | null = version; id !== null; ) {
      const link: ChainLink | undefined = await this.#db<SnapshotRow>(
        'snapshots',
      )
        .where({ id })
        .whereIn('status', COMMITTED)
        .first('id', 'base_version', 'size_bytes');
      if (!link) return undefined;
      chain.push(link);
      id = link.base_version === null ? null : Number(link.base_version);
    }
    return chain;
  }

  /**
   * Deletes committed snapshots beyond the retention, except the bases a kept delta is stored against and the
   * version a held snapshot is built on (its approval merges against it).
   */
  async #pruneCommitted(tx: Knex.Transaction) {
    const committed = await tx<SnapshotRow>('snapshots')
      .whereIn('status', COMMITTED)
      .orderBy('id', 'desc')
      .select('id', 'base_version');
    const keep = committed.slice(0, this.#keepSnapshots);
    if (keep.length < this.#keepSnapshots) return;
    const oldestKept = Math.min(...keep.map(r => Number(r.id)));
    const baseOf = new Map(committed.map(r => [Number(r.id), r.base_version]));
    const heldOn = await tx<SnapshotRow>('snapshots')
      .where({ status: 'held' })
      .whereNotNull('based_on')
      .select('based_on');
    const bases = new Set<number>();
    for (const first of [
      ...keep.map(kept => kept.base_version),
      ...heldOn.map(held => held.based_on),
    ]) {
      let base: number | null | undefined = first;
      while (base !== null && base !== undefined && !bases.has(Number(base))) {
        bases.add(Number(base));
        base = baseOf.get(Number(base));
      }
    }
    const prune = tx<SnapshotRow>('snapshots')
      .where('id', '<', oldestKept)
      .whereIn('status', [...COMMITTED, 'approved', 'discarded']);
    if (bases.size > 0) prune.whereNotIn('id', [...bases]);
    await prune.delete();
  }

  /**
   * Stores a snapshot the mass-delete brake held back, whole, with the version it is built on
   * (`basedOn`); it is not served until approved.
   */
  async hold(options: RunOutcome & { reasons: string[] }): Promise<number> {
    const row = await snapshotRow(options.snapshot, options.kind);
    return this.#db.transaction(async tx => {
      // A commit's pruning keeps the version a held snapshot is built on only once it sees the held row.
      await lockCommits(tx);
      await tx<SnapshotRow>('snapshots')
        .where({ status: 'held' })
        .update({ status: 'discarded' });
      const id = await insertSnapshot(tx, {
        ...row,
        status: 'held',
        reasons: JSON.stringify(options.reasons),
        based_on: options.basedOn ?? null,
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
    const row: RowMeta | undefined = await this.#db<SnapshotRow>('snapshots')
      .where({ status: 'held' })
      .orderBy('id', 'desc')
      .first(META_COLUMNS);
    if (!row) return undefined;
    const previous = await this.#db<SnapshotRow>('snapshots')
      .whereIn('status', COMMITTED)
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

  /** The held snapshot waiting for approval, decoded, with the version it is built on. */
  async heldRead(): Promise<HeldRead | undefined> {
    const row: RowMeta | undefined = await this.#db<SnapshotRow>('snapshots')
      .where({ status: 'held' })
      .orderBy('id', 'desc')
      .first(META_COLUMNS);
    if (!row) return undefined;
    return {
      id: Number(row.id),
      kind: row.kind,
      ...(row.based_on !== null &&
        row.based_on !== undefined && { basedOn: Number(row.based_on) }),
      snapshot: upgradeSnapshot(await this.#decodeRow(row)),
    };
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

  /** The runs with these ids, in the order asked for (undefined for an id not recorded). */
  async runsByIds(ids: string[]): Promise<Array<SyncRun | undefined>> {
    const rows = await this.#db<RunRow>('sync_runs').whereIn('id', ids);
    const byId = new Map(rows.map(row => [row.id, toRun(row)]));
    return ids.map(id => byId.get(id));
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
    | { id: number; checksum: string; sizeBytes: number; baseVersion?: number }
    | undefined
  > {
    const row = await this.#db<SnapshotRow>('snapshots')
      .whereIn('status', COMMITTED)
      .orderBy('id', 'desc')
      .first('id', 'checksum', 'size_bytes', 'base_version');
    return row
      ? {
          id: Number(row.id),
          checksum: row.checksum,
          sizeBytes: Number(row.size_bytes),
          ...(row.base_version !== null && {
            baseVersion: Number(row.base_version),
          }),
        }
      : undefined;
  }

  /**
   * What storing a committed version wrote (its row's bytes: a delta's are its patch's) next to the whole row its
   * chain starts from (the full snapshot's size), for benchmarks.
   */
  async storedSize(version: number): Promise<
    | {
        sizeBytes: number;
        baseVersion?: number;
        wholeVersion: number;
        wholeSizeBytes: number;
      }
    | undefined
  > {
    const chain = await this.#chainOf(version);
    if (!chain) return undefined;
    const [own] = chain;
    const whole = chain[chain.length - 1];
    return {
      sizeBytes: Number(own.size_bytes),
      ...(own.base_version !== null && {
        baseVersion: Number(own.base_version),
      }),
      wholeVersion: Number(whole.id),
      wholeSizeBytes: Number(whole.size_bytes),
    };
  }
}
