import type { DatabaseService } from '@backstage/backend-plugin-api';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type {
  RequestHistoryEntry,
  RequestState,
} from '@aws-access/plugin-aws-access-common';
import { isFinalRequestState } from '@aws-access/plugin-aws-access-common';
import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import type {
  ApprovalRow,
  HistoryRow,
  NewRequest,
  RequestPatch,
  RequestRow,
  StoredApproval,
  StoredRequest,
} from './requestRows';
import {
  newRequestRow,
  patchColumns,
  toApproval,
  toHistoryEntry,
  toRequest,
} from './requestRows';
import { isAllowedTransition } from './requestTransitions';

export type {
  NewRequest,
  RequestPatch,
  StoredApproval,
  StoredRequest,
} from './requestRows';

const migrationsDir = resolvePackagePath(
  '@aws-access/plugin-aws-access-backend',
  'migrations',
);

const REQUESTS = 'access_requests';
const APPROVALS = 'access_request_approvals';
const HISTORY = 'access_request_history';
/** Below SQLite's limit on bound variables in one statement. */
const IN_CHUNK = 500;

/** Which requests `list` returns; every filter given must hold. */
export interface RequestFilter {
  requester?: string;
  states?: RequestState[];
  groupRefs?: string[];
  ids?: string[];
  /** Created at or after (ISO 8601, inclusive). */
  createdFrom?: string;
  /** Created before (ISO 8601, exclusive). */
  createdTo?: string;
  /** `expiresAt` set and before this (the expiry task's catch-up). */
  expiresBefore?: string;
  /** `decideBy` set and before this (the approval timeout). */
  decideByBefore?: string;
  /** `newest` (default) or `oldest` by creation; `expiring`: soonest `expiresAt` first. */
  order?: 'newest' | 'oldest' | 'expiring';
  limit?: number;
}

/** An approval recorded in the same transaction as the transition it may cause. */
export interface NewApproval {
  by: string;
  byName?: string;
  note?: string;
  satisfies?: string[];
}

/** A compare-and-set move of one request. */
export interface RequestTransition {
  /** The states the caller saw; a request in any other state is a conflict and nothing is written. */
  from: RequestState[];
  /**
   * The new state, or a function of the request as it is inside the transaction (with `approval` already
   * added), so that "enough approvals?" is decided under the row lock.
   */
  to: RequestState | ((current: StoredRequest) => RequestState);
  /** Entity ref of who caused it, or `system`. */
  by: string;
  byName?: string;
  note?: string;
  patch?: RequestPatch;
  /** An approval to record first; the same person approving twice is a conflict. */
  approval?: NewApproval;
}

function isPostgres(db: Knex): boolean {
  return String(db.client.config.client).startsWith('pg');
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += IN_CHUNK) {
    out.push(items.slice(i, i + IN_CHUNK));
  }
  return out;
}

/** Columns that follow from the target state, so that no caller can forget them. */
function stampsFor(
  current: RequestRow,
  to: RequestState,
  at: string,
  by: string,
  approved: boolean,
): Partial<RequestRow> {
  const stamps: Partial<RequestRow> = { state: to, updated_at: at };
  if (isFinalRequestState(to)) {
    stamps.open_key = null;
    stamps.ended_at = current.ended_at ?? at;
  }
  if (
    current.state === 'submitted' &&
    (approved || ['approved', 'denied', 'cancelled'].includes(to))
  ) {
    stamps.decided_at = at;
  }
  if (to === 'active' && !current.granted_at) stamps.granted_at = at;
  if (to === 'revoking' && current.state !== 'revoking') {
    // A retry of a failed removal keeps when and by whom the end was asked for.
    stamps.revoke_requested_at = current.revoke_requested_at ?? at;
    stamps.revoked_by = current.revoked_by ?? by;
  }
  // A retry starts afresh; the failure stays in the history's note.
  if (current.state === 'failed' && to !== 'failed') stamps.error = null;
  return stamps;
}

/**
 * Persistence of access requests, their approvals and their history. Every change of state is a compare-and-set
 * inside one transaction that also writes the history row, with the request's row locked (PostgreSQL) or the
 * database serialised (SQLite): two replicas, two approvers or the service and the worker can never both move
 * the same request. At most one open request per person and group, enforced by a unique key.
 */
export class RequestStore {
  readonly #db: Knex;
  readonly #now: () => Date;

  static async create(options: {
    database: DatabaseService;
    now?: () => Date;
  }): Promise<RequestStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new RequestStore(client, options.now ?? (() => new Date()));
  }

  private constructor(db: Knex, now: () => Date) {
    this.#db = db;
    this.#now = now;
  }

  /**
   * Stores a new request in `submitted` with its first history row. A second open request of the same person
   * for the same group is a `ConflictError`.
   */
  async insert(
    request: NewRequest,
    options: { note?: string } = {},
  ): Promise<StoredRequest> {
    const id = randomUUID();
    const at = this.#now().toISOString();
    const row = newRequestRow(id, request, at);
    try {
      await this.#db.transaction(async tx => {
        await tx<RequestRow>(REQUESTS).insert(row);
        await tx<HistoryRow>(HISTORY).insert({
          request_id: id,
          at,
          by: request.requester,
          by_name: request.requesterName ?? null,
          from_state: null,
          to_state: 'submitted',
          note: options.note ?? null,
        });
      });
    } catch (error) {
      const open = await this.#db<RequestRow>(REQUESTS)
        .where({ open_key: row.open_key })
        .first();
      if (open) {
        throw new ConflictError(
          `${request.requester} already has an open request for ${request.group.entityRef} (${open.id}, ${open.state})`,
        );
      }
      throw error;
    }
    return toRequest(row, []);
  }

  async get(id: string): Promise<StoredRequest | undefined> {
    const row = await this.#db<RequestRow>(REQUESTS).where({ id }).first();
    if (!row) return undefined;
    return toRequest(row, await this.#approvals(this.#db, id));
  }

  /** The history of a request, oldest first. */
  async history(id: string): Promise<RequestHistoryEntry[]> {
    const rows = await this.#db<HistoryRow>(HISTORY)
      .where({ request_id: id })
      .orderBy('id', 'asc');
    return rows.map(toHistoryEntry);
  }

  async list(filter: RequestFilter = {}): Promise<StoredRequest[]> {
    const query = this.#db<RequestRow>(REQUESTS);
    if (filter.requester) query.where('requester', filter.requester);
    if (filter.states) query.whereIn('state', filter.states);
    if (filter.groupRefs) query.whereIn('group_ref', filter.groupRefs);
    if (filter.ids) query.whereIn('id', filter.ids);
    if (filter.createdFrom) query.where('created_at', '>=', filter.createdFrom);
    if (filter.createdTo) query.where('created_at', '<', filter.createdTo);
    if (filter.expiresBefore) {
      query.where('expires_at', '<', filter.expiresBefore);
    }
    if (filter.decideByBefore) {
      query.where('decide_by', '<', filter.decideByBefore);
    }
    if (filter.order === 'expiring') {
      query.whereNotNull('expires_at').orderBy('expires_at', 'asc');
    } else {
      query.orderBy('created_at', filter.order === 'oldest' ? 'asc' : 'desc');
    }
    query.orderBy('id', 'asc');
    if (filter.limit) query.limit(filter.limit);
    const rows = await query;
    const approvals = new Map<string, StoredApproval[]>();
    for (const ids of chunks(rows.map(row => row.id))) {
      const approvalRows = await this.#db<ApprovalRow>(APPROVALS)
        .whereIn('request_id', ids)
        .orderBy('at', 'asc');
      for (const approval of approvalRows) {
        const list = approvals.get(approval.request_id) ?? [];
        list.push(toApproval(approval));
        approvals.set(approval.request_id, list);
      }
    }
    return rows.map(row => toRequest(row, approvals.get(row.id) ?? []));
  }

  /**
   * Moves a request from one of `from` to `to`, with its history row (and `approval`, if any) in the same
   * transaction. A request in another state, or an approver who already approved, is a `ConflictError`; nothing
   * is written then. Returns the request as committed.
   */
  async transition(
    id: string,
    transition: RequestTransition,
  ): Promise<StoredRequest> {
    const at = this.#now().toISOString();
    return this.#db.transaction(async tx => {
      const current = await this.#lockedRow(tx, id);
      if (!transition.from.includes(current.state)) {
        throw new ConflictError(
          `Request ${id} is ${current.state}, not ${transition.from.join(
            ' or ',
          )}`,
        );
      }
      const approvals = await this.#approvals(tx, id);
      if (transition.approval) {
        approvals.push(
          await this.#addApproval(tx, id, at, approvals, transition.approval),
        );
      }
      const to =
        typeof transition.to === 'function'
          ? transition.to(toRequest(current, approvals))
          : transition.to;
      if (!isAllowedTransition(current.state, to)) {
        throw new ConflictError(
          `Request ${id} cannot move from ${current.state} to ${to}`,
        );
      }
      const columns = {
        ...patchColumns(transition.patch ?? {}),
        ...stampsFor(current, to, at, transition.by, !!transition.approval),
      };
      if (transition.patch?.revokedBy !== undefined) {
        columns.revoked_by = transition.patch.revokedBy;
      }
      const updated = await tx<RequestRow>(REQUESTS)
        .where({ id, state: current.state })
        .update(columns);
      if (updated !== 1) {
        throw new ConflictError(`Request ${id} changed while it was moved`);
      }
      await tx<HistoryRow>(HISTORY).insert({
        request_id: id,
        at,
        by: transition.by,
        by_name: transition.byName ?? null,
        from_state: current.state,
        to_state: to,
        note: transition.note ?? null,
      });
      return toRequest({ ...current, ...columns }, approvals);
    });
  }

  /**
   * Records that the requester was warned of the expiry; true for the one caller that recorded it first (a
   * compare-and-set, so the warning goes out once whatever restarts or replicas do).
   */
  async markExpiryWarned(id: string): Promise<boolean> {
    const updated = await this.#db(REQUESTS)
      .where({ id })
      .whereNull('expiry_warned_at')
      .update({ expiry_warned_at: this.#now().toISOString() });
    return updated === 1;
  }

  async #lockedRow(tx: Knex.Transaction, id: string): Promise<RequestRow> {
    const query = tx<RequestRow>(REQUESTS).where({ id });
    // SQLite serialises writers on its own (and knex warns on FOR UPDATE there).
    if (isPostgres(this.#db)) query.forUpdate();
    const row = await query.first();
    if (!row) throw new NotFoundError(`No access request ${id}`);
    return row;
  }

  async #approvals(db: Knex, id: string): Promise<StoredApproval[]> {
    const rows = await db<ApprovalRow>(APPROVALS)
      .where({ request_id: id })
      .orderBy([{ column: 'at' }, { column: 'by' }]);
    return rows.map(toApproval);
  }

  async #addApproval(
    tx: Knex.Transaction,
    id: string,
    at: string,
    existing: StoredApproval[],
    approval: NewApproval,
  ): Promise<StoredApproval> {
    if (existing.some(other => other.by === approval.by)) {
      throw new ConflictError(
        `${approval.by} has already approved request ${id}`,
      );
    }
    const row: ApprovalRow = {
      request_id: id,
      by: approval.by,
      by_name: approval.byName ?? null,
      at,
      note: approval.note ?? null,
      satisfies: approval.satisfies?.length
        ? JSON.stringify(approval.satisfies)
        : null,
    };
    await tx<ApprovalRow>(APPROVALS).insert(row);
    return toApproval(row);
  }
}
