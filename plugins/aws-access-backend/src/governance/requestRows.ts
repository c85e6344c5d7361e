import type {
  GovernanceMode,
  RequestHistoryEntry,
  RequestState,
} from '@aws-access/plugin-aws-access-common';

/** One approval as stored. */
export interface StoredApproval {
  /** Entity ref of the approver. */
  by: string;
  byName?: string;
  at: string;
  note?: string;
  /** The approver groups (`approverGroups`) this approval counts for. */
  satisfies: string[];
}

/**
 * An access request as stored: the API's request without what is derived at read time (grants, actions), plus
 * what the worker needs to write to the identity source (its group and user ids) and to follow through.
 */
export interface StoredRequest {
  id: string;
  /** Entity ref of the requester. */
  requester: string;
  requesterName?: string;
  /** The identity source's user id of the requester (the Entra object id). */
  requesterUserId: string;
  /** The group's entity ref, display name and identity-source id (the Entra object id). */
  group: { entityRef: string; name: string; id: string };
  justification?: string;
  ticket?: string;
  /** ISO 8601 duration; absent for standing access. */
  duration?: string;
  mode: GovernanceMode;
  state: RequestState;
  approvalsRequired: number;
  /** Groups that must each give one approval (account-owners with several owner groups); may be empty. */
  approverGroups: string[];
  approvals: StoredApproval[];
  createdAt: string;
  updatedAt: string;
  /** A submitted request expires at this time (the policy's `approvalTimeout`). */
  decideBy?: string;
  decidedAt?: string;
  grantedAt?: string;
  expiresAt?: string;
  /** When the request entered `revoking` (revoke or expiry). */
  revokeRequestedAt?: string;
  /** Who revoked it: an entity ref, or `system` at expiry. */
  revokedBy?: string;
  endedAt?: string;
  error?: string;
  /** Entra writes tried for this request. */
  attempts: number;
  lastAttemptAt?: string;
}

/** What a submission stores; the store adds the id, the state (`submitted`) and the timestamps. */
export type NewRequest = Omit<
  StoredRequest,
  | 'id'
  | 'state'
  | 'approvals'
  | 'createdAt'
  | 'updatedAt'
  | 'decidedAt'
  | 'grantedAt'
  | 'expiresAt'
  | 'revokeRequestedAt'
  | 'revokedBy'
  | 'endedAt'
  | 'error'
  | 'attempts'
  | 'lastAttemptAt'
>;

export type RequestRow = {
  id: string;
  requester: string;
  requester_name: string | null;
  requester_user_id: string;
  group_ref: string;
  group_name: string;
  group_id: string;
  justification: string | null;
  ticket: string | null;
  duration: string | null;
  mode: GovernanceMode;
  state: RequestState;
  open_key: string | null;
  approvals_required: number;
  approver_groups: string | null;
  created_at: string;
  updated_at: string;
  decide_by: string | null;
  decided_at: string | null;
  granted_at: string | null;
  expires_at: string | null;
  revoke_requested_at: string | null;
  revoked_by: string | null;
  ended_at: string | null;
  error: string | null;
  attempts: number;
  last_attempt_at: string | null;
};

export type ApprovalRow = {
  request_id: string;
  by: string;
  by_name: string | null;
  at: string;
  note: string | null;
  satisfies: string | null;
};

export type HistoryRow = {
  id: number;
  request_id: string;
  at: string;
  by: string;
  by_name: string | null;
  from_state: RequestState | null;
  to_state: RequestState;
  note: string | null;
};

/** The columns a transition's `patch` may set (`null` clears). */
export interface RequestPatch {
  expiresAt?: string | null;
  grantedAt?: string | null;
  endedAt?: string | null;
  error?: string | null;
  attempts?: number;
  lastAttemptAt?: string | null;
  revokedBy?: string | null;
}

/** At most one open request per person and group: the unique key while open, null once final. */
export function openKey(requester: string, groupRef: string): string {
  return `${requester}|${groupRef}`;
}

const opt = <T>(value: T | null): T | undefined => value ?? undefined;

export function toApproval(row: ApprovalRow): StoredApproval {
  return {
    by: row.by,
    byName: opt(row.by_name),
    at: row.at,
    note: opt(row.note),
    satisfies: row.satisfies ? JSON.parse(row.satisfies) : [],
  };
}

export function toRequest(
  row: RequestRow,
  approvals: StoredApproval[],
): StoredRequest {
  return {
    id: row.id,
    requester: row.requester,
    requesterName: opt(row.requester_name),
    requesterUserId: row.requester_user_id,
    group: { entityRef: row.group_ref, name: row.group_name, id: row.group_id },
    justification: opt(row.justification),
    ticket: opt(row.ticket),
    duration: opt(row.duration),
    mode: row.mode,
    state: row.state,
    approvalsRequired: Number(row.approvals_required),
    approverGroups: row.approver_groups ? JSON.parse(row.approver_groups) : [],
    approvals,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    decideBy: opt(row.decide_by),
    decidedAt: opt(row.decided_at),
    grantedAt: opt(row.granted_at),
    expiresAt: opt(row.expires_at),
    revokeRequestedAt: opt(row.revoke_requested_at),
    revokedBy: opt(row.revoked_by),
    endedAt: opt(row.ended_at),
    error: opt(row.error),
    attempts: Number(row.attempts),
    lastAttemptAt: opt(row.last_attempt_at),
  };
}

export function newRequestRow(
  id: string,
  request: NewRequest,
  at: string,
): RequestRow {
  return {
    id,
    requester: request.requester,
    requester_name: request.requesterName ?? null,
    requester_user_id: request.requesterUserId,
    group_ref: request.group.entityRef,
    group_name: request.group.name,
    group_id: request.group.id,
    justification: request.justification ?? null,
    ticket: request.ticket ?? null,
    duration: request.duration ?? null,
    mode: request.mode,
    state: 'submitted',
    open_key: openKey(request.requester, request.group.entityRef),
    approvals_required: request.approvalsRequired,
    approver_groups: request.approverGroups.length
      ? JSON.stringify(request.approverGroups)
      : null,
    created_at: at,
    updated_at: at,
    decide_by: request.decideBy ?? null,
    decided_at: null,
    granted_at: null,
    expires_at: null,
    revoke_requested_at: null,
    revoked_by: null,
    ended_at: null,
    error: null,
    attempts: 0,
    last_attempt_at: null,
  };
}

/** The patch's columns; keys absent from the patch are left alone. */
export function patchColumns(patch: RequestPatch): Partial<RequestRow> {
  const columns: Partial<RequestRow> = {};
  const set = <K extends keyof RequestRow>(
    key: K,
    value: RequestRow[K] | undefined,
  ) => {
    if (value !== undefined) columns[key] = value;
  };
  set('expires_at', patch.expiresAt);
  set('granted_at', patch.grantedAt);
  set('ended_at', patch.endedAt);
  set('error', patch.error);
  set('attempts', patch.attempts);
  set('last_attempt_at', patch.lastAttemptAt);
  set('revoked_by', patch.revokedBy);
  return columns;
}

export function toHistoryEntry(row: HistoryRow): RequestHistoryEntry {
  return {
    at: row.at,
    by: row.by,
    byName: opt(row.by_name),
    from: opt(row.from_state),
    to: row.to_state,
    note: opt(row.note),
  };
}
