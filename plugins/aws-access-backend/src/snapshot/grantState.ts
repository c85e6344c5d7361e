import type { GrantState } from '@aws-access/plugin-aws-access-common';

/*
 * The one place that decides a grant's state (docs/state-model.md). A grant is one (account, permission set) a
 * person reaches through one or more paths; each path, and the grant as a whole, is described by three facts:
 *
 *   in AWS now | intended by the identity source | only through nesting  →  base state (at derivation)
 *   base state | gap age vs two provisioning cycles | provisioning job blocked  →  state (when serving)
 *
 * Only `pending` depends on the clock: it becomes `stuck` once the gap is older than two provisioning cycles, or
 * at once while the provisioning job cannot deliver (quarantined, paused, not configured).
 */

/** A grant's state before the clock is applied: everything but `stuck`. */
export type BaseState = Exclude<GrantState, 'stuck'>;

/** What the two sides say about a path, or about a grant (any of its paths). */
export interface GrantFacts {
  /** AWS lets the person use it now (Identity Center membership or direct assignment, user enabled). */
  inAws: boolean;
  /** The identity source intends it (enabled user, direct member of an in-scope group, or directly in scope). */
  intended: boolean;
  /** Reached only through a group nested in an in-scope group: SCIM to AWS never provisions that. */
  nested: boolean;
}

/** The provisioning job's cadence and health, for the pending → stuck rule. */
export interface ProvisioningClock {
  intervalSeconds: number;
  /** The job will not deliver anything (Quarantine, Paused, NotConfigured). */
  blocked: boolean;
}

/** Job statuses under which provisioning delivers nothing: pending is stuck at once. */
const BLOCKED_JOB_STATUSES = ['Quarantine', 'Paused', 'NotConfigured'];

/** Whether a provisioning job with this status delivers pending changes at all. */
export function isProvisioningBlocked(jobStatus: string): boolean {
  return BLOCKED_JOB_STATUSES.includes(jobStatus);
}

/**
 * The base state of a path or grant, or `none` when no side knows it (no grant). AWS access that the identity
 * source no longer intends is being removed; intended access AWS does not have yet is pending; access only
 * through nesting is never provisioned.
 */
export function baseStateOf(facts: GrantFacts): BaseState | 'none' {
  if (facts.inAws) return facts.intended ? 'active' : 'revoking';
  if (facts.intended) return 'pending';
  return facts.nested ? 'unsupported-nesting' : 'none';
}

/** Whether a base state is a gap between the sides whose start is tracked (pending and revoking). */
export function isGap(state: BaseState): state is 'pending' | 'revoking' {
  return state === 'pending' || state === 'revoking';
}

/** How long a gap may stay pending before it is stuck: two provisioning cycles. */
export function stuckAfterMs(clock: ProvisioningClock): number {
  return 2 * clock.intervalSeconds * 1000;
}

/**
 * The state at a moment: pending becomes stuck once the gap (since `since`, or now when unknown) is older than
 * two provisioning cycles, or at once when provisioning is blocked. Every other state is its base state.
 */
export function stateAt(
  base: BaseState,
  since: string | undefined,
  now: Date,
  clock: ProvisioningClock,
): GrantState {
  if (base !== 'pending') return base;
  if (clock.blocked) return 'stuck';
  const gapMs = now.getTime() - (since ? Date.parse(since) : now.getTime());
  return gapMs > stuckAfterMs(clock) ? 'stuck' : 'pending';
}

/**
 * The last moment `stateAt` still answers what it answers at `now`: a pending gap turns stuck just after it; any
 * other state never changes with the clock (Infinity). Lets a served list be reused until then.
 */
export function stateHoldsUntil(
  base: BaseState,
  since: string | undefined,
  now: Date,
  clock: ProvisioningClock,
): number {
  if (base !== 'pending' || clock.blocked || !since) return Infinity;
  const stuckAt = Date.parse(since) + stuckAfterMs(clock);
  return stuckAt >= now.getTime() ? stuckAt : Infinity;
}

/** The whole truth table in one call: a path's or grant's facts, its gap start, the moment and the job. */
export function grantStateAt(
  facts: GrantFacts,
  since: string | undefined,
  now: Date,
  clock: ProvisioningClock,
): GrantState | 'none' {
  const base = baseStateOf(facts);
  return base === 'none' ? base : stateAt(base, since, now, clock);
}
