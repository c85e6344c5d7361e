import type { GrantRequestRef } from '@aws-access/plugin-aws-access-common';
import {
  isOpenRequestState,
  isRequestInFlight,
} from '@aws-access/plugin-aws-access-common';
import type { StoredRequest } from '../../governance/RequestStore';

/**
 * How long AWS typically takes to show an approved request's access: the Entra write, provision-on-demand
 * (queued under Entra's 5 per 10 s) and a targeted refresh. What the bench's approval → active measures, with
 * room; the next provisioning cycle is the bound when it comes sooner.
 */
export const REQUEST_PROVISIONING_ESTIMATE_MS = 2 * 60_000;

/** A person's open requests by the identity source's group id: which of their grants a request explains. */
export function openRequestsByGroup(
  requests: StoredRequest[],
): Map<string, StoredRequest> {
  const byGroup = new Map<string, StoredRequest>();
  for (const request of requests) {
    if (isOpenRequestState(request.state))
      byGroup.set(request.group.id, request);
  }
  return byGroup;
}

/** The request behind a grant, as the grant carries it ("approved by Maria 10:02"). */
export function grantRequestRef(request: StoredRequest): GrantRequestRef {
  const names = request.approvals.map(a => a.byName);
  return {
    id: request.id,
    state: request.state,
    approvedBy: request.approvals.map(a => a.by),
    ...(names.every(Boolean) &&
      names.length > 0 && { approvedByNames: names as string[] }),
    ...(request.decidedAt && { approvedAt: request.decidedAt }),
    ...(request.expiresAt && { expiresAt: request.expiresAt }),
  };
}

/**
 * When a pending grant from a request in flight is expected in AWS: its approval plus the typical provisioning
 * time, unless the provisioning cycle comes first. Undefined when the request is not being carried forward.
 */
export function requestExpectedBy(
  request: StoredRequest,
  nextCycleAt?: string,
): string | undefined {
  if (!isRequestInFlight(request.state) || !request.decidedAt) return undefined;
  const estimate = new Date(
    Date.parse(request.decidedAt) + REQUEST_PROVISIONING_ESTIMATE_MS,
  ).toISOString();
  return nextCycleAt && nextCycleAt < estimate ? nextCycleAt : estimate;
}
