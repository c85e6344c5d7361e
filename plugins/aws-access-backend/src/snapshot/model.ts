/*
 * The normalized snapshot: everything one sync run read, validated and immutable once committed. Requests are
 * served from the access index derived from it (deriveAccess.ts), never from the clouds directly.
 */

/** Sources of a sync run, named as in errors, counters and run history. */
export type SourceName =
  | 'graph'
  | 'sso-admin'
  | 'identitystore'
  | 'organizations';

export interface EntraUser {
  id: string;
  userPrincipalName: string;
  mail?: string;
  displayName: string;
  accountEnabled: boolean;
  jobTitle?: string;
  department?: string;
}

export interface EntraGroup {
  id: string;
  displayName: string;
  description?: string;
  mail?: string;
  mailNickname?: string;
  securityEnabled: boolean;
  /** Direct members. */
  memberUserIds: string[];
  memberGroupIds: string[];
}

/** Entra's provisioning job of the AWS app, as last read. */
export interface ProvisioningJob {
  id?: string;
  /** Active | Paused | Quarantine | NotRun | NotConfigured | Unknown */
  status: string;
  intervalSeconds?: number;
  lastCycleStartedAt?: string;
  lastCycleEndedAt?: string;
  lastSuccessAt?: string;
  quarantineReason?: string;
  lastError?: string;
}

/** A provisioning log entry (Entra → AWS SCIM) about one object. */
export interface ProvisioningLogEntry {
  id: string;
  at: string;
  action: string;
  status: string;
  /** Entra object id of the source user or group. */
  sourceId?: string;
  sourceName?: string;
  targetId?: string;
  reason?: string;
}

/** When Entra recorded a change (directory audit log), keyed for the gap-age rule. */
export interface EntraChange {
  /** Directory audit entry id (absent for changes our delta reads observed). */
  id?: string;
  at: string;
  /** `audit`: Entra's directory audit log (exact time); `delta`: seen by our sync (time of the read). */
  source?: 'audit' | 'delta';
  kind:
    | 'member-added'
    | 'member-removed'
    | 'user-created'
    | 'user-disabled'
    | 'user-enabled'
    | 'user-deleted'
    | 'other';
  userId?: string;
  groupId?: string;
}

export interface EntraSide {
  tenantId: string;
  app: {
    appId: string;
    servicePrincipalId: string;
    displayName: string;
    samlCertificateExpires?: string;
  };
  /** Principals assigned to the AWS enterprise app (SCIM scope). */
  appAssignments: Array<{
    principalId: string;
    principalType: 'User' | 'Group';
  }>;
  /** Every user and group of the tenant (kept current with delta queries). */
  users: EntraUser[];
  groups: EntraGroup[];
  provisioning: ProvisioningJob;
  provisioningLog: ProvisioningLogEntry[];
  changes: EntraChange[];
}

export interface IdcUser {
  id: string;
  userName: string;
  displayName?: string;
  status: 'ENABLED' | 'DISABLED';
  /** Entra object id from SCIM's ExternalIds; absent for users created in Identity Center. */
  externalId?: string;
  /** The ExternalIds issuer (opaque; the same for every user SCIM created), for GetUserId lookups. */
  externalIssuer?: string;
  email?: string;
}

export interface IdcGroup {
  id: string;
  displayName: string;
  externalId?: string;
  memberUserIds: string[];
}

export interface AccountRecord {
  id: string;
  name: string;
  email: string;
  arn: string;
  status: string;
  ouPath: string;
  tags: Record<string, string>;
  firstSeenAt: string;
  /** When the tags were last read; tags are cached between runs like permission set definitions. */
  tagsReadAt?: string;
}

export interface PermissionSetRecord {
  arn: string;
  name: string;
  description?: string;
  sessionDuration: string;
  relayState?: string;
  managedPolicies: Array<{ name: string; arn: string }>;
  customerManagedPolicies: Array<{ name: string; path: string }>;
  inlinePolicy?: string;
  permissionsBoundary?: {
    managedPolicyArn?: string;
    customerManagedPolicy?: { name: string; path: string };
  };
  tags: Record<string, string>;
  /** When the definition (describe, policies, tags) was last read; definitions are cached between runs. */
  detailsReadAt: string;
}

export interface AssignmentRecord {
  accountId: string;
  permissionSetArn: string;
  principalType: 'USER' | 'GROUP';
  principalId: string;
}

export interface AwsSide {
  instanceArn: string;
  identityStoreId: string;
  region: string;
  accessPortalUrl: string;
  organizationId?: string;
  accounts: AccountRecord[];
  permissionSets: PermissionSetRecord[];
  /** (account, permission set) pairs the permission set is provisioned to. */
  provisionedPairs: Array<{ accountId: string; permissionSetArn: string }>;
  /** Pairs whose latest permission set version failed to provision. */
  provisioningFailures: Array<{ accountId: string; permissionSetArn: string }>;
  users: IdcUser[];
  groups: IdcGroup[];
  assignments: AssignmentRecord[];
}

/** A referential problem found while validating; reported, never fatal. */
export interface SnapshotFinding {
  code: string;
  message: string;
  subject?: string;
}

export interface SourceStats {
  requests: number;
  pages?: number;
  durationMs: number;
  throttled?: number;
  retries?: number;
}

/** A change of a person's grant that our sync observed between two snapshots (for the timeline). */
export interface SyncObservation {
  at: string;
  personKey: string;
  accountId: string;
  permissionSetArn: string;
  /** Base state before and after; `none` when the grant did not exist. */
  from: 'none' | 'active' | 'pending' | 'revoking' | 'unsupported-nesting';
  to: 'none' | 'active' | 'pending' | 'revoking' | 'unsupported-nesting';
}

export interface Snapshot {
  readAt: string;
  entra: EntraSide;
  aws: AwsSide;
  /** Delta links to continue incremental Graph reads from this snapshot. */
  graphDelta?: { users?: string; groups?: string };
  /** When our sync first saw each gap between Entra and AWS (fallback for the gap age). */
  gapsFirstSeen: Record<string, string>;
  /** Grant changes our syncs observed, newest last, kept for the audit lookback. */
  syncEvents?: SyncObservation[];
  findings: SnapshotFinding[];
  stats: Partial<Record<SourceName, SourceStats>>;
}

/** The counts the mass-delete brake and run history compare. */
export function snapshotCounts(snapshot: Snapshot): Record<string, number> {
  return {
    accounts: snapshot.aws.accounts.length,
    permissionSets: snapshot.aws.permissionSets.length,
    assignments: snapshot.aws.assignments.length,
    identityCenterUsers: snapshot.aws.users.length,
    identityCenterGroups: snapshot.aws.groups.length,
    entraUsers: snapshot.entra.users.length,
    entraGroups: snapshot.entra.groups.length,
    appAssignments: snapshot.entra.appAssignments.length,
  };
}
