/**
 * The state of one grant (an account × permission set held by one person), comparing what AWS lets the person
 * do now with what Entra intends. See docs/state-model.md.
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

/**
 * Identity Center principals with no Entra source (break-glass, manual) are `unmanaged`; they are not grants of a
 * Backstage user, so they are reported separately.
 *
 * @public
 */
export const UNMANAGED = 'unmanaged' as const;
