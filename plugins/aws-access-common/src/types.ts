import type { GrantRequestRef } from './governance';
import type { GrantState } from './states';

/*
 * Request and response types of the aws-access REST API (`/api/aws-access`). The backend produces them, the
 * frontend and the -node client consume them. Field names that contracts.md fixes are marked "contract".
 */

/** An AWS account in the organization. @public */
export interface AwsAccount {
  /** 12-digit account id (contract). */
  id: string;
  name: string;
  email: string;
  arn: string;
  /** ACTIVE | SUSPENDED | PENDING_CLOSURE */
  status: string;
  /** OU path from the root, e.g. `Workloads/Prod`; `Root` for accounts directly under the root. */
  ouPath: string;
  tags: Record<string, string>;
  /** When our sync first saw the account (ISO 8601). */
  firstSeenAt?: string;
}

/** A managed policy attached to a permission set. @public */
export interface ManagedPolicy {
  name: string;
  arn: string;
}

/** A customer managed policy reference of a permission set. @public */
export interface CustomerManagedPolicyReference {
  name: string;
  path: string;
}

/** The short form of a permission set that each grant carries (contract). @public */
export interface PermissionSetRef {
  name: string;
  arn: string;
  /** ISO 8601 duration, e.g. `PT4H`. */
  sessionDuration: string;
}

/** A permission set with its policies and where it is provisioned. @public */
export interface PermissionSet extends PermissionSetRef {
  description?: string;
  relayState?: string;
  managedPolicies: ManagedPolicy[];
  customerManagedPolicies: CustomerManagedPolicyReference[];
  /** The inline policy document (JSON text), when one is attached. */
  inlinePolicy?: string;
  permissionsBoundary?: {
    managedPolicyArn?: string;
    customerManagedPolicy?: CustomerManagedPolicyReference;
  };
  tags: Record<string, string>;
  /** Accounts the permission set is provisioned to. */
  provisionedAccountIds: string[];
}

/** How a person reaches a grant, and the state of that path alone. @public */
export interface GrantPath {
  /**
   * `group`: an Entra group assigned to the AWS app (provisioned to Identity Center);
   * `user`: a direct user assignment; `nested-group`: through a group nested in an app-assigned group;
   * `idc-group`: an Identity Center group with no Entra source.
   */
  type: 'group' | 'user' | 'nested-group' | 'idc-group';
  /** Display name of the group (or the user's name for direct assignments). */
  name: string;
  /** Catalog ref of the group, named as the msgraph module names it (contract). */
  entityRef?: string;
  /** For `nested-group`: the app-assigned group the nested group sits in. */
  through?: { name: string; entityRef?: string };
  state: GrantState;
}

/** One (account, permission set) a person holds, with provenance and state (contract). @public */
export interface Grant {
  accountId: string;
  accountName: string;
  accountOu?: string;
  permissionSet: PermissionSetRef;
  via: GrantPath[];
  state: GrantState;
  /** Access portal shortcut with account and role preselected; present unless the grant is not usable. */
  launchUrl?: string;
  /** When the gap between Entra and AWS began (pending, stuck, revoking), ISO 8601. */
  since?: string;
  /** For pending grants: when the next provisioning cycle should deliver it, ISO 8601. */
  expectedBy?: string;
  /** The access request behind this grant, when one of its paths comes from an open request. */
  request?: GrantRequestRef;
}

/** The person a response is about. @public */
export interface AccessUser {
  /** Backstage entity ref, e.g. `user:default/aamir_example.com`. */
  entityRef: string;
  displayName: string;
  userPrincipalName?: string;
  mail?: string;
  /** Entra object id. */
  entraId?: string;
}

/** The Entra side of a person. @public */
export interface EntraUserState {
  id: string;
  enabled: boolean;
  /** Groups the user is in that matter for AWS: assigned to the app, or nesting into one. */
  groups: Array<{
    id: string;
    name: string;
    entityRef: string;
    assignedToApp: boolean;
    /** False when the membership is only through a nested group. */
    direct: boolean;
  }>;
}

/** The Identity Center side of a person. @public */
export interface IdentityCenterUserState {
  id: string;
  userName: string;
  status: 'ENABLED' | 'DISABLED';
  groups: string[];
}

/**
 * Where the backend learns who *should* have access. `entra`: Microsoft Entra ID provisions Identity Center, so
 * pending, being-removed and stuck grants, provisioning status and provision-on-demand exist. `none`: Identity
 * Center is read alone (its own directory, or another identity provider); what it holds is what is intended, so
 * every grant is active and those states and controls do not exist.
 *
 * @public
 */
export type IdentitySourceKind = 'entra' | 'none';

/** The sync facts every access response carries so the UI can say how fresh it is. @public */
export interface SyncSummary {
  /** Which identity source the snapshot was read with; absent from backends older than this field (read: `entra`). */
  identitySource?: IdentitySourceKind;
  snapshotVersion: number;
  /** When the snapshot was read (ISO 8601). */
  syncedAt: string;
  /** Seconds since syncedAt. */
  snapshotAge: number;
  stale: boolean;
  provisioning: ProvisioningStatus;
}

/** `GET /me` and `GET /users/:ref` (contract: user, grants, sync). @public */
export interface UserAccess {
  user: AccessUser;
  grants: Grant[];
  sync: SyncSummary;
  entra?: EntraUserState;
  /** Null when the user has no Identity Center user (not provisioned yet, or never). */
  identityCenter: IdentityCenterUserState | null;
  /** `~/.aws/config` text for the active grants. */
  awsCliConfig: string;
  /** Entra My Apps link to the AWS app. */
  myAppsUrl?: string;
  accessPortalUrl: string;
}

/** A group's own assignments (what membership gives). @public */
export interface GroupAssignment {
  accountId: string;
  accountName: string;
  permissionSet: PermissionSetRef;
}

/** `GET /groups/:ref`. @public */
export interface GroupAccess {
  group: {
    entityRef: string;
    name: string;
    entraId?: string;
    assignedToApp: boolean;
    /** Identity Center group id when SCIM created it. */
    identityCenterGroupId?: string;
  };
  /** Assignments made to this group itself (empty for groups that are not assigned to AWS). */
  assignments: GroupAssignment[];
  /** Every member's effective access (for teams: what each member can reach, through any group). */
  members: Array<{ user: AccessUser; grants: Grant[] }>;
  sync: SyncSummary;
}

/** Who can reach an account (`GET /accounts/:id`). @public */
export interface AccountAccess {
  account: AwsAccount;
  /** Principals assigned on the account. */
  assignments: Array<{
    permissionSet: PermissionSetRef;
    principal: {
      type: 'GROUP' | 'USER';
      name: string;
      entityRef?: string;
      managed: boolean;
    };
  }>;
  /** People with a grant on the account, filtered to what the caller may see. */
  people: Array<{ user: AccessUser; grants: Grant[] }>;
  sync: SyncSummary;
}

/** Entra's provisioning job as our last sync read it. @public */
export interface ProvisioningStatus {
  /** Active | Paused | Quarantine | NotRun | NotConfigured | Unknown */
  status: string;
  lastCycleAt?: string;
  nextCycleAt?: string;
  intervalSeconds?: number;
  quarantineReason?: string;
  lastError?: string;
}

/** What a sync run ended with. @public */
export type SyncOutcome =
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'held'
  | 'unchanged';

/** One sync run (run history and `/sync/status`). @public */
export interface SyncRun {
  id: string;
  trigger: 'schedule' | 'manual' | 'targeted' | 'approval';
  startedAt: string;
  finishedAt?: string;
  outcome: SyncOutcome;
  /** For failed runs: which source failed and how. */
  error?: { source: string; class: string; message: string };
  snapshotVersion?: number;
  counts?: Record<string, number>;
  /** Requests made per source (graph, sso-admin, identitystore, organizations). */
  requests?: Record<string, number>;
  durationMs?: number;
}

/** A snapshot the mass-delete brake held back. @public */
export interface HeldSnapshot {
  id: string;
  heldAt: string;
  reasons: string[];
  counts: Record<string, number>;
  previousCounts: Record<string, number>;
}

/** `GET /sync/status` (contract fields: lastRun, lastSuccessAt, snapshotAge, stale, provisioning, samlCertificateExpires). @public */
export interface SyncStatus {
  /** The configured identity source (`none` without `awsAccess.entra`); absent from older backends (read: `entra`). */
  identitySource?: IdentitySourceKind;
  lastRun?: SyncRun;
  lastSuccessAt?: string;
  snapshotVersion?: number;
  snapshotAge?: number;
  stale: boolean;
  provisioning: ProvisioningStatus;
  samlCertificateExpires?: string;
  heldSnapshot?: HeldSnapshot;
  recentRuns: SyncRun[];
}

/** A step of the troubleshooting walk (`GET /diagnose`). @public */
export interface DiagnosisFinding {
  /** Stable code, e.g. `not-in-group`, `group-not-assigned-to-app`, `provisioning-quarantined`. */
  code: string;
  severity: 'ok' | 'info' | 'warning' | 'error';
  title: string;
  detail: string;
  /** What a platform engineer should do, in words. */
  fix?: string;
}

/** `GET /diagnose`. @public */
export interface Diagnosis {
  user: AccessUser;
  account: AwsAccount;
  /** True when the user can sign in to the account now. */
  hasAccess: boolean;
  findings: DiagnosisFinding[];
}

/** A row of `GET /report` (contract: user, account, permission set, via, state). @public */
export interface ReportRow {
  userEntityRef: string;
  userName: string;
  accountId: string;
  accountName: string;
  permissionSet: string;
  sessionDuration: string;
  via: string;
  state: GrantState;
}

/** Error body of every failed request (the Backstage error handler shape). @public */
export interface ErrorResponseBody {
  error: {
    name: string;
    message: string;
    /**
     * For a 400 about one input field: the field's name as the request body spells it (e.g. `duration`), so a
     * form can show the message next to it. The message names the field too.
     */
    field?: string;
  };
  request?: { method: string; url: string };
  response: { statusCode: number };
}

/** An Entra group as the catalog projection carries it (the fields the msgraph transformers read). @public */
export interface ProjectedEntraGroup {
  id: string;
  displayName: string;
  description?: string;
  mail?: string;
  mailNickname?: string;
  securityEnabled: boolean;
  /** Assigned to the AWS enterprise application (in SCIM scope). */
  assignedToApp: boolean;
  /** Direct user members (Entra object ids). */
  memberUserIds: string[];
  /** Direct group members (nesting). */
  memberGroupIds: string[];
}

/** An Entra user as the catalog projection carries it. @public */
export interface ProjectedEntraUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail?: string;
  accountEnabled: boolean;
  jobTitle?: string;
  department?: string;
}

/** One account assignment resolved to its Entra principal where SCIM created it. @public */
export interface ProjectedAssignment {
  accountId: string;
  permissionSetArn: string;
  principal: {
    type: 'GROUP' | 'USER';
    /** Identity Center principal id. */
    identityCenterId: string;
    /** Entra object id, when the principal came from Entra (absent for unmanaged principals). */
    entraId?: string;
    displayName: string;
  };
}

/**
 * What the catalog module projects: the committed snapshot's accounts, permission sets, the Entra groups assigned
 * to the AWS app (and groups nested in them) with their members, and assignments (`GET /catalog/projection`).
 *
 * @public
 */
export interface CatalogProjection {
  snapshotVersion: number;
  syncedAt: string;
  instanceArn: string;
  organizationId?: string;
  tenantId: string;
  accounts: AwsAccount[];
  permissionSets: PermissionSet[];
  entraGroups: ProjectedEntraGroup[];
  entraUsers: ProjectedEntraUser[];
  assignments: ProjectedAssignment[];
}

/** One row of `GET /accounts`. @public */
export interface AccountSummary extends AwsAccount {
  /** Number of (principal, permission set) assignments on the account. */
  assignmentCount: number;
  /** Permission set names assigned on the account. */
  permissionSets: string[];
}

/** `GET /permission-sets/:name`: a permission set and where it is assigned. @public */
export interface PermissionSetDetails {
  permissionSet: PermissionSet;
  assignments: Array<{
    accountId: string;
    accountName: string;
    principal: {
      type: 'GROUP' | 'USER';
      name: string;
      entityRef?: string;
      managed: boolean;
    };
  }>;
  /** Accounts where provisioning of the permission set failed. */
  provisioningFailures: Array<{
    accountId: string;
    accountName: string;
    reason?: string;
  }>;
}

/** A person in a drift list of the platform board. @public */
export interface DriftEntry {
  user: AccessUser;
  accountId: string;
  accountName: string;
  permissionSet: string;
  state: GrantState;
  via: string[];
  since?: string;
}

/** An Identity Center principal with no Entra source (break-glass, manual). @public */
export interface UnmanagedPrincipal {
  type: 'USER' | 'GROUP';
  id: string;
  name: string;
  /** Assignments it holds, as `account name / permission set`. */
  assignments: string[];
}

/** A finding of the permission-set lint. @public */
export interface LintFinding {
  code:
    | 'admin-session-too-long'
    | 'user-level-assignment'
    | 'permission-set-unassigned'
    | 'provisioning-failed';
  severity: 'warning' | 'error';
  message: string;
  permissionSet?: string;
  accountId?: string;
  principal?: string;
}

/** `GET /drift`: everything the platform team should look at. @public */
export interface DriftReport {
  sync: SyncSummary;
  /** Pending grants (not yet provisioned, within two cycles). */
  pending: DriftEntry[];
  /** Grants older than two cycles, or blocked by a quarantined job. */
  stuck: DriftEntry[];
  /** Still active in AWS although Entra removed them: leavers and movers. */
  revoking: DriftEntry[];
  /** Only reachable through nested groups: will never be provisioned. */
  nested: DriftEntry[];
  unmanaged: UnmanagedPrincipal[];
  accountsWithoutAssignments: AwsAccount[];
  lint: LintFinding[];
}

/** `POST /provision`: what provision-on-demand did for one person. @public */
export interface ProvisionResult {
  user: AccessUser;
  /** `deprovision` for leavers (disabled or unassigned in Entra). */
  action: 'provision' | 'deprovision';
  outcome: 'success' | 'skipped' | 'failure';
  /** Entra's explanation (skip reason, error), in its words. */
  message?: string;
  /** The person's access after the targeted re-read of Identity Center. */
  access: UserAccess;
}

/** One event on a person's joiner/mover/leaver timeline. @public */
export interface TimelineEvent {
  at: string;
  /** `entra`: a directory change; `scim`: Entra's provisioning log; `sync`: what our sync saw in AWS. */
  source: 'entra' | 'scim' | 'sync';
  kind: string;
  message: string;
}

/** `GET /users/:ref/timeline` (and `/me/timeline`). @public */
export interface UserTimeline {
  user: AccessUser;
  events: TimelineEvent[];
  /** Seconds from the Entra change to AWS having it, for changes that completed. */
  provisioningDelays: Array<{ change: string; seconds: number }>;
}

/** A (group, permission set) pair of the onboarding baseline. @public */
export interface BaselinePair {
  /** Entra group display name; `*` in forbid rules means any group. */
  group: string;
  permissionSet: string;
}

/** A baseline rule: accounts it applies to, pairs they must have, pairs they must not have. @public */
export interface BaselineRule {
  name: string;
  accounts: { ouPath?: string; name?: string; tags?: Record<string, string> };
  require: BaselinePair[];
  forbid: BaselinePair[];
}

/** One account against the baseline (`GET /onboarding/accounts`). @public */
export interface AccountCompliance {
  account: AwsAccount;
  compliant: boolean;
  /** Rules whose account selector matches. */
  rules: string[];
  missing: BaselinePair[];
  forbidden: Array<BaselinePair & { principalType: 'GROUP' | 'USER' }>;
  /** Account with no assignment at all. */
  unassigned: boolean;
  /** First seen within `awsAccess.baseline.newAccountDays`. */
  isNew: boolean;
}

/** `GET /onboarding/accounts`. @public */
export interface OnboardingOverview {
  rules: BaselineRule[];
  /** Rules that name groups or permission sets that do not exist. */
  problems: string[];
  accounts: AccountCompliance[];
  /** Whether write credentials are configured (apply is possible). */
  canApply: boolean;
}

/** One exact CreateAccountAssignment / DeleteAccountAssignment call of a plan. @public */
export interface AssignmentCall {
  operation: 'CreateAccountAssignment' | 'DeleteAccountAssignment';
  input: {
    InstanceArn: string;
    TargetId: string;
    TargetType: 'AWS_ACCOUNT';
    PermissionSetArn: string;
    PrincipalType: 'GROUP' | 'USER';
    PrincipalId: string;
  };
  /** `AWS-Developers-ReadOnly → DeveloperReadOnly` */
  description: string;
}

/** `POST /onboarding/accounts/:id/plan`. @public */
export interface OnboardingPlan {
  accountId: string;
  accountName: string;
  snapshotVersion: number;
  /** Hash of the calls; apply refuses a plan that changed since it was reviewed. */
  planId: string;
  create: AssignmentCall[];
  delete: AssignmentCall[];
  /** Required pairs that cannot be planned (group not provisioned to Identity Center, unknown permission set). */
  blocked: Array<BaselinePair & { reason: string }>;
}

/** The outcome of one call of an applied plan. @public */
export interface AssignmentCallResult {
  call: AssignmentCall;
  outcome: 'succeeded' | 'failed' | 'skipped';
  /** Why it failed, or why it was skipped (already in place). */
  reason?: string;
  attempts: number;
  requestId?: string;
}

/** `POST /onboarding/accounts/:id/apply`. @public */
export interface ApplyResult {
  accountId: string;
  planId: string;
  results: AssignmentCallResult[];
  /** The snapshot version after the targeted refresh of the account. */
  snapshotVersion?: number;
}

/** `POST /sync/held/approve` (200): the run that committed the approved snapshot. @public */
export interface SyncRunResponse {
  run: SyncRun;
}

/**
 * `POST /sync` (202): the scheduler accepted the trigger. The run itself is not known yet; it shows on
 * `GET /sync/status` once it starts (within seconds).
 *
 * @public
 */
export interface SyncTriggerResponse {
  accepted: true;
  /** The backend's own words for API clients, e.g. "A sync starts within seconds; follow it on /sync/status". */
  message?: string;
}

/** Options of `GET /report`; the backend filters rows to what the caller may see. @public */
export interface ReportOptions {
  /** Only rows of this group's members (entity ref, e.g. `group:default/team-payments`). */
  group?: string;
}
