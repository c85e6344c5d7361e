import type {
  Entity,
  GroupEntity,
  KindValidator,
  ResourceEntity,
  UserEntity,
} from '@backstage/catalog-model';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  KubernetesValidatorFunctions,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  groupEntityV1alpha1Validator,
  parseEntityRef,
  resourceEntityV1alpha1Validator,
  stringifyEntityRef,
  userEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import type {
  AwsAccount,
  CatalogProjection,
  PermissionSet,
  ProjectedEntraGroup,
  ProjectedEntraUser,
} from '@aws-access/plugin-aws-access-common';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_AWS_ARN,
  ANNOTATION_AWS_IDENTITY_CENTER_INSTANCE_ARN,
  ANNOTATION_AWS_MANAGED_POLICIES,
  ANNOTATION_AWS_ORGANIZATION_ID,
  ANNOTATION_AWS_PERMISSION_SET_ARN,
  ANNOTATION_AWS_SESSION_DURATION,
  ANNOTATION_MICROSOFT_EMAIL,
  ANNOTATION_MICROSOFT_GRAPH_GROUP_ID,
  ANNOTATION_MICROSOFT_GRAPH_USER_ID,
  LABEL_AWS_ACCOUNT_OU,
  LABEL_AWS_ACCOUNT_STATUS,
  RESOURCE_TYPE_AWS_PERMISSION_SET,
  RESOURCE_TYPE_CLOUD_ACCOUNT,
  entraGroupEntityName,
  entraUserEntityName,
  normalizeEntityName,
} from '@aws-access/plugin-aws-access-common';
import type { AwsAccessCatalogMode } from './config';
import {
  accountEntityNameBase,
  cleanText,
  isValidEntityName,
  permissionSetEntityNameBase,
  shortHash,
  stableStringify,
  toLabelValue,
  withSuffix,
} from './sanitize';

/**
 * Hash of the access relations of an emitted Group or User. It changes when the entity's relations change, so
 * the catalog reprocesses the entity (and this module's processor recomputes its relations).
 *
 * @public
 */
export const ANNOTATION_AWS_ACCESS_PROJECTION_HASH =
  'aws-access/projection-hash';

/** Settings that decide how the projection maps to entities. */
export interface MappingOptions {
  providerId: string;
  mode: AwsAccessCatalogMode;
  ownerTag: string;
  defaultOwner: string;
  systemTag?: string;
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

/**
 * Refresh keys the processor registers and the provider refreshes when relations change. They name Entra
 * objects (or, for entities without the msgraph annotations, the entity ref), never a provider.
 */
export const refreshKeys = {
  group: (entraId: string) => `aws-access:group:${entraId}`,
  user: (entraId: string) => `aws-access:user:${entraId}`,
  entity: (entityRef: string) => `aws-access:entity:${entityRef}`,
  account: (accountId: string) => `aws-access:account:${accountId}`,
};

/**
 * Everything this module derives from one projection: the entities to emit and the lookups the relations
 * processor needs. Built once per snapshot version.
 */
export interface ProjectionIndex {
  snapshotVersion: number;
  syncedAt?: string;
  /** Records in the projection (before skipping). */
  counts: {
    accounts: number;
    permissionSets: number;
    entraGroups: number;
    entraUsers: number;
    assignments: number;
  };
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
  /** Assignments of Identity Center principals without an Entra source (they produce no relations). */
  unmanagedAssignments: number;
  /** Account id → ref of the `cloud-account` entity this module emits. */
  accountRefs: ReadonlyMap<string, string>;
  /** Permission set ARN → ref of the `aws-permission-set` entity this module emits. */
  permissionSetRefs: ReadonlyMap<string, string>;
  /** Entra group id → ref (msgraph default naming). */
  groupRefs: ReadonlyMap<string, string>;
  /** Entra user id → ref (msgraph default naming; enabled users only). */
  userRefs: ReadonlyMap<string, string>;
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
  issues: MappingIssue[];
}

const ACCOUNT_ID_PATTERN = /^\d{12}$/;
const ORGANIZATION_ID_PATTERN = /^o-[a-z0-9]{10,32}$/;

const entityPolicy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

const kindValidators: Record<string, KindValidator> = {
  Resource: resourceEntityV1alpha1Validator,
  Group: groupEntityV1alpha1Validator,
  User: userEntityV1alpha1Validator,
};

/** Runs the catalog's own entity policies and kind validator; returns the reason when the entity is invalid. */
export async function validateEntity(
  entity: Entity,
): Promise<string | undefined> {
  try {
    await entityPolicy.enforce(entity);
    const validator = kindValidators[entity.kind];
    if (validator && !(await validator.check(entity))) {
      return `not a valid ${entity.kind}`;
    }
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function locationAnnotations(
  providerId: string,
  kind: string,
  name: string,
): Record<string, string> {
  const location = `aws-access:${providerId}/${kind.toLocaleLowerCase(
    'en-US',
  )}/${encodeURIComponent(name)}`;
  return {
    [ANNOTATION_LOCATION]: location,
    [ANNOTATION_ORIGIN_LOCATION]: location,
  };
}

const isNonEmptyString = (value: unknown): value is string =>
  typeof value === 'string' && value.trim().length > 0;

function asArray<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

function lastSegment(value: string): string {
  const parts = value.split(/[/:]/);
  return parts[parts.length - 1] || value;
}

/**
 * A tag value as an entity ref: a full or partial ref (`group:default/x`, `default/x`) is parsed, a bare value is
 * normalized like msgraph names (`Backend Team` → `group:default/backend_team`). Undefined when unusable.
 */
export function tagValueToEntityRef(
  raw: string,
  defaultKind: string,
  allowedKinds: string[],
): string | undefined {
  const value = raw.trim();
  if (!value) {
    return undefined;
  }
  try {
    let ref: { kind: string; namespace: string; name: string };
    if (value.includes(':') || value.includes('/')) {
      ref = parseEntityRef(value, { defaultKind, defaultNamespace: 'default' });
    } else {
      ref = {
        kind: defaultKind,
        namespace: 'default',
        name: normalizeEntityName(value),
      };
    }
    if (
      !allowedKinds.includes(ref.kind.toLocaleLowerCase('en-US')) ||
      !KubernetesValidatorFunctions.isValidNamespace(ref.namespace) ||
      !isValidEntityName(ref.name)
    ) {
      return undefined;
    }
    return stringifyEntityRef(ref);
  } catch {
    return undefined;
  }
}

function resolveOwner(
  tags: Record<string, string> | undefined,
  subject: string,
  options: MappingOptions,
  issues: MappingIssue[],
): string {
  const raw = tags?.[options.ownerTag];
  if (typeof raw !== 'string' || !raw.trim()) {
    return options.defaultOwner;
  }
  const ref = tagValueToEntityRef(raw, 'group', ['group', 'user']);
  if (!ref) {
    issues.push({
      subject,
      message: `tag '${options.ownerTag}' value '${cleanText(
        raw,
        80,
      )}' is not a usable group or user ref; owner is ${options.defaultOwner}`,
    });
    return options.defaultOwner;
  }
  return ref;
}

function resolveSystem(
  tags: Record<string, string> | undefined,
  subject: string,
  options: MappingOptions,
  issues: MappingIssue[],
): string | undefined {
  if (!options.systemTag) {
    return undefined;
  }
  const raw = tags?.[options.systemTag];
  if (typeof raw !== 'string' || !raw.trim()) {
    return undefined;
  }
  const ref = tagValueToEntityRef(raw, 'system', ['system']);
  if (!ref) {
    issues.push({
      subject,
      message: `tag '${options.systemTag}' value '${cleanText(
        raw,
        80,
      )}' is not a usable system ref; spec.system left out`,
    });
  }
  return ref;
}

/**
 * Assigns each account a unique entity name. Accounts whose names normalize to the same entity name are told
 * apart by the account id: the account seen first (`firstSeenAt`, then id) keeps the plain name, so adding a
 * look-alike account never renames an existing entity.
 */
export function allocateAccountNames(
  accounts: AwsAccount[],
  issues: MappingIssue[],
): Map<string, string> {
  const byBase = new Map<string, AwsAccount[]>();
  for (const account of accounts) {
    const base = accountEntityNameBase(account.name) || `account-${account.id}`;
    byBase.set(base, [...(byBase.get(base) ?? []), account]);
  }
  const names = new Map<string, string>();
  const taken = new Set<string>();
  const suffixed: Array<{
    account: AwsAccount;
    base: string;
    first: AwsAccount;
  }> = [];
  for (const [base, group] of byBase) {
    const sorted = [...group].sort(
      (a, b) =>
        (a.firstSeenAt ?? '\uffff').localeCompare(b.firstSeenAt ?? '\uffff') ||
        a.id.localeCompare(b.id),
    );
    names.set(sorted[0].id, base);
    taken.add(base);
    for (const other of sorted.slice(1)) {
      suffixed.push({ account: other, base, first: sorted[0] });
    }
  }
  for (const { account, base, first } of suffixed) {
    const name = withSuffix(base, account.id);
    if (taken.has(name)) {
      issues.push({
        subject: `account ${account.id}`,
        message: `entity name '${name}' is already taken; account skipped`,
      });
      continue;
    }
    taken.add(name);
    names.set(account.id, name);
    issues.push({
      subject: `account ${account.id}`,
      message: `name '${cleanText(
        account.name,
        80,
      )}' normalizes to '${base}' like account ${first.id}; named '${name}'`,
    });
  }
  return names;
}

/** Assigns each permission set a unique entity name (`aws-ps-<name>`; look-alikes get an ARN hash suffix). */
export function allocatePermissionSetNames(
  permissionSets: PermissionSet[],
  issues: MappingIssue[],
): Map<string, string> {
  const byBase = new Map<string, PermissionSet[]>();
  for (const ps of permissionSets) {
    const base =
      permissionSetEntityNameBase(ps.name) || `aws-ps-${shortHash(ps.arn, 8)}`;
    byBase.set(base, [...(byBase.get(base) ?? []), ps]);
  }
  const names = new Map<string, string>();
  const taken = new Set(byBase.keys());
  for (const [base, group] of byBase) {
    const sorted = [...group].sort((a, b) => a.arn.localeCompare(b.arn));
    names.set(sorted[0].arn, base);
    for (const other of sorted.slice(1)) {
      const name = withSuffix(base, shortHash(other.arn, 8));
      if (taken.has(name)) {
        issues.push({
          subject: `permission set ${other.arn}`,
          message: `entity name '${name}' is already taken; permission set skipped`,
        });
        continue;
      }
      taken.add(name);
      names.set(other.arn, name);
      issues.push({
        subject: `permission set ${other.arn}`,
        message: `name '${cleanText(
          other.name,
          80,
        )}' normalizes to '${base}' like ${sorted[0].arn}; named '${name}'`,
      });
    }
  }
  return names;
}

/** The `cloud-account` Resource of one account. */
export function toCloudAccountEntity(
  account: AwsAccount,
  context: {
    name: string;
    options: MappingOptions;
    organizationId?: string;
    issues: MappingIssue[];
  },
): ResourceEntity {
  const { name, options, issues } = context;
  const subject = `account ${account.id}`;
  const ouPath = typeof account.ouPath === 'string' ? account.ouPath : '';
  const status = typeof account.status === 'string' ? account.status : '';
  const organizationId =
    context.organizationId ??
    (typeof account.arn === 'string'
      ? account.arn.split('/').find(part => ORGANIZATION_ID_PATTERN.test(part))
      : undefined);
  const tags =
    account.tags && typeof account.tags === 'object' ? account.tags : {};

  const labels: Record<string, string> = {};
  const statusLabel = toLabelValue(status.toLocaleLowerCase('en-US'));
  if (statusLabel) {
    labels[LABEL_AWS_ACCOUNT_STATUS] = statusLabel;
  }
  const ouLabel = toLabelValue(ouPath);
  if (ouLabel) {
    labels[LABEL_AWS_ACCOUNT_OU] = ouLabel;
  }

  const details = [cleanText(ouPath, 200), cleanText(status, 40)].filter(
    Boolean,
  );
  const entity: ResourceEntity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      title: cleanText(account.name, 200) || account.id,
      description: `AWS account ${account.id}${
        details.length ? ` (${details.join(', ')})` : ''
      }`,
      annotations: {
        ...locationAnnotations(options.providerId, 'Resource', name),
        [ANNOTATION_AWS_ACCOUNT_ID]: account.id,
        ...(isNonEmptyString(account.arn)
          ? { [ANNOTATION_AWS_ARN]: account.arn }
          : {}),
        ...(organizationId && ORGANIZATION_ID_PATTERN.test(organizationId)
          ? { [ANNOTATION_AWS_ORGANIZATION_ID]: organizationId }
          : {}),
      },
      labels,
    },
    spec: {
      type: RESOURCE_TYPE_CLOUD_ACCOUNT,
      owner: resolveOwner(tags, subject, options, issues),
    },
  };
  const system = resolveSystem(tags, subject, options, issues);
  if (system) {
    entity.spec.system = system;
  }
  if (options.accessPageUrl) {
    entity.metadata.links = [
      { url: options.accessPageUrl, title: 'AWS access' },
    ];
  }
  return entity;
}

/** One line per fact: description, session, managed/customer managed/inline policies, boundary. */
export function summarizePermissionSet(ps: PermissionSet): string {
  const managed = asArray<{ name?: string; arn?: string }>(ps.managedPolicies)
    .map(p => cleanText(p?.name || (p?.arn ? lastSegment(p.arn) : ''), 128))
    .filter(Boolean);
  const customer = asArray<{ name?: string; path?: string }>(
    ps.customerManagedPolicies,
  )
    .map(p =>
      cleanText(
        `${p?.path && p.path !== '/' ? p.path : ''}${p?.name ?? ''}`,
        128,
      ),
    )
    .filter(Boolean);
  const boundary = ps.permissionsBoundary
    ? cleanText(
        ps.permissionsBoundary.managedPolicyArn
          ? lastSegment(ps.permissionsBoundary.managedPolicyArn)
          : `${ps.permissionsBoundary.customerManagedPolicy?.path ?? ''}${
              ps.permissionsBoundary.customerManagedPolicy?.name ?? ''
            }`,
        128,
      )
    : '';
  const description = cleanText(ps.description, 300).replace(/[.]+$/, '');
  const parts = [
    description ? `${description}.` : '',
    isNonEmptyString(ps.sessionDuration)
      ? `Session duration ${cleanText(ps.sessionDuration, 20)}.`
      : '',
    `AWS managed policies: ${managed.length ? managed.join(', ') : 'none'}.`,
    `Customer managed policies: ${
      customer.length ? customer.join(', ') : 'none'
    }.`,
    `Inline policy: ${isNonEmptyString(ps.inlinePolicy) ? 'yes' : 'no'}.`,
    `Permissions boundary: ${boundary || 'none'}.`,
  ];
  return cleanText(parts.filter(Boolean).join(' '), 1000);
}

/** The `aws-permission-set` Resource of one permission set. */
export function toPermissionSetEntity(
  ps: PermissionSet,
  context: {
    name: string;
    options: MappingOptions;
    instanceArn?: string;
    issues: MappingIssue[];
  },
): ResourceEntity {
  const { name, options, issues } = context;
  const managedNames = asArray<{ name?: string; arn?: string }>(
    ps.managedPolicies,
  )
    .map(p => cleanText(p?.name || (p?.arn ? lastSegment(p.arn) : ''), 128))
    .filter(Boolean);
  const annotations: Record<string, string> = {
    ...locationAnnotations(options.providerId, 'Resource', name),
    [ANNOTATION_AWS_PERMISSION_SET_ARN]: ps.arn,
    [ANNOTATION_AWS_ARN]: ps.arn,
    [ANNOTATION_AWS_MANAGED_POLICIES]: managedNames.join(','),
  };
  if (isNonEmptyString(ps.sessionDuration)) {
    annotations[ANNOTATION_AWS_SESSION_DURATION] = cleanText(
      ps.sessionDuration,
      40,
    );
  }
  if (isNonEmptyString(context.instanceArn)) {
    annotations[ANNOTATION_AWS_IDENTITY_CENTER_INSTANCE_ARN] =
      context.instanceArn;
  }
  const tags = ps.tags && typeof ps.tags === 'object' ? ps.tags : {};
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      title: cleanText(ps.name, 200) || name,
      description: summarizePermissionSet(ps),
      annotations,
    },
    spec: {
      type: RESOURCE_TYPE_AWS_PERMISSION_SET,
      owner: resolveOwner(tags, `permission set ${ps.arn}`, options, issues),
    },
  };
}

/**
 * A Group exactly as the msgraph module's `defaultGroupTransformer` builds it (name, `graph.microsoft.com/group-id`,
 * `spec.type: team`, profile, description), without the hierarchy, which the caller fills like the msgraph
 * provider does.
 */
export function toGroupEntityBase(
  group: ProjectedEntraGroup,
  name: string,
): GroupEntity {
  const entity: GroupEntity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name,
      annotations: {
        [ANNOTATION_MICROSOFT_GRAPH_GROUP_ID]: group.id,
      },
    },
    spec: {
      type: 'team',
      profile: {},
      children: [],
    },
  };
  if (group.description) {
    entity.metadata.description = group.description;
  }
  if (group.displayName) {
    entity.spec.profile!.displayName = group.displayName;
  }
  if (group.mail) {
    entity.spec.profile!.email = group.mail;
  }
  return entity;
}

/** A User exactly as the msgraph module's `defaultUserTransformer` builds it (without `memberOf`). */
export function toUserEntityBase(
  user: ProjectedEntraUser,
  name: string,
): UserEntity {
  const entity: UserEntity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: {
      name,
      annotations: {
        [ANNOTATION_MICROSOFT_GRAPH_USER_ID]: user.id,
      },
    },
    spec: {
      profile: {
        displayName: user.displayName,
      },
      memberOf: [],
    },
  };
  if (user.mail) {
    entity.metadata.annotations![ANNOTATION_MICROSOFT_EMAIL] = user.mail;
    entity.spec.profile!.email = user.mail;
  }
  return entity;
}

/** Allocates msgraph-style names; look-alikes cannot be renamed (refs must match msgraph's), so later ones are skipped. */
function allocateEntraNames<T extends { id: string }>(
  items: T[],
  nameOf: (item: T) => string,
  what: string,
  issues: MappingIssue[],
): Map<string, string> {
  const names = new Map<string, string>();
  const owners = new Map<string, string>();
  for (const item of [...items].sort((a, b) => a.id.localeCompare(b.id))) {
    const name = nameOf(item);
    if (!isValidEntityName(name)) {
      issues.push({
        subject: `${what} ${item.id}`,
        message: `entity name '${cleanText(name, 80)}' is not valid; skipped`,
      });
      continue;
    }
    const owner = owners.get(name);
    if (owner) {
      issues.push({
        subject: `${what} ${item.id}`,
        message: `entity name '${name}' is already used by ${what} ${owner}; skipped`,
      });
      continue;
    }
    owners.set(name, item.id);
    names.set(item.id, name);
  }
  return names;
}

/**
 * Derives the entities and relation lookups from a projection. Record-level problems (hostile names, look-alike
 * names, missing fields) skip or rename that record with an issue; they never fail the whole batch.
 */
export async function buildProjectionIndex(
  projection: CatalogProjection,
  options: MappingOptions,
): Promise<ProjectionIndex> {
  const issues: MappingIssue[] = [];
  let skipped = 0;
  const skip = (subject: string, message: string) => {
    skipped += 1;
    issues.push({ subject, message });
  };

  const rawAccounts = asArray<AwsAccount>(projection.accounts);
  const rawPermissionSets = asArray<PermissionSet>(projection.permissionSets);
  const rawGroups = asArray<ProjectedEntraGroup>(projection.entraGroups);
  const rawUsers = asArray<ProjectedEntraUser>(projection.entraUsers);
  const rawAssignments = asArray<CatalogProjection['assignments'][number]>(
    projection.assignments,
  );

  // ---- accounts
  const accounts: AwsAccount[] = [];
  const seenAccounts = new Set<string>();
  for (const account of rawAccounts) {
    const id = account && typeof account === 'object' ? account.id : undefined;
    if (typeof id !== 'string' || !ACCOUNT_ID_PATTERN.test(id)) {
      skip(
        `account ${cleanText(String(id), 40)}`,
        'not a 12-digit account id; skipped',
      );
      continue;
    }
    if (seenAccounts.has(id)) {
      skip(`account ${id}`, 'listed twice; later copy skipped');
      continue;
    }
    seenAccounts.add(id);
    accounts.push({
      ...account,
      name: typeof account.name === 'string' ? account.name : '',
    });
  }

  // ---- permission sets
  const permissionSets: PermissionSet[] = [];
  const seenPermissionSets = new Set<string>();
  for (const ps of rawPermissionSets) {
    if (!ps || typeof ps !== 'object' || !isNonEmptyString(ps.arn)) {
      skip('permission set', 'no ARN; skipped');
      continue;
    }
    if (seenPermissionSets.has(ps.arn)) {
      skip(`permission set ${ps.arn}`, 'listed twice; later copy skipped');
      continue;
    }
    seenPermissionSets.add(ps.arn);
    permissionSets.push({
      ...ps,
      name: typeof ps.name === 'string' ? ps.name : '',
    });
  }

  const entities: Entity[] = [];
  const emitted = { accounts: 0, permissionSets: 0, groups: 0, users: 0 };

  // ---- cloud-account Resources
  const accountRefs = new Map<string, string>();
  if (!options.linkAccountsFromUpstream) {
    const accountNames = allocateAccountNames(accounts, issues);
    for (const account of accounts) {
      const name = accountNames.get(account.id);
      if (!name) {
        skipped += 1;
        continue;
      }
      const entity = toCloudAccountEntity(account, {
        name,
        options,
        organizationId: projection.organizationId,
        issues,
      });
      const invalid = await validateEntity(entity);
      if (invalid) {
        skip(
          `account ${account.id}`,
          `entity is not valid (${invalid}); skipped`,
        );
        continue;
      }
      entities.push(entity);
      accountRefs.set(account.id, stringifyEntityRef(entity));
      emitted.accounts += 1;
    }
  }

  // ---- aws-permission-set Resources
  const permissionSetRefs = new Map<string, string>();
  const permissionSetNames = allocatePermissionSetNames(permissionSets, issues);
  for (const ps of permissionSets) {
    const name = permissionSetNames.get(ps.arn);
    if (!name) {
      skipped += 1;
      continue;
    }
    const entity = toPermissionSetEntity(ps, {
      name,
      options,
      instanceArn: projection.instanceArn,
      issues,
    });
    const invalid = await validateEntity(entity);
    if (invalid) {
      skip(
        `permission set ${ps.arn}`,
        `entity is not valid (${invalid}); skipped`,
      );
      continue;
    }
    entities.push(entity);
    permissionSetRefs.set(ps.arn, stringifyEntityRef(entity));
    emitted.permissionSets += 1;
  }

  // ---- Entra groups and users: refs as the msgraph module names them
  const groups: ProjectedEntraGroup[] = [];
  const seenGroups = new Set<string>();
  for (const group of rawGroups) {
    if (
      !group ||
      !isNonEmptyString(group.id) ||
      !isNonEmptyString(group.displayName)
    ) {
      skip(
        `group ${cleanText(String(group?.id), 60)}`,
        'no id or displayName; skipped',
      );
      continue;
    }
    if (seenGroups.has(group.id)) {
      skip(`group ${group.id}`, 'listed twice; later copy skipped');
      continue;
    }
    seenGroups.add(group.id);
    groups.push(group);
  }
  const users: ProjectedEntraUser[] = [];
  const seenUsers = new Set<string>();
  for (const user of rawUsers) {
    if (
      !user ||
      !isNonEmptyString(user.id) ||
      !isNonEmptyString(user.displayName) ||
      !(isNonEmptyString(user.mail) || isNonEmptyString(user.userPrincipalName))
    ) {
      skip(
        `user ${cleanText(String(user?.id), 60)}`,
        'no id, displayName or mail/userPrincipalName; skipped',
      );
      continue;
    }
    if (seenUsers.has(user.id)) {
      skip(`user ${user.id}`, 'listed twice; later copy skipped');
      continue;
    }
    seenUsers.add(user.id);
    // The msgraph module leaves disabled accounts out; so do we, so that refs agree in both modes.
    if (user.accountEnabled === false) {
      continue;
    }
    users.push(user);
  }
  const groupNames = allocateEntraNames(
    groups,
    entraGroupEntityName,
    'group',
    issues,
  );
  const userNames = allocateEntraNames(
    users,
    entraUserEntityName,
    'user',
    issues,
  );
  const groupRefs = new Map<string, string>();
  for (const [id, name] of groupNames) {
    groupRefs.set(id, `group:default/${name}`);
  }
  const userRefs = new Map<string, string>();
  for (const [id, name] of userNames) {
    userRefs.set(id, `user:default/${name}`);
  }

  // ---- access from assignments
  const groupSets = new Map<
    string,
    { accounts: Set<string>; permissionSets: Set<string> }
  >();
  const userSets = new Map<
    string,
    { accounts: Set<string>; permissionSets: Set<string> }
  >();
  const accountSets = new Map<string, Set<string>>();
  const knownAccounts = new Set(accounts.map(a => a.id));
  let unmanagedAssignments = 0;
  const ensure = (
    map: Map<string, { accounts: Set<string>; permissionSets: Set<string> }>,
    id: string,
  ) => {
    let entry = map.get(id);
    if (!entry) {
      entry = { accounts: new Set(), permissionSets: new Set() };
      map.set(id, entry);
    }
    return entry;
  };
  for (const assignment of rawAssignments) {
    const principal = assignment?.principal;
    if (!assignment || !principal || !isNonEmptyString(assignment.accountId)) {
      continue;
    }
    if (!isNonEmptyString(principal.entraId)) {
      unmanagedAssignments += 1;
      continue;
    }
    const accountRef = accountRefs.get(assignment.accountId);
    const permissionSetRef = permissionSetRefs.get(assignment.permissionSetArn);
    let principalRef: string | undefined;
    if (principal.type === 'GROUP') {
      const entry = ensure(groupSets, principal.entraId);
      if (accountRef) {
        entry.accounts.add(accountRef);
      }
      if (permissionSetRef) {
        entry.permissionSets.add(permissionSetRef);
      }
      principalRef = groupRefs.get(principal.entraId);
    } else if (principal.type === 'USER') {
      const entry = ensure(userSets, principal.entraId);
      if (accountRef) {
        entry.accounts.add(accountRef);
      }
      principalRef = userRefs.get(principal.entraId);
    }
    if (
      options.linkAccountsFromUpstream &&
      principalRef &&
      knownAccounts.has(assignment.accountId)
    ) {
      const set = accountSets.get(assignment.accountId) ?? new Set<string>();
      set.add(principalRef);
      accountSets.set(assignment.accountId, set);
    }
  }
  const freeze = (entry: {
    accounts: Set<string>;
    permissionSets: Set<string>;
  }) => ({
    accounts: [...entry.accounts].sort(),
    permissionSets: [...entry.permissionSets].sort(),
  });
  const groupAccess = new Map<string, PrincipalAccess>();
  const groupAccessByRef = new Map<string, PrincipalAccess>();
  for (const [id, entry] of groupSets) {
    const access = freeze(entry);
    groupAccess.set(id, access);
    const ref = groupRefs.get(id);
    if (ref) {
      groupAccessByRef.set(ref, access);
    }
  }
  const userAccess = new Map<string, PrincipalAccess>();
  const userAccessByRef = new Map<string, PrincipalAccess>();
  for (const [id, entry] of userSets) {
    const access = freeze(entry);
    userAccess.set(id, access);
    const ref = userRefs.get(id);
    if (ref) {
      userAccessByRef.set(ref, access);
    }
  }
  const accountPrincipals = new Map<string, string[]>();
  for (const [accountId, set] of accountSets) {
    accountPrincipals.set(accountId, [...set].sort());
  }

  const relationSignatures = new Map<string, string>();
  for (const [id, access] of groupAccess) {
    const signature = stableStringify(access);
    relationSignatures.set(refreshKeys.group(id), signature);
    const ref = groupRefs.get(id);
    if (ref) {
      relationSignatures.set(refreshKeys.entity(ref), signature);
    }
  }
  for (const [id, access] of userAccess) {
    const signature = stableStringify(access);
    relationSignatures.set(refreshKeys.user(id), signature);
    const ref = userRefs.get(id);
    if (ref) {
      relationSignatures.set(refreshKeys.entity(ref), signature);
    }
  }
  for (const [accountId, principals] of accountPrincipals) {
    relationSignatures.set(
      refreshKeys.account(accountId),
      stableStringify(principals),
    );
  }

  // ---- emit mode: Group and User entities
  if (options.mode === 'emit') {
    const noAccess: PrincipalAccess = { accounts: [], permissionSets: [] };
    const groupEntities = new Map<string, GroupEntity>();
    for (const group of groups) {
      const name = groupNames.get(group.id);
      if (!name) {
        skipped += 1;
        continue;
      }
      const entity = toGroupEntityBase(group, name);
      entity.metadata.annotations = {
        ...entity.metadata.annotations,
        ...locationAnnotations(options.providerId, 'Group', name),
        [ANNOTATION_AWS_ACCESS_PROJECTION_HASH]: shortHash(
          stableStringify(groupAccess.get(group.id) ?? noAccess),
          16,
        ),
      };
      const invalid = await validateEntity(entity);
      if (invalid) {
        skip(`group ${group.id}`, `entity is not valid (${invalid}); skipped`);
        continue;
      }
      groupEntities.set(group.id, entity);
    }
    // Hierarchy as the msgraph provider builds it: children = member groups, parent = first parent by id.
    const parents = new Map<string, string[]>();
    for (const group of [...groups].sort((a, b) => a.id.localeCompare(b.id))) {
      const entity = groupEntities.get(group.id);
      if (!entity) {
        continue;
      }
      const childIds = [
        ...new Set(asArray<string>(group.memberGroupIds)),
      ].sort();
      for (const childId of childIds) {
        const child = groupEntities.get(childId);
        if (child && childId !== group.id) {
          entity.spec.children.push(stringifyEntityRef(child));
          parents.set(childId, [...(parents.get(childId) ?? []), group.id]);
        }
      }
    }
    for (const [childId, parentIds] of parents) {
      const parent = groupEntities.get([...parentIds].sort()[0]);
      if (parent) {
        groupEntities.get(childId)!.spec.parent = stringifyEntityRef(parent);
      }
    }
    for (const entity of groupEntities.values()) {
      entities.push(entity);
      emitted.groups += 1;
    }

    // Users: memberOf = the groups they are direct members of. The msgraph reader collects them sorted by group
    // id and its buildMemberOf then pops them off a stack, so its order is descending group id: we keep that.
    const memberOf = new Map<string, string[]>();
    for (const group of [...groups].sort((a, b) => a.id.localeCompare(b.id))) {
      const entity = groupEntities.get(group.id);
      if (!entity) {
        continue;
      }
      for (const userId of new Set(asArray<string>(group.memberUserIds))) {
        memberOf.set(userId, [
          ...(memberOf.get(userId) ?? []),
          stringifyEntityRef(entity),
        ]);
      }
    }
    for (const user of users) {
      const name = userNames.get(user.id);
      if (!name) {
        skipped += 1;
        continue;
      }
      const entity = toUserEntityBase(user, name);
      entity.metadata.annotations = {
        ...entity.metadata.annotations,
        ...locationAnnotations(options.providerId, 'User', name),
        [ANNOTATION_AWS_ACCESS_PROJECTION_HASH]: shortHash(
          stableStringify(userAccess.get(user.id) ?? noAccess),
          16,
        ),
      };
      entity.spec.memberOf = [...(memberOf.get(user.id) ?? [])].reverse();
      const invalid = await validateEntity(entity);
      if (invalid) {
        skip(`user ${user.id}`, `entity is not valid (${invalid}); skipped`);
        continue;
      }
      entities.push(entity);
      emitted.users += 1;
    }
  }

  return {
    snapshotVersion: projection.snapshotVersion,
    syncedAt: projection.syncedAt,
    counts: {
      accounts: rawAccounts.length,
      permissionSets: rawPermissionSets.length,
      entraGroups: rawGroups.length,
      entraUsers: rawUsers.length,
      assignments: rawAssignments.length,
    },
    entities,
    emitted,
    skipped,
    unmanagedAssignments,
    accountRefs,
    permissionSetRefs,
    groupRefs,
    userRefs,
    groupAccess,
    userAccess,
    groupAccessByRef,
    userAccessByRef,
    accountPrincipals,
    relationSignatures,
    issues,
  };
}
