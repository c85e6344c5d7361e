/**
 * Relations the catalog module adds so the catalog graph shows who can reach what. Pairs are each other's
 * reverse. Exact (principal, account, permission set) triples live in the plugin's API, not in the catalog.
 */

/** A Group or User can sign in to a `cloud-account` Resource. @public */
export const RELATION_HAS_ACCESS_TO = 'hasAccessTo';
/** Reverse of {@link RELATION_HAS_ACCESS_TO}. @public */
export const RELATION_ACCESSIBLE_BY = 'accessibleBy';
/** A Group is assigned an `aws-permission-set` Resource on at least one account. @public */
export const RELATION_GRANTS_PERMISSION_SET = 'grantsPermissionSet';
/** Reverse of {@link RELATION_GRANTS_PERMISSION_SET}. @public */
export const RELATION_PERMISSION_SET_GRANTED_TO = 'permissionSetGrantedTo';
