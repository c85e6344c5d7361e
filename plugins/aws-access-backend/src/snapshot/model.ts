import type {
  AwsAccount,
  ProjectedEntraGroup,
  ProjectedEntraUser,
} from '@aws-access/plugin-aws-access-common';
import type { BaseState } from './grantState';

/*
 * The normalized snapshot: everything one sync run read, validated and immutable once committed. Requests are
 * served from the access index derived from it (AccessIndex.ts), never from the clouds directly.
 *
 * Two sides: the identity source says who *should* have access (Microsoft Entra ID today), AWS says who *has*
 * it. Only `sources/entra/` knows the identity source is Entra; the model speaks of the identity source.
 */

/** The shape of the snapshot this version writes; older stored shapes are upgraded on read (upgradeSnapshot.ts). */
export const SNAPSHOT_SCHEMA_VERSION = 2;

/** Sources of a sync run, named as in errors, counters and run history. */
export type SourceName =
  | 'graph'
  | 'sso-admin'
  | 'identitystore'
  | 'organizations';

/**
 * A person in the identity source. Attribute names are the directory's (Graph's for Entra), the same the catalog
 * projection carries.
 */
export type IdentityUser = ProjectedEntraUser;

/** A group in the identity source, with its direct members (users and nested groups). */
export type IdentityGroup = Omit<ProjectedEntraGroup, 'assignedToApp'>;

/** A principal the identity source provisions to AWS: the AWS app's assignments in Entra. */
export interface ScopedPrincipal {
  principalId: string;
  principalType: 'User' | 'Group';
}

/** The identity source's provisioning job into AWS (SCIM), as last read. */
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

/** A provisioning log entry (identity source → AWS SCIM) about one object. */
export interface ProvisioningLogEntry {
  id: string;
  at: string;
  action: string;
  status: string;
  /** Identity source object id of the user or group. */
  sourceId?: string;
  sourceName?: string;
  targetId?: string;
  reason?: string;
}

/** When the identity source recorded a change (its audit log), keyed for the gap-age rule. */
export interface IdentityChange {
  /** Audit entry id (absent for changes our incremental reads observed). */
  id?: string;
  at: string;
  /** `audit`: the source's audit log (exact time); `delta`: seen by our sync (time of the read). */
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

/**
 * What the identity source says: who should have access. `entra` when it was read from Entra; `identity-center`
 * when there is no identity source and the side was derived from Identity Center's own users and groups.
 */
export interface IdentitySide {
  source: 'entra' | 'identity-center';
  tenantId: string;
  /** The identity source's application that provisions AWS (Entra's enterprise app). */
  app: {
    appId: string;
    servicePrincipalId: string;
    displayName: string;
    samlCertificateExpires?: string;
    /**
     * The app's sign-on URL (Graph `loginUrl`): for the AWS app, the access portal, custom alias included, which
     * no Identity Center API returns.
     */
    loginUrl?: string;
  };
  /** Principals the source provisions to AWS (assigned to the AWS app): the SCIM scope. */
  provisioningScope: ScopedPrincipal[];
  /** Every user and group of the directory (kept current incrementally). */
  users: IdentityUser[];
  groups: IdentityGroup[];
  provisioning: ProvisioningJob;
  provisioningLog: ProvisioningLogEntry[];
  changes: IdentityChange[];
  /** Where the next incremental read continues (Graph delta links for Entra); opaque outside the source. */
  cursor?: Record<string, string>;
}

export interface IdcUser {
  id: string;
  userName: string;
  displayName?: string;
  status: 'ENABLED' | 'DISABLED';
  /** The identity source's object id from SCIM's ExternalIds; absent for users created in Identity Center. */
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

/** An account as Organizations lists it (the API's AwsAccount), and when our sync first saw it. */
export interface AccountRecord extends Omit<AwsAccount, 'firstSeenAt'> {
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

/** An (account, permission set) pair. */
export interface AccountPermissionSet {
  accountId: string;
  permissionSetArn: string;
}

export interface AwsSide {
  instanceArn: string;
  identityStoreId: string;
  region: string;
  /** The access portal launch links go through. */
  accessPortalUrl: string;
  /**
   * Where that URL came from: `config` (`identityCenter.accessPortalUrl`), `entra` (the AWS app's sign-on URL) or
   * `default` (`https://<identityStoreId>.awsapps.com/start`). Absent in snapshots taken before it was recorded.
   */
  accessPortalUrlFrom?: 'config' | 'entra' | 'default';
  organizationId?: string;
  accounts: AccountRecord[];
  permissionSets: PermissionSetRecord[];
  /** (account, permission set) pairs the permission set is provisioned to. */
  provisionedPairs: AccountPermissionSet[];
  /** Pairs whose latest permission set version failed to provision. */
  provisioningFailures: AccountPermissionSet[];
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
  from: BaseState | 'none';
  to: BaseState | 'none';
}

/**
 * When each side of a snapshot was last read whole. A change-events refresh or onboarding's refresh of one account
 * re-reads only what it names, so it does not move the AWS side's time: with change events the full sync runs every
 * `reconcileEvery` (default 24 h), and the default `staleAfter` (three times the schedule's frequency) allows for it.
 */
export interface SidesReadAt {
  /** The identity source: a full sync or its own refresh when that commits (a read that finds nothing new commits nothing). */
  identity: string;
  /** AWS: a full sync. */
  aws: string;
}

export interface Snapshot {
  /** {@link SNAPSHOT_SCHEMA_VERSION}; absent in snapshots written before it existed (version 1). */
  schemaVersion: number;
  /**
   * When the reads this snapshot was committed from began: the latest read of any kind, whole or targeted. Not how
   * fresh the snapshot is: a targeted refresh re-reads only part of it (see `sidesReadAt`).
   */
  readAt: string;
  /** When each side was last read whole (freshness.ts); derived from `readAt` for snapshots stored before it. */
  sidesReadAt: SidesReadAt;
  /**
   * People re-read alone on both sides (provisioning's targeted refresh of one person), by identity user id: when.
   * Only entries newer than the older whole read are kept.
   */
  peopleReadAt?: Record<string, string>;
  identity: IdentitySide;
  aws: AwsSide;
  /** When our sync first saw each gap between the identity source and AWS (fallback for the gap age). */
  gapsFirstSeen: Record<string, string>;
  /** Grant changes our syncs observed, newest last, kept for the audit lookback. */
  syncEvents?: SyncObservation[];
  findings: SnapshotFinding[];
  stats: Partial<Record<SourceName, SourceStats>>;
}

/**
 * The counts the mass-delete brake and run history compare. The keys are stored with every run and served in
 * `/sync/status`, so they keep their first names (`entraUsers` counts the identity source's users).
 */
export function snapshotCounts(snapshot: Snapshot): Record<string, number> {
  return {
    accounts: snapshot.aws.accounts.length,
    permissionSets: snapshot.aws.permissionSets.length,
    assignments: snapshot.aws.assignments.length,
    identityCenterUsers: snapshot.aws.users.length,
    identityCenterGroups: snapshot.aws.groups.length,
    entraUsers: snapshot.identity.users.length,
    entraGroups: snapshot.identity.groups.length,
    appAssignments: snapshot.identity.provisioningScope.length,
  };
}
