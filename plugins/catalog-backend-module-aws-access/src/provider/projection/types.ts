import type { Entity } from '@backstage/catalog-model';
import type {
  AwsAccount,
  CatalogProjection,
  PermissionSet,
  ProjectedEntraGroup,
  ProjectedEntraUser,
} from '@aws-access/plugin-aws-access-common';
import type {
  AwsAccessCatalogMode,
  AwsAccessCatalogRelations,
} from '../config';

/** Settings that decide how the projection maps to entities. */
export interface MappingOptions {
  providerId: string;
  mode: AwsAccessCatalogMode;
  ownerTag: string;
  defaultOwner: string;
  systemTag?: string;
  relations: AwsAccessCatalogRelations;
  linkAccountsFromUpstream: boolean;
  accessPageUrl?: string;
}

/** A record that was skipped or renamed, for a structured warning. */
export interface MappingIssue {
  /** What the issue is about, e.g. `account 200000000001`. */
  subject: string;
  message: string;
}

/** What a principal reaches, as entity refs (sorted, unique). */
export interface PrincipalAccess {
  accounts: string[];
  permissionSets: string[];
}

/** One assignment of the projection, as received. */
export type ProjectionAssignment = CatalogProjection['assignments'][number];

/** How many records of each sort a projection carried (before skipping). */
export interface ReceivedCounts {
  accounts: number;
  permissionSets: number;
  entraGroups: number;
  entraUsers: number;
  assignments: number;
}

/**
 * The records of a projection that can become entities (the first step's output): well-formed, each listed
 * once, and only enabled users, as the msgraph module emits them.
 */
export interface ProjectionRecords {
  received: ReceivedCounts;
  accounts: AwsAccount[];
  permissionSets: PermissionSet[];
  groups: ProjectedEntraGroup[];
  users: ProjectedEntraUser[];
  /** As received: the relation index skips the unusable ones. */
  assignments: ProjectionAssignment[];
}

/**
 * The entity name of each record (the second step's output). A record without a name is not emitted; the
 * allocation already said why.
 */
export interface EntityNames {
  /** Account id → name; empty when accounts come from the upstream AWS organization processor. */
  accounts: ReadonlyMap<string, string>;
  /** Permission set ARN → name. */
  permissionSets: ReadonlyMap<string, string>;
  /** Entra group id → name (msgraph default naming). */
  groups: ReadonlyMap<string, string>;
  /** Entra user id → name (msgraph default naming). */
  users: ReadonlyMap<string, string>;
}

/** The refs the emitted Resources got (the third step's output for accounts and permission sets). */
export interface ResourceRefs {
  /** Account id → ref of the `cloud-account` entity this module emits. */
  accountRefs: ReadonlyMap<string, string>;
  /** Permission set ARN → ref of the `aws-permission-set` entity this module emits. */
  permissionSetRefs: ReadonlyMap<string, string>;
}

/** Who reaches what (the relation index), looked up by Entra id, by entity ref and by account. */
export interface RelationIndex {
  /** Entra group id → what the group reaches. */
  groupAccess: ReadonlyMap<string, PrincipalAccess>;
  /** Entra user id → what the user reaches through direct user assignments. */
  userAccess: ReadonlyMap<string, PrincipalAccess>;
  /** Group ref → access, for Group entities that carry no `graph.microsoft.com/group-id`. */
  groupAccessByRef: ReadonlyMap<string, PrincipalAccess>;
  /** User ref → access, for User entities that carry no `graph.microsoft.com/user-id`. */
  userAccessByRef: ReadonlyMap<string, PrincipalAccess>;
  /** Account id → refs of the principals that reach it (relations added on upstream account entities). */
  accountPrincipals: ReadonlyMap<string, string[]>;
  /** Refresh key → signature of the relations it stands for. */
  relationSignatures: ReadonlyMap<string, string>;
  /** Assignments of Identity Center principals without an Entra source (they produce no relations). */
  unmanagedAssignments: number;
}

/**
 * Everything this module derives from one projection: the entities to emit and the lookups the relations
 * processor needs. Built once per snapshot version.
 */
export interface ProjectionIndex extends ResourceRefs, RelationIndex {
  snapshotVersion: number;
  syncedAt?: string;
  /** Records in the projection (before skipping). */
  counts: ReceivedCounts;
  /** Entities to emit (validated), without duplicates. */
  entities: Entity[];
  /** How many entities of each sort are emitted. */
  emitted: {
    accounts: number;
    permissionSets: number;
    groups: number;
    users: number;
  };
  /** Records that could not be turned into an entity. */
  skipped: number;
  /** Entra group id → ref (msgraph default naming). */
  groupRefs: ReadonlyMap<string, string>;
  /** Entra user id → ref (msgraph default naming; enabled users only). */
  userRefs: ReadonlyMap<string, string>;
  issues: MappingIssue[];
}
