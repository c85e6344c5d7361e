import type {
  AccessRequest,
  RequestPolicySummary,
  Requestable,
} from '@aws-access/plugin-aws-access-common';
import {
  isRequestActive,
  isRequestInFlight,
} from '@aws-access/plugin-aws-access-common';
import { parseIsoDuration } from './time';

/*
 * Pure helpers for access requests: searching requestables by what they give, the duration choices a policy
 * allows, client-side checks of the request form, and when a view should look again.
 */

/** Everything a person might type to find a requestable: the group, and each "PermissionSet on account (id)". */
function searchText(requestable: Requestable): string {
  return [
    requestable.group.name,
    ...requestable.grants.map(
      grant =>
        `${grant.permissionSet.name} on ${grant.accountName} ${grant.accountId}`,
    ),
  ]
    .join(' ')
    .toLowerCase();
}

/** Whether every word of the query appears in what the requestable gives ("poweruser payments-prod"). */
export function matchesRequestable(
  requestable: Requestable,
  query: string,
): boolean {
  const haystack = searchText(requestable);
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every(word => haystack.includes(word));
}

/** The requestables that give anything on one account. */
export function requestablesForAccount(
  requestables: Requestable[],
  accountId: string,
): Requestable[] {
  return requestables.filter(requestable =>
    requestable.grants.some(grant => grant.accountId === accountId),
  );
}

/** Why a requestable cannot be requested now, if it cannot. */
export function unavailableReason(
  requestable: Requestable,
): 'member' | 'open-request' | undefined {
  if (requestable.member) {
    return 'member';
  }
  return requestable.openRequestId ? 'open-request' : undefined;
}

const DURATION_PRESETS = [
  'PT15M',
  'PT30M',
  'PT1H',
  'PT2H',
  'PT4H',
  'PT8H',
  'PT12H',
  'P1D',
  'P3D',
  'P7D',
];

/**
 * The durations to offer, shortest first: the presets up to the policy's `maxDuration`, plus the default and the
 * ceiling themselves (so a policy's odd `PT90M` can still be chosen). An empty string stands for standing access,
 * offered only when the policy has neither a ceiling nor a default (otherwise naming none means the default).
 */
export function durationChoices(policy: RequestPolicySummary): string[] {
  const max = policy.maxDuration
    ? parseIsoDuration(policy.maxDuration)
    : undefined;
  const candidates = [
    ...DURATION_PRESETS,
    policy.defaultDuration,
    policy.maxDuration,
  ].filter((value): value is string => !!value);
  const bySeconds = new Map<number, string>();
  for (const candidate of candidates) {
    const seconds = parseIsoDuration(candidate);
    if (seconds && (max === undefined || seconds <= max)) {
      if (!bySeconds.has(seconds) || candidate === policy.defaultDuration) {
        bySeconds.set(seconds, candidate);
      }
    }
  }
  const choices = [...bySeconds.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, value]) => value);
  if (!policy.maxDuration && !policy.defaultDuration) {
    choices.push('');
  }
  return choices;
}

/** The duration preselected in the form: the policy's default, else its ceiling, else standing access. */
export function initialDuration(policy: RequestPolicySummary): string {
  return policy.defaultDuration ?? policy.maxDuration ?? '';
}

/** The request form as the person filled it in. */
export interface RequestForm {
  duration: string;
  justification: string;
  ticket: string;
}

/** A problem with one field of the form, checked before anything is sent. */
export type RequestFormProblem =
  | { field: 'justification'; problem: 'missing' }
  | { field: 'ticket'; problem: 'mismatch'; pattern: string };

/**
 * What the policy will refuse, checked in the browser so the person sees it at once (the backend checks again
 * and its 400 names the field too). A ticket pattern that does not compile here is left to the backend.
 */
export function checkRequestForm(
  policy: RequestPolicySummary,
  form: RequestForm,
): RequestFormProblem[] {
  const problems: RequestFormProblem[] = [];
  if (policy.justification === 'required' && !form.justification.trim()) {
    problems.push({ field: 'justification', problem: 'missing' });
  }
  if (policy.ticketPattern) {
    let pattern: RegExp | undefined;
    try {
      pattern = new RegExp(policy.ticketPattern);
    } catch {
      pattern = undefined;
    }
    if (pattern && !pattern.test(form.ticket.trim())) {
      problems.push({
        field: 'ticket',
        problem: 'mismatch',
        pattern: policy.ticketPattern,
      });
    }
  }
  return problems;
}

/**
 * Whether a view of this request should look again soon: the backend is carrying it forward, or it is active
 * past its expiry (the backend is about to start removing it).
 */
export function needsPolling(request: AccessRequest, now: number): boolean {
  if (isRequestInFlight(request.state)) {
    return true;
  }
  if (isRequestActive(request.state) && request.expiresAt) {
    return Date.parse(request.expiresAt) <= now;
  }
  return false;
}

/** Seconds until the request's access expires, when it has an expiry and still holds access. */
export function secondsUntilExpiry(
  request: AccessRequest,
  now: number,
): number | undefined {
  if (!request.expiresAt) {
    return undefined;
  }
  const at = Date.parse(request.expiresAt);
  return Number.isNaN(at) ? undefined : (at - now) / 1000;
}
