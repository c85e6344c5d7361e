import type { Sliced } from '@aws-access/plugin-aws-access-node/alpha';
import { runAtOnce } from '@aws-access/plugin-aws-access-node/alpha';
import { isNonEmptyString, stableStringify } from '../sanitize';
import type {
  MappingOptions,
  PrincipalAccess,
  ProjectionAssignment,
  ProjectionRecords,
  RelationIndex,
  ResourceRefs,
} from './types';

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

/** The refs every side of a relation can have: the emitted Resources and the Entra principals. */
export interface RelationRefs extends ResourceRefs {
  /** Entra group id → ref (msgraph default naming). */
  groupRefs: ReadonlyMap<string, string>;
  /** Entra user id → ref (msgraph default naming). */
  userRefs: ReadonlyMap<string, string>;
}

interface AccessSets {
  accounts: Set<string>;
  permissionSets: Set<string>;
}

/** What the assignments add up to, while they are collected. */
interface CollectedAccess {
  groups: Map<string, AccessSets>;
  users: Map<string, AccessSets>;
  /** Account id → refs of the principals that reach it (only when linking to upstream account entities). */
  accounts: Map<string, Set<string>>;
  unmanaged: number;
}

/**
 * Step 4: who reaches what. Groups reach the accounts and permission sets they are assigned; users only what
 * direct user assignments give them (SCIM does not flatten nesting, so neither do we). Only the principals the
 * `relations` setting names are related.
 */
export function indexRelations(
  records: ProjectionRecords,
  refs: RelationRefs,
  options: MappingOptions,
): RelationIndex {
  return runAtOnce(indexRelationsSliced(records, refs, options));
}

/** {@link indexRelations}, one assignment or principal a step. */
export function* indexRelationsSliced(
  records: ProjectionRecords,
  refs: RelationRefs,
  options: MappingOptions,
): Sliced<RelationIndex> {
  const collected = yield* collectAccess(records, refs, options);
  const groupAccess = yield* freezeAll(collected.groups);
  const userAccess = yield* freezeAll(collected.users);
  const accountPrincipals = new Map<string, string[]>();
  for (const [accountId, principals] of collected.accounts) {
    yield;
    accountPrincipals.set(accountId, [...principals].sort());
  }
  return {
    groupAccess,
    userAccess,
    groupAccessByRef: yield* rekey(groupAccess, refs.groupRefs),
    userAccessByRef: yield* rekey(userAccess, refs.userRefs),
    accountPrincipals,
    relationSignatures: yield* signRelations(
      { groupAccess, userAccess, accountPrincipals },
      refs,
    ),
    unmanagedAssignments: collected.unmanaged,
  };
}

function* collectAccess(
  records: ProjectionRecords,
  refs: RelationRefs,
  options: MappingOptions,
): Sliced<CollectedAccess> {
  const collected: CollectedAccess = {
    groups: new Map(),
    users: new Map(),
    accounts: new Map(),
    unmanaged: 0,
  };
  const knownAccounts = new Set(records.accounts.map(a => a.id));
  for (const assignment of records.assignments) {
    yield;
    const principal = assignment?.principal;
    if (!assignment || !principal || !isNonEmptyString(assignment.accountId)) {
      continue;
    }
    if (!isNonEmptyString(principal.entraId)) {
      collected.unmanaged += 1;
      continue;
    }
    if (!relatesPrincipal(options, principal.type)) continue;
    const principalRef = addAccess(
      collected,
      assignment,
      principal.entraId,
      refs,
    );
    if (
      options.linkAccountsFromUpstream &&
      principalRef &&
      knownAccounts.has(assignment.accountId)
    ) {
      const principals =
        collected.accounts.get(assignment.accountId) ?? new Set();
      principals.add(principalRef);
      collected.accounts.set(assignment.accountId, principals);
    }
  }
  return collected;
}

/**
 * Whether the catalog carries this kind of principal's relations: every catalog reader sees them, so only what
 * the operator chose (`relations`) is related.
 */
function relatesPrincipal(
  options: MappingOptions,
  type: ProjectionAssignment['principal']['type'],
): boolean {
  if (options.relations === 'all') return true;
  return options.relations === 'groups' && type === 'GROUP';
}

/** Adds one managed assignment to its principal's access; returns the principal's ref when it has one. */
function addAccess(
  collected: CollectedAccess,
  assignment: ProjectionAssignment,
  entraId: string,
  refs: RelationRefs,
): string | undefined {
  const accountRef = refs.accountRefs.get(assignment.accountId);
  if (assignment.principal.type === 'GROUP') {
    const access = accessOf(collected.groups, entraId);
    if (accountRef) {
      access.accounts.add(accountRef);
    }
    const permissionSetRef = refs.permissionSetRefs.get(
      assignment.permissionSetArn,
    );
    if (permissionSetRef) {
      access.permissionSets.add(permissionSetRef);
    }
    return refs.groupRefs.get(entraId);
  }
  if (assignment.principal.type === 'USER') {
    // The catalog relates permission sets to groups only (grantsPermissionSet): a user's assignment adds the account.
    const access = accessOf(collected.users, entraId);
    if (accountRef) {
      access.accounts.add(accountRef);
    }
    return refs.userRefs.get(entraId);
  }
  return undefined;
}

function accessOf(map: Map<string, AccessSets>, id: string): AccessSets {
  let access = map.get(id);
  if (!access) {
    access = { accounts: new Set(), permissionSets: new Set() };
    map.set(id, access);
  }
  return access;
}

function* freezeAll(
  sets: ReadonlyMap<string, AccessSets>,
): Sliced<Map<string, PrincipalAccess>> {
  const frozen = new Map<string, PrincipalAccess>();
  for (const [id, access] of sets) {
    yield;
    frozen.set(id, {
      accounts: [...access.accounts].sort(),
      permissionSets: [...access.permissionSets].sort(),
    });
  }
  return frozen;
}

/** The same access, by entity ref instead of Entra id (principals without a ref are left out). */
function* rekey(
  byId: ReadonlyMap<string, PrincipalAccess>,
  refs: ReadonlyMap<string, string>,
): Sliced<Map<string, PrincipalAccess>> {
  const byRef = new Map<string, PrincipalAccess>();
  for (const [id, access] of byId) {
    yield;
    const ref = refs.get(id);
    if (ref) {
      byRef.set(ref, access);
    }
  }
  return byRef;
}

/** Refresh key → a signature that changes exactly when the relations behind the key change. */
function* signRelations(
  relations: Pick<
    RelationIndex,
    'groupAccess' | 'userAccess' | 'accountPrincipals'
  >,
  refs: RelationRefs,
): Sliced<Map<string, string>> {
  const signatures = new Map<string, string>();
  function* sign(
    byId: ReadonlyMap<string, PrincipalAccess>,
    keyOf: (id: string) => string,
    principalRefs: ReadonlyMap<string, string>,
  ) {
    for (const [id, access] of byId) {
      yield;
      const signature = stableStringify(access);
      signatures.set(keyOf(id), signature);
      const ref = principalRefs.get(id);
      if (ref) {
        signatures.set(refreshKeys.entity(ref), signature);
      }
    }
  }
  yield* sign(relations.groupAccess, refreshKeys.group, refs.groupRefs);
  yield* sign(relations.userAccess, refreshKeys.user, refs.userRefs);
  for (const [accountId, principals] of relations.accountPrincipals) {
    yield;
    signatures.set(refreshKeys.account(accountId), stableStringify(principals));
  }
  return signatures;
}
