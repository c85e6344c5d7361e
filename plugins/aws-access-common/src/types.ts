import type { AccessPage, AccessSummary } from './paging';
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
  /** When the snapshot's older side was last read whole (ISO 8601); `sides` says each. */
  syncedAt: string;
  /** Seconds since syncedAt. */
  snapshotAge: number;
  /** The older side was read longer ago than the backend's `staleAfter`. */
  stale: boolean;
  /** When each side was last read whole; absent from backends older than this field. */
  sides?: SnapshotSidesRead;
  provisioning: ProvisioningStatus;
}

/**
 * When each side of the snapshot was last read whole (ISO 8601). The identity source's own refresh reads its side
 * between full syncs; AWS's side is read whole only by a full sync (change events re-read only what they name).
 *
 * @public
 */
export interface SnapshotSidesRead {
  /** The identity source: a full sync, or its own refresh when that found changes (a read finding nothing commits nothing). */
  identity: string;
  /** AWS (IAM Identity Center): the last full sync. */
  aws: string;
  /** The side read longer ago, when one was (absent when a full sync read both last). */
  older?: 'identity' | 'aws';
}

/**
 * `GET /me` and `GET /users/:ref` (contract: user, grants, sync). `grants` is one page (the first, without paging
 * parameters: every grant of all but power users); `summary` and `page` say what the rest holds. The person's
 * `~/.aws/config` is a download of its own (`GET /me/aws-cli-config`, `GET /users/:ref/aws-cli-config`).
 *
 * @public
 */
export interface UserAccess {
  user: AccessUser;
  grants: Grant[];
  sync: SyncSummary;
  /** What the whole filtered list holds; absent from backends older than paging. */
  summary?: AccessSummary;
  /** Where this page sits; absent from backends older than paging (their answer was the whole list). */
  page?: AccessPage;

  entra?: EntraUserState;
  /** Null when the user has no Identity Center user (not provisioned yet, or never). */
  identityCenter: IdentityCenterUserState | null;
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
  /**
   * Members' effective access (for teams: what each member can reach, through any group), one page of rows
   * grouped by member: the first page without paging parameters. A member whose rows span two pages appears in
   * both.
   */
  members: Array<{ user: AccessUser; grants: Grant[] }>;
  sync: SyncSummary;
  /** What the whole filtered list holds; absent from backends older than paging. */
  summary?: AccessSummary;
  /** Where this page sits; absent from backends older than paging (their answer was the whole list). */
  page?: AccessPage;
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
  /**
   * People with a grant on the account, filtered to what the caller may see: one page of rows grouped by person
   * (the first without paging parameters).
   */
  people: Array<{ user: AccessUser; grants: Grant[] }>;
  /** Present when the caller sees their own rows only (no read-all, not the account's owner). */
  principalsHidden?: PrincipalsHidden & {
    /** People with a grant on the account left out. */
    people: number;
  };
  sync: SyncSummary;
  /** What the whole filtered list holds; absent from backends older than paging. */
  summary?: AccessSummary;
  /** Where this page sits; absent from backends older than paging (their answer was the whole list). */
  page?: AccessPage;
}

/**
 * What a reduced view of who holds what leaves out. Only callers who may read all AWS access and the account's
 * catalog owners see every principal; others see their own rows and these counts. @public
 */
export interface PrincipalsHidden {
  /** Assignments left out. */
  assignments: number;
  /** Distinct users and groups holding them. */
  principals: number;
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
  /** While the run is running: what it is doing, as the replica running it last recorded. */
  progress?: SyncProgress;
}

/**
 * What a running full sync is doing, recorded by the replica that runs it at most once a second (so any replica
 * can answer `/sync/status`). The sources are read in parallel during `reading`; the expected counts are what the
 * last successful full run made, absent before there was one. @public
 */
export interface SyncProgress {
  phase: 'starting' | 'reading' | 'validating' | 'deriving' | 'committing';
  /** When this progress was recorded. */
  updatedAt: string;
  /** Requests made so far, all sources together. */
  requestsDone: number;
  /** Requests the last successful full run made; absent on the first run. */
  requestsExpected?: number;
  /** Per source (graph, sso-admin, identitystore, organizations): requests made, and expected. */
  sources: Array<{ source: string; done: number; expected?: number }>;
  /**
   * When reading is expected to be done: each source's remaining expected requests at its rate so far, the
   * slowest source deciding. Absent without an expectation or before every unfinished source has made a request.
   */
  readingDoneAt?: string;
}

/** A snapshot the mass-delete brake held back. @public */
export interface HeldSnapshot {
  id: string;
  heldAt: string;
  reasons: string[];
  counts: Record<string, number>;
  previousCounts: Record<string, number>;
}

/** A message of the change events' queue the consumer could not read: the redrive policy dead-letters it. @public */
export interface UnreadableChangeEvent {
  messageId: string;
  /** When the consumer last received it. */
  seenAt: string;
  /** How often the queue has handed it out; at the redrive policy's maxReceiveCount it moves to the dead-letter queue. */
  receiveCount: number;
  /** What is wrong with it, e.g. `the message body is not JSON`. */
  reason: string;
}

/** One difference a full reconciliation found that the change events had not brought. @public */
export interface MissedChange {
  /** What differed: an assignment, a membership, a user, a group, a permission set, a provisioned pair, an account. */
  kind:
    | 'assignment'
    | 'membership'
    | 'user'
    | 'group'
    | 'permission-set'
    | 'provisioning'
    | 'account';
  change: 'added' | 'removed' | 'changed';
  /** In words, with names where the snapshot has them, e.g. `GROUP Backend-Team → 200000000009 / ReadOnly`. */
  subject: string;
}

/**
 * What the change events (CloudTrail → EventBridge → SQS) did lately, when `identityCenter.events` is configured.
 * @public
 */
export interface ChangeEventsStatus {
  /** When the consumer last asked the queue for messages (any replica). */
  lastPollAt?: string;
  /** The last batch that refreshed the snapshot. */
  lastBatch?: {
    at: string;
    messages: number;
    /** Parts of AWS read again (a burst of events on one group is one). */
    targets: number;
    snapshotVersion?: number;
    durationMs: number;
  };
  /** Messages handled and deleted since the consumer's status was first written. */
  handled: number;
  /** The last failure of a refresh or a poll; its messages come back and are handled again. */
  lastError?: { at: string; message: string };
  /** Messages the consumer could not read (the newest 20): they are dead-lettered by the queue's redrive policy. */
  unreadable: UnreadableChangeEvent[];
  /** Messages in the dead-letter queue (with `events.deadLetterQueueUrl`). */
  deadLetterDepth?: number;
  /**
   * The last full reconciliation: how many differences the events had missed (0 expected; a change whose event
   * was still on its way when the reconciliation read counts too) and the first 50 of them.
   */
  lastReconcile?: {
    at: string;
    runId: string;
    missed: number;
    differences: MissedChange[];
  };
}

/**
 * Entra's incremental read on its own interval (`awsAccess.entra.refreshEvery`), apart from the full sync: when it
 * last read, when it last found a change and committed it, and its last failure (which changed nothing). @public
 */
export interface IdentityRefreshStatus {
  /** Seconds between two refreshes. */
  everySeconds: number;
  /** When the identity source was last read completely, whether or not anything had changed. */
  lastReadAt?: string;
  /** The last refresh that found changes, and the snapshot it committed. */
  lastCommit?: { at: string; snapshotVersion: number };
  /** The last failed refresh; the snapshot was left as it was and the next refresh reads again. */
  lastError?: { at: string; message: string };
}

/** `GET /sync/status` (contract fields: lastRun, lastSuccessAt, snapshotAge, stale, provisioning, samlCertificateExpires). @public */
export interface SyncStatus {
  /** The change events, when the backend consumes them. */
  changeEvents?: ChangeEventsStatus;
  /** The configured identity source (`none` without `awsAccess.entra`); absent from older backends (read: `entra`). */
  identitySource?: IdentitySourceKind;
  /** Entra's own refresh, when Entra is configured. */
  identityRefresh?: IdentityRefreshStatus;
  lastRun?: SyncRun;
  lastSuccessAt?: string;
  snapshotVersion?: number;
  /** Seconds since the served snapshot's older side was last read whole. */
  snapshotAge?: number;
  /** No snapshot yet, or its older side was read longer ago than `staleAfter`. */
  stale: boolean;
  /** When each side of the served snapshot was last read whole; absent before the first snapshot and from older backends. */
  sides?: SnapshotSidesRead;
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
  /** Present when the caller sees only the rows on accounts they own and their own rows (no read-all). */
  principalsHidden?: PrincipalsHidden;
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
    | 'provisioning-failed'
    /** Two or more people share an email: it identifies none of them (identity matching never guesses). */
    | 'shared-email';
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
