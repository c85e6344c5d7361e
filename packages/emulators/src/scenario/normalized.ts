import type {
  AccountStatus,
  EmulatorSettings,
  FaultSpec,
  ProvisioningStatusCode,
  RateLimitSpec,
  ScenarioAppRegistration,
  ScenarioEntraCloud,
} from './types';

/*
 * A scenario after validation and normalization: defaults applied, every id generated, `"*"` expanded. This is
 * what the emulators load and what `startEmulators().scenario` returns.
 */

/** @public */
export interface NormalizedScenario {
  version: 1;
  now?: string;
  /**
   * `entra`: the scenario's Entra tenant provisions Identity Center. `none`: the scenario has no `entra:`
   * section; Identity Center uses its own directory, `entra` below is an empty tenant nobody can sign in to.
   */
  identitySource: 'entra' | 'none';
  entra: {
    tenantId: string;
    domain: string;
    displayName: string;
    cloud: ScenarioEntraCloud;
    awsApp: NormalizedAwsApp;
    appRegistrations: ScenarioAppRegistration[];
    users: NormalizedEntraUser[];
    groups: NormalizedEntraGroup[];
  };
  identityCenter: {
    region: string;
    instanceArn: string;
    /** `ssoins-…` */
    instanceId: string;
    identityStoreId: string;
    accessPortalUrl: string;
    /** `Issuer` of every SCIM-provisioned object's ExternalIds entry. */
    scimIssuer: string;
    organization: {
      id: string;
      managementAccountId: string;
      rootId: string;
      organizationalUnits: NormalizedOrganizationalUnit[];
    };
    accounts: NormalizedAccount[];
    permissionSets: NormalizedPermissionSet[];
    assignments: NormalizedAssignment[];
    provisioned: {
      mode: 'in-sync' | 'empty';
      drift: NormalizedDrift[];
      unmanaged: {
        users: NormalizedUnmanagedUser[];
        groups: NormalizedUnmanagedGroup[];
      };
    };
  };
  emulator: {
    settings: EmulatorSettings;
    faults: FaultSpec[];
    rateLimits: RateLimitSpec[];
  };
  /** Things that loaded but probably are not what the author meant. */
  warnings: string[];
}

/** @public */
export interface NormalizedAwsApp {
  appId: string;
  servicePrincipalId: string;
  displayName: string;
  samlCertificateExpires: string;
  provisioning: {
    intervalSeconds: number;
    status: ProvisioningStatusCode;
    quarantineReason: string | null;
    /** null = never ran */
    lastCycleAgoSeconds: number | null;
    lastSuccessAgoSeconds: number | null;
  };
}

/** @public */
export interface NormalizedEntraUser {
  id: string;
  upn: string;
  displayName: string;
  givenName?: string;
  surname?: string;
  mail: string;
  department?: string;
  jobTitle?: string;
  employeeId?: string;
  /** upn of the manager */
  manager?: string;
  enabled: boolean;
  assignedToAwsApp: boolean;
  /** The Identity Store user id SCIM gives (or gave) this user. */
  identityStoreUserId: string;
}

/** @public */
export interface NormalizedEntraGroup {
  id: string;
  name: string;
  mailNickname: string;
  description?: string;
  securityEnabled: boolean;
  /** Member upns (users) and group names (nesting), as written. */
  members: string[];
  owners: string[];
  assignedToAwsApp: boolean;
  identityStoreGroupId: string;
}

/** @public */
export interface NormalizedOrganizationalUnit {
  id: string;
  name: string;
  /** `Workloads/Prod` */
  path: string;
  /** The root id or the parent OU id. */
  parentId: string;
}

/** @public */
export interface NormalizedAccount {
  id: string;
  name: string;
  email: string;
  status: AccountStatus;
  /** OU path, '' for the root. */
  ou: string;
  parentId: string;
  tags: Record<string, string>;
}

/** @public */
export interface NormalizedPermissionSet {
  name: string;
  arn: string;
  description?: string;
  sessionDuration: string;
  relayState?: string;
  managedPolicies: string[];
  customerManagedPolicies: { name: string; path: string }[];
  /** JSON text, as GetInlinePolicyForPermissionSet returns it. */
  inlinePolicy?: string;
  permissionsBoundary?:
    | { managedPolicyArn: string }
    | { customerManagedPolicy: { name: string; path: string } };
  tags: Record<string, string>;
}

/** @public */
export interface NormalizedAssignment {
  principalType: 'GROUP' | 'USER';
  /** Which kind of scenario principal: an Entra group or user, or an unmanaged Identity Center group or user. */
  principal:
    | { group: string }
    | { user: string }
    | { idcGroup: string }
    | { idcUser: string };
  /** The Identity Store id of the principal. */
  principalId: string;
  permissionSetArn: string;
  permissionSet: string;
  accounts: string[];
  status: 'PROVISIONED' | 'FAILED';
}

/** @public */
export type NormalizedDrift =
  | { kind: 'missingMember'; group: string; user: string; sinceSeconds: number }
  | { kind: 'extraMember'; group: string; user: string; sinceSeconds: number }
  | { kind: 'missingUser'; user: string; sinceSeconds: number }
  | { kind: 'activeUser'; user: string; sinceSeconds: number }
  | { kind: 'missingGroup'; group: string; sinceSeconds: number };

/** @public */
export interface NormalizedUnmanagedUser {
  id: string;
  userName: string;
  displayName: string;
  givenName?: string;
  familyName?: string;
  email?: string;
  enabled: boolean;
}

/** @public */
export interface NormalizedUnmanagedGroup {
  id: string;
  name: string;
  description?: string;
  members: string[];
}
