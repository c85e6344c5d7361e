import type { RequestState } from '@aws-access/plugin-aws-access-common';

/*
 * Who moves a request (governance.md §2), agreed between the service and the worker:
 *
 * - The service (RequestService, on a person's action): submitted → approved | denied | cancelled (and
 *   submitted → submitted when an approval is recorded but more are needed); approved → cancelled; revoke:
 *   approved | granting | active | failed → revoking; retry: failed → approved, or failed → revoking when the
 *   request was being revoked (`revokeRequestedAt` is set).
 * - The worker (everything after `approved`, and the clock): approved → granting (after the Entra write),
 *   granting → active (the snapshot shows the grant), active → revoking (expiry), revoking → ended (the snapshot
 *   no longer shows it), approved | granting | revoking → failed (a write failed, with `error`), submitted →
 *   expired (`decideBy` passed).
 *
 * Revoke is a state, not a flag: moving to `revoking` stamps `revokeRequestedAt` (and `revokedBy`, `system` at
 * expiry), and the worker acts on every `revoking` request: it removes the member (membership mode; in pim mode
 * an `adminRemove` before expiry), then waits for the snapshot. Because every move is a compare-and-set on the
 * state, a worker that finishes an Entra add after a revoke fails its granting → active move with a conflict,
 * and finds the request in `revoking`.
 */
const ALLOWED: Readonly<Record<RequestState, readonly RequestState[]>> = {
  submitted: ['submitted', 'approved', 'denied', 'cancelled', 'expired'],
  approved: ['granting', 'cancelled', 'revoking', 'failed'],
  granting: ['active', 'revoking', 'failed'],
  active: ['revoking'],
  revoking: ['ended', 'failed'],
  failed: ['approved', 'revoking'],
  denied: [],
  cancelled: [],
  expired: [],
  ended: [],
};

/** Whether a request may move from one state to another (the same state only while approvals are collected). */
export function isAllowedTransition(
  from: RequestState,
  to: RequestState,
): boolean {
  return ALLOWED[from].includes(to);
}
