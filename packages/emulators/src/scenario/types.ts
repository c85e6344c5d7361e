/*
 * The scenario file format (../../../../docs/emulators.md and shared/design/scenario-format.md): the complete
 * starting state of one Entra tenant and one IAM Identity Center instance.
 */

/** @public */
export type ProvisioningStatusCode =
  | 'Active'
  | 'Paused'
  | 'Quarantine'
  | 'NotRun';

/** @public */
export type AccountStatus = 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';

/** @public */
export interface Scenario {
  version: 1;
  /** The emulators' clock at load time (ISO 8601); real time when absent. */
  now?: string;
  /**
   * Extension: optional. Without it, Identity Center uses its own directory (or another identity provider):
   * its users and groups are `identityCenter.provisioned.unmanaged`, assigned with `idcGroup` and `idcUser`,
   * and the Graph emulator has no tenant.
   */
  entra?: ScenarioEntra;
  identityCenter: ScenarioIdentityCenter;
  /** Extension: emulator behaviour that belongs to the scenario (faults, limits, timings). */
  emulator?: ScenarioEmulatorSettings;
}

/** @public */
export type ScenarioEntraCloud = 'public' | 'usGov' | 'usGovDoD' | 'china';

/** @public */
export interface ScenarioEntra {
  tenantId: string;
  domain: string;
  /** Extension: the organization's display name (Graph `/organization`); defaults to the domain. */
  displayName?: string;
  /**
   * Extension: the Microsoft cloud the tenant lives in (default `public`). Its token endpoint issues tokens for
   * that cloud's Graph resource only, e.g. `https://graph.microsoft.us/.default` for `usGov`.
   */
  cloud?: ScenarioEntraCloud;
  awsApp: ScenarioAwsApp;
  /**
   * Extension: the app registrations that may get tokens with the client-credentials grant (the product's
   * reader, say). Default: one, {@link DEFAULT_APP_REGISTRATION}.
   */
  appRegistrations?: ScenarioAppRegistration[];
  users: ScenarioEntraUser[];
  groups: ScenarioEntraGroup[];
}

/**
 * An app registration's client id and its credentials: a client secret, a certificate (PEM; the client assertion
 * must be signed with its key), or both.
 *
 * @public
 */
export interface ScenarioAppRegistration {
  clientId: string;
  displayName?: string;
  clientSecret?: string;
  certificate?: string;
}

/** @public */
export interface ScenarioAwsApp {
  appId: string;
  servicePrincipalId?: string;
  displayName: string;
  samlCertificateExpires?: string;
  provisioning?: {
    intervalSeconds?: number;
    status?: ProvisioningStatusCode;
    quarantineReason?: string | null;
    lastCycleAgoSeconds?: number;
    /** Extension: when the last successful cycle finished (defaults: see docs). */
    lastSuccessAgoSeconds?: number;
  };
}

/** @public */
export interface ScenarioEntraUser {
  upn: string;
  displayName: string;
  givenName?: string;
  surname?: string;
  mail?: string;
  department?: string;
  jobTitle?: string;
  employeeId?: string;
  manager?: string;
  enabled?: boolean;
  id?: string;
  /** Extension: the user is assigned to the AWS enterprise app directly (not through a group). */
  assignedToAwsApp?: boolean;
}

/** @public */
export interface ScenarioEntraGroup {
  name: string;
  mailNickname?: string;
  description?: string;
  securityEnabled?: boolean;
  members?: string[];
  owners?: string[];
  assignedToAwsApp?: boolean;
  id?: string;
}

/** @public */
export interface ScenarioIdentityCenter {
  region: string;
  instanceArn: string;
  identityStoreId: string;
  accessPortalUrl?: string;
  organization: { id: string; managementAccountId: string };
  accounts: ScenarioAccount[];
  permissionSets: ScenarioPermissionSet[];
  assignments: ScenarioAssignment[];
  provisioned?: ScenarioProvisioned;
}

/** @public */
export interface ScenarioAccount {
  id: string;
  name: string;
  email: string;
  status?: AccountStatus;
  ou?: string;
  tags?: Record<string, string>;
}

/** @public */
export type ScenarioPermissionsBoundary =
  | string
  | { managedPolicyArn: string }
  | { customerManagedPolicy: { name: string; path?: string } };

/** @public */
export interface ScenarioPermissionSet {
  name: string;
  description?: string;
  sessionDuration?: string;
  managedPolicies?: string[];
  customerManagedPolicies?: { name: string; path?: string }[];
  inlinePolicy?: Record<string, unknown> | string | null;
  permissionsBoundary?: ScenarioPermissionsBoundary | null;
  relayState?: string | null;
  tags?: Record<string, string>;
}

/** @public */
export interface ScenarioAssignment {
  group?: string;
  user?: string;
  idcGroup?: string;
  /** Extension: a user that exists only in Identity Center (`provisioned.unmanaged.users`), by userName. */
  idcUser?: string;
  permissionSet: string;
  accounts: string[] | '*';
  status?: 'PROVISIONED' | 'FAILED';
}

/** @public */
export interface ScenarioDriftMember {
  group: string;
  user: string;
  sinceSeconds?: number;
}

/** @public */
export type ScenarioDrift =
  | { missingMember: ScenarioDriftMember }
  | { extraMember: ScenarioDriftMember }
  | { missingUser: { user: string; sinceSeconds?: number } }
  | { activeUser: { user: string; sinceSeconds?: number } }
  | { missingGroup: { group: string; sinceSeconds?: number } };

/** @public */
export interface ScenarioProvisioned {
  mode?: 'in-sync' | 'empty';
  drift?: ScenarioDrift[];
  unmanaged?: {
    users?: ScenarioUnmanagedUser[];
    groups?: ScenarioUnmanagedGroup[];
  };
}

/** @public */
export interface ScenarioUnmanagedUser {
  userName: string;
  displayName: string;
  givenName?: string;
  familyName?: string;
  email?: string;
  enabled?: boolean;
}

/** @public */
export interface ScenarioUnmanagedGroup {
  name: string;
  description?: string;
  /** userNames of unmanaged users, or upns of SCIM-provisioned users. */
  members?: string[];
}

/** @public */
export type FaultService =
  | 'sso-admin'
  | 'identitystore'
  | 'organizations'
  | 'sts'
  | 'graph'
  | 'sqs';

/** @public */
export type FaultKind =
  | 'http500'
  | 'throttle'
  | 'timeout'
  | 'reset'
  | 'malformed'
  | 'truncated'
  | 'expired-token'
  | 'access-denied'
  | 'latency'
  | 'empty-page'
  /** Create/DeleteAccountAssignment, ProvisionPermissionSet: accepted IN_PROGRESS, then ends FAILED. */
  | 'async-failure';

/** @public */
export interface FaultSpec {
  service: FaultService;
  /** AWS operation name (`ListPermissionSets`), or a Graph path prefix (`/v1.0/groups/delta`); `*` = any. */
  operation: string;
  kind: FaultKind;
  /** Fire on the k-th matching call from now (1-based); default 1. */
  atCall?: number;
  /** How many consecutive matching calls fire; default 1. */
  times?: number;
  /** For `latency`: the delay added before the real answer. */
  delayMs?: number;
  /** For `throttle`: the Retry-After seconds sent; default 1. */
  retryAfterSeconds?: number;
}

/** @public */
export type RateLimitService =
  | 'aws'
  | 'sso-admin'
  | 'identitystore'
  | 'organizations'
  | 'sts'
  | 'graph';

/** @public */
export interface RateLimitSpec {
  service: RateLimitService;
  /** Requests per second; 0 or null turns the limit off. */
  perSecond: number | null;
  /** Bucket size; defaults to perSecond (one second of burst). */
  burst?: number;
}

/** @public */
export interface EmulatorSettings {
  /** How long CreateAccountAssignment/DeleteAccountAssignment/ProvisionPermissionSet stay IN_PROGRESS. */
  assignmentDelayMs: number;
  /** Outstanding (IN_PROGRESS) account-assignment operations allowed before ThrottlingException. */
  maxOutstandingAssignments: number;
  /** ListAccountAssignmentsForPrincipal for a USER also returns the user's groups' assignments. */
  principalAssignmentsIncludeGroups: boolean;
  /** Default Graph page size when `$top` is absent. */
  graphDefaultPageSize: number;
  /**
   * The largest page Graph returns on delta queries whatever `Prefer: odata.maxpagesize` asks for (Graph honours
   * the preference only up to a limit of its own: 200 objects). `Preference-Applied` is answered only when the
   * asked size is honoured.
   */
  graphMaxDeltaPageSize: number;
  /**
   * Group delta splits a group's `members@delta` into chunks of at most this many, repeating the group object
   * for each chunk, scattered across the round (removals in chunks of their own), as Graph does for large
   * groups. 0 sends every member in one object.
   */
  graphDeltaMembersChunkSize: number;
  /**
   * The application permissions in every Graph token's `roles` (what an administrator consented to). Write
   * routes refuse tokens without the permission Graph requires (403 Authorization_RequestDenied).
   */
  graphAppRoles: string[];
  /**
   * Lifetime of the tokens the login endpoints issue, in seconds on the emulator clock. 0: Entra's own, 60 to 90
   * minutes, different for each token.
   */
  graphTokenLifetimeSeconds: number;
  /**
   * The SQS queue (by name, on the AWS port) that the EventBridge rule for "AWS API Call via CloudTrail" events
   * delivers to; empty: events are recorded but go nowhere.
   */
  eventQueue: string;
  /** Seconds (emulator clock) between a write and its event becoming receivable. */
  eventDelaySeconds: number;
  /** Each event is further delayed by a random 0 to this many seconds, so events arrive out of order. */
  eventReorderSeconds: number;
  /** Share of events (0 to 1) delivered twice, as at-least-once delivery may. */
  eventDuplicateRate: number;
  /** Share of events (0 to 1) never delivered (best-effort delivery). */
  eventLossRate: number;
}

/** @public */
export interface ScenarioEmulatorSettings extends Partial<EmulatorSettings> {
  faults?: FaultSpec[];
  rateLimits?: RateLimitSpec[];
}
