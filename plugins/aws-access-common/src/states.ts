/**
 * The state of one grant (an account × permission set held by one person), comparing what AWS lets the person
 * do now with what the identity source (Entra) intends. The backend decides it in one truth table
 * (`plugins/aws-access-backend/src/snapshot/grantState.ts`); see docs/state-model.md. Code that needs to know what
 * a state means asks the predicates below rather than comparing strings.
 *
 * @public
 */
export const GrantState = {
  /** In AWS and intended by Entra. */
  active: 'active',
  /** Intended by Entra, not yet in AWS, younger than two provisioning cycles and the job is healthy. */
  pending: 'pending',
  /** Like pending, but older than two cycles or the provisioning job is quarantined. */
  stuck: 'stuck',
  /** In AWS but no longer intended by Entra: the leaver/mover window. */
  revoking: 'revoking',
  /** Reachable only through a nested membership, which SCIM to AWS never provisions. */
  unsupportedNesting: 'unsupported-nesting',
} as const;

/** @public */
// eslint-disable-next-line @typescript-eslint/no-redeclare -- the value and its type share the name on purpose
export type GrantState = (typeof GrantState)[keyof typeof GrantState];

/** All grant states, in the order the UI lists them. @public */
export const grantStates: readonly GrantState[] = Object.values(GrantState);

/** The key of a state in the `GrantState` object (`unsupported-nesting` → `unsupportedNesting`). @public */
export function grantStateKey(state: GrantState): keyof typeof GrantState {
  return state === GrantState.unsupportedNesting ? 'unsupportedNesting' : state;
}

/** In AWS and intended: nothing is in flight. @public */
export function isActive(state: GrantState): state is 'active' {
  return state === GrantState.active;
}

/** AWS lets the person use it now: active, or still in AWS while being removed. @public */
export function isUsable(state: GrantState): state is 'active' | 'revoking' {
  return state === GrantState.active || state === GrantState.revoking;
}

/** Intended but not in AWS yet: waiting for provisioning (pending), or overdue (stuck). @public */
export function isInFlight(state: GrantState): state is 'pending' | 'stuck' {
  return state === GrantState.pending || state === GrantState.stuck;
}

/** Overdue: older than two provisioning cycles, or provisioning is blocked. @public */
export function isStuck(state: GrantState): state is 'stuck' {
  return state === GrantState.stuck;
}

/** Still in AWS but no longer intended: the leaver/mover window. @public */
export function isBeingRemoved(state: GrantState): state is 'revoking' {
  return state === GrantState.revoking;
}

/** Reachable only through a nested group, which SCIM never provisions to AWS. @public */
export function isNestedOnly(
  state: GrantState,
): state is 'unsupported-nesting' {
  return state === GrantState.unsupportedNesting;
}

/**
 * Identity Center principals with no Entra source (break-glass, manual) are `unmanaged`; they are not grants of a
 * Backstage user, so they are reported separately.
 *
 * @public
 */
export const UNMANAGED = 'unmanaged' as const;
