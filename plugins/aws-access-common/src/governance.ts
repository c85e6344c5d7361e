import type { Grant, PermissionSetRef } from './types';

/*
 * Governance: access requests with approval and expiry, and access reviews (shared/design/governance.md). A
 * request asks for membership of an Entra group that is assigned to the AWS app (a *requestable*); it is followed
 * until the snapshot shows AWS granting it, and at its end until the snapshot shows AWS no longer does.
 */

/**
 * The life of an access request. `active` and `ended` are what the snapshot shows AWS doing, never what was
 * written to Entra.
 *
 * @public
 */
export const RequestState = {
  /** Waiting for approval. */
  submitted: 'submitted',
  /** Enough approvals; the Entra write has not succeeded yet. */
  approved: 'approved',
  denied: 'denied',
  /** Withdrawn by the requester before it was granted. */
  cancelled: 'cancelled',
  /** Nobody decided before the policy's `approvalTimeout`. */
  expired: 'expired',
  /** Written to Entra; AWS does not show the grant yet. */
  granting: 'granting',
  /** AWS shows the grant: the access is usable. */
  active: 'active',
  /** Expired or revoked and removed from Entra; AWS still shows the grant. */
  revoking: 'revoking',
  /** AWS no longer shows the grant. */
  ended: 'ended',
  /** A write to Entra failed; `error` says why, and the request can be retried. */
  failed: 'failed',
} as const;

/** @public */
// eslint-disable-next-line @typescript-eslint/no-redeclare -- the value and its type share the name on purpose
export type RequestState = (typeof RequestState)[keyof typeof RequestState];

/** Every request state, in the order of a request's life. @public */
export const requestStates: readonly RequestState[] =
  Object.values(RequestState);

const FINAL_REQUEST_STATES: ReadonlySet<RequestState> = new Set([
  'denied',
  'cancelled',
  'expired',
  'ended',
]);

/** Whether a request has reached the end of its life (nothing more will happen to it). @public */
export function isFinalRequestState(state: RequestState): boolean {
  return FINAL_REQUEST_STATES.has(state);
}

/** Whether a request still holds or is about to hold access (a second request for the group is refused). @public */
export function isOpenRequestState(state: RequestState): boolean {
  return !FINAL_REQUEST_STATES.has(state);
}

const IN_FLIGHT_REQUEST_STATES: ReadonlySet<RequestState> = new Set([
  'approved',
  'granting',
  'revoking',
]);

/**
 * Whether the backend is carrying a request forward on its own (writing to Entra, or waiting for AWS to show the
 * result): its state changes soon without anybody acting, so a view showing it should look again shortly.
 *
 * @public
 */
export function isRequestInFlight(state: RequestState): boolean {
  return IN_FLIGHT_REQUEST_STATES.has(state);
}

/** Whether a request waits for an approver's decision. @public */
export function isAwaitingDecision(state: RequestState): boolean {
  return state === RequestState.submitted;
}

/** Whether the access a request asked for is usable in AWS now (the snapshot shows the grant). @public */
export function isRequestActive(state: RequestState): boolean {
  return state === RequestState.active;
}

/** Whether the last write to Entra for a request failed (it can be retried). @public */
export function isRequestFailed(state: RequestState): boolean {
  return state === RequestState.failed;
}

/**
 * How access is written to Entra: `membership` adds the person to the group and our own durable task removes
 * them at expiry; `pim` creates a PIM for Groups assignment with an expiration that Entra ends itself.
 *
 * @public
 */
export type GovernanceMode = 'membership' | 'pim';

/** What a request's policy allows, as the requester and approvers see it. @public */
export interface RequestPolicySummary {
  /** ISO 8601 upper bound on the membership; absent means standing access is allowed. */
  maxDuration?: string;
  /** ISO 8601 duration used when the request names none. */
  defaultDuration?: string;
  justification: 'required' | 'optional';
  /** How many distinct approvers must approve (1 or 2). */
  approvals: number;
  autoApprove: boolean;
  /** A regular expression the ticket reference must match. */
  ticketPattern?: string;
  mode: GovernanceMode;
}

/** One (account, permission set) a group gives, from the snapshot. @public */
export interface RequestableGrant {
  accountId: string;
  accountName: string;
  permissionSet: PermissionSetRef;
}

/** A group the caller may request, with what it would give (`GET /requestables`). @public */
export interface Requestable {
  group: { entityRef: string; name: string };
  policy: RequestPolicySummary;
  grants: RequestableGrant[];
  /** The caller is already a direct member (a request would be refused). */
  member: boolean;
  /** The caller's open request for this group, if any. */
  openRequestId?: string;
}

/** `GET /requestables`. @public */
export interface RequestableList {
  items: Requestable[];
}

/** One approval of a request. @public */
export interface RequestApproval {
  /** Entity ref of the approver. */
  by: string;
  /** The approver's display name, when the catalog knows it. */
  byName?: string;
  at: string;
  note?: string;
}

/** One transition of a request, kept after the membership ends. @public */
export interface RequestHistoryEntry {
  at: string;
  /** Entity ref of who caused it, or `system` (expiry, the follow-through, a timeout). */
  by: string;
  /** Display name of `by`, when the catalog knows it. */
  byName?: string;
  /** Absent for the submission. */
  from?: RequestState;
  to: RequestState;
  note?: string;
}

/** An access request (governance.md §5). @public */
export interface AccessRequest {
  id: string;
  /** Entity ref of the requester; a request is always made by and for the signed-in user. */
  requester: string;
  requesterName?: string;
  group: { entityRef: string; name: string };
  justification?: string;
  ticket?: string;
  /** ISO 8601 duration of the membership; absent for standing access. */
  duration?: string;
  state: RequestState;
  mode: GovernanceMode;
  createdAt: string;
  /** When the last approval, denial or cancellation was recorded. */
  decidedAt?: string;
  approvals: RequestApproval[];
  /** Approvals needed before the request is approved. */
  approvalsRequired: number;
  /** When AWS first showed the grant (`active`). */
  grantedAt?: string;
  /** When the membership ends (from the approval and the duration). */
  expiresAt?: string;
  /** When AWS stopped showing the grant (`ended`), or the request was closed otherwise. */
  endedAt?: string;
  /** Why the last write failed (`failed`), in the words of the cause. */
  error?: string;
  /** What the group gives in AWS, from the snapshot. */
  grants: RequestableGrant[];
  /** What the caller may do with this request now. */
  actions: {
    approve: boolean;
    deny: boolean;
    cancel: boolean;
    revoke: boolean;
    retry: boolean;
  };
  /** Present on `GET /requests/:id`. */
  history?: RequestHistoryEntry[];
  /**
   * The requester's current AWS grants, on `GET /requests/:id` for the people who decide it (its approvers and
   * the platform team), so an approver sees what the person already has next to what they ask for.
   */
  requesterGrants?: Grant[];
}

/** `GET /requests`. @public */
export interface AccessRequestList {
  items: AccessRequest[];
}

/** `POST /requests`. @public */
export interface CreateAccessRequest {
  /** Entity ref of the group. */
  group: string;
  justification?: string;
  /** ISO 8601 duration, at most the policy's `maxDuration`. */
  duration?: string;
  ticket?: string;
}

/** Which requests `GET /requests` lists. @public */
export type RequestListRole = 'mine' | 'approver' | 'all';

/** `GET /requests/export?from=&to=&format=`: the requests created in a period, for auditors. @public */
export interface AccessRequestExportOptions {
  /** Start of the period (ISO 8601 date or timestamp, inclusive). */
  from: string;
  /** End of the period (ISO 8601 date or timestamp, exclusive). */
  to: string;
  format: 'csv' | 'json';
}

/** A finding of the governance policy lint on the platform board. @public */
export interface PolicyLintFinding {
  code:
    | 'admin-without-max-duration'
    | 'no-approvers'
    | 'auto-approve-admin'
    | 'unknown-group'
    | 'not-requestable';
  severity: 'warning' | 'error';
  message: string;
  /** The policy's `group` selector. */
  policy?: string;
  /** The group the finding is about, when it is one. */
  group?: string;
}

/** `GET /governance/lint`: the policy lint for the platform board (needs `aws-access.all.read`). @public */
export interface PolicyLintReport {
  findings: PolicyLintFinding[];
}

/**
 * The access request behind a grant (on `Grant.request`), so a pending grant can say "approved by Maria 10:02,
 * AWS expected by ≈ 10:04" and an active one when it expires.
 *
 * @public
 */
export interface GrantRequestRef {
  id: string;
  state: RequestState;
  /** Entity refs of the approvers. */
  approvedBy: string[];
  /** Display names of `approvedBy`, in the same order, where the catalog knows them. */
  approvedByNames?: string[];
  approvedAt?: string;
  expiresAt?: string;
}
