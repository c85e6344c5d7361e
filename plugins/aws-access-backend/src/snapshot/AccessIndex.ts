import {
  AccessUser,
  GrantPath,
  GrantState,
  entraGroupEntityRef,
  entraUserEntityRef,
  normalizeEntityName,
} from '@aws-access/plugin-aws-access-common';
import {
  AccountRecord,
  AssignmentRecord,
  EntraChange,
  EntraGroup,
  EntraUser,
  IdcGroup,
  IdcUser,
  PermissionSetRecord,
  Snapshot,
} from './model';

/** Entra's default provisioning interval for the AWS connector: 40 minutes. */
export const DEFAULT_PROVISIONING_INTERVAL_SECONDS = 2400;

/** One way a person reaches a pair, with what each side says about that path. */
export interface AccessPath {
  type: GrantPath['type'];
  name: string;
  entityRef?: string;
  through?: { name: string; entityRef?: string };
  /** AWS lets the person use this path now (Identity Center membership or direct assignment, user enabled). */
  inAws: boolean;
  /** Entra intends this path (enabled user, direct member of an app-assigned group, or direct assignment). */
  inEntra: boolean;
  /** Only through a nested group: never provisioned. */
  nested: boolean;
  entraGroupId?: string;
}

/** A person's access to one (account, permission set), before the time-dependent pending/stuck split. */
export interface PersonGrant {
  accountId: string;
  permissionSetArn: string;
  paths: AccessPath[];
  /** active, revoking, pending (may become stuck with time) or unsupported-nesting */
  baseState: Exclude<GrantState, 'stuck'>;
  /** When the gap between Entra and AWS began (pending and revoking). */
  since?: string;
}

/** Everyone with access, an intended access, or an Identity Center user. */
export interface Person {
  /** Entra object id, or `idc:<user id>` for Identity Center users whose Entra user is gone. */
  key: string;
  entityRef: string;
  displayName: string;
  entraUser?: EntraUser;
  idcUser?: IdcUser;
  grants: PersonGrant[];
}

export interface UnmanagedPrincipalRecord {
  type: 'USER' | 'GROUP';
  id: string;
  name: string;
  assignments: AssignmentRecord[];
}

function pairKey(accountId: string, permissionSetArn: string) {
  return `${accountId}|${permissionSetArn}`;
}

function lower(value: string | undefined) {
  return value?.toLocaleLowerCase('en-US');
}

/** The earliest time among candidates (ISO strings sort chronologically in UTC). */
function earliest(times: Array<string | undefined>): string | undefined {
  return times.filter((t): t is string => Boolean(t)).sort()[0];
}

/**
 * The access index of one snapshot: every person's grants with provenance and state, and the lookups the API
 * serves from. Built once per snapshot version; only the pending → stuck split depends on the clock and is
 * applied when serving (see {@link AccessIndex.stateAt}).
 */
export class AccessIndex {
  readonly snapshot: Snapshot;
  readonly version: number;
  readonly persons: Person[];
  readonly unmanaged: UnmanagedPrincipalRecord[];
  /** Gap keys of this snapshot with the time each gap began (persisted so later runs keep the age). */
  readonly gapsFirstSeen: Record<string, string>;

  readonly accountsById = new Map<string, AccountRecord>();
  readonly permissionSetsByArn = new Map<string, PermissionSetRecord>();
  readonly permissionSetsByName = new Map<string, PermissionSetRecord>();
  readonly entraUsersById = new Map<string, EntraUser>();
  readonly entraGroupsById = new Map<string, EntraGroup>();
  readonly entraGroupsByRef = new Map<string, EntraGroup>();
  readonly idcUsersById = new Map<string, IdcUser>();
  readonly idcGroupsById = new Map<string, IdcGroup>();
  readonly appAssignedGroupIds = new Set<string>();
  readonly appAssignedUserIds = new Set<string>();
  readonly assignmentsByAccount = new Map<string, AssignmentRecord[]>();
  readonly assignmentsByPermissionSet = new Map<string, AssignmentRecord[]>();
  readonly assignmentsByPrincipal = new Map<string, AssignmentRecord[]>();
  /** Entra group id → the Identity Center group SCIM created for it. */
  readonly idcGroupByEntraGroupId = new Map<string, IdcGroup>();
  /** Entra user id → the Identity Center user SCIM created for it. */
  readonly idcUserByEntraUserId = new Map<string, IdcUser>();
  /** Identity Center group id → the Entra group it came from. */
  readonly entraGroupByIdcGroupId = new Map<string, EntraGroup>();
  /** Identity Center user id → the Entra user it came from. */
  readonly entraUserByIdcUserId = new Map<string, EntraUser>();

  readonly #personsByKey = new Map<string, Person>();
  readonly #personsByRef = new Map<string, Person>();
  readonly #personsByLogin = new Map<string, Person>();
  readonly #idcGroupsOfUser = new Map<string, Set<string>>();
  readonly #changes: EntraChange[];

  static build(options: {
    snapshot: Snapshot;
    version: number;
    previousGapsFirstSeen?: Record<string, string>;
  }): AccessIndex {
    return new AccessIndex(options);
  }

  private constructor(options: {
    snapshot: Snapshot;
    version: number;
    previousGapsFirstSeen?: Record<string, string>;
  }) {
    const { snapshot } = options;
    this.snapshot = snapshot;
    this.version = options.version;
    this.#changes = [...snapshot.entra.changes].sort((a, b) => a.at.localeCompare(b.at));
    this.#indexSources();
    const gaps: Record<string, string> = {};
    this.persons = this.#derivePersons(options.previousGapsFirstSeen ?? snapshot.gapsFirstSeen ?? {}, gaps);
    this.gapsFirstSeen = gaps;
    this.unmanaged = this.#findUnmanaged();
  }

  #indexSources() {
    const { entra, aws } = this.snapshot;
    for (const account of aws.accounts) this.accountsById.set(account.id, account);
    for (const ps of aws.permissionSets) {
      this.permissionSetsByArn.set(ps.arn, ps);
      this.permissionSetsByName.set(ps.name, ps);
    }
    for (const user of entra.users) this.entraUsersById.set(user.id, user);
    for (const group of entra.groups) {
      this.entraGroupsById.set(group.id, group);
      this.entraGroupsByRef.set(entraGroupEntityRef(group), group);
    }
    for (const assignment of entra.appAssignments) {
      (assignment.principalType === 'Group' ? this.appAssignedGroupIds : this.appAssignedUserIds).add(
        assignment.principalId,
      );
    }
    for (const user of aws.users) this.idcUsersById.set(user.id, user);
    for (const group of aws.groups) {
      this.idcGroupsById.set(group.id, group);
      for (const memberId of group.memberUserIds) {
        const groups = this.#idcGroupsOfUser.get(memberId) ?? new Set<string>();
        groups.add(group.id);
        this.#idcGroupsOfUser.set(memberId, groups);
      }
    }
    for (const assignment of aws.assignments) {
      push(this.assignmentsByAccount, assignment.accountId, assignment);
      push(this.assignmentsByPermissionSet, assignment.permissionSetArn, assignment);
      push(this.assignmentsByPrincipal, `${assignment.principalType}:${assignment.principalId}`, assignment);
    }

    // Correlate Identity Center objects with Entra objects: ExternalIds first, then UserName = UPN and
    // group DisplayName (objects created before SCIM was switched on).
    const entraUsersByUpn = new Map(entra.users.map(u => [lower(u.userPrincipalName)!, u]));
    const entraGroupsByName = new Map(entra.groups.map(g => [lower(g.displayName)!, g]));
    for (const user of aws.users) {
      const entraUser = user.externalId
        ? this.entraUsersById.get(user.externalId)
        : entraUsersByUpn.get(lower(user.userName)!);
      if (entraUser && !this.idcUserByEntraUserId.has(entraUser.id)) {
        this.idcUserByEntraUserId.set(entraUser.id, user);
        this.entraUserByIdcUserId.set(user.id, entraUser);
      }
    }
    for (const group of aws.groups) {
      const entraGroup = group.externalId
        ? this.entraGroupsById.get(group.externalId)
        : entraGroupsByName.get(lower(group.displayName)!);
      if (entraGroup && !this.idcGroupByEntraGroupId.has(entraGroup.id)) {
        this.idcGroupByEntraGroupId.set(entraGroup.id, group);
        this.entraGroupByIdcGroupId.set(group.id, entraGroup);
      }
    }
  }

  /** Users and groups in an app-assigned group's nesting tree below it, with the nested group they came by. */
  #nestedMembers(assignedGroup: EntraGroup): Map<string, EntraGroup> {
    const viaNested = new Map<string, EntraGroup>();
    const visited = new Set<string>([assignedGroup.id]);
    const queue = assignedGroup.memberGroupIds.map(id => ({ id }));
    while (queue.length > 0) {
      const { id } = queue.shift()!;
      if (visited.has(id)) continue;
      visited.add(id);
      const group = this.entraGroupsById.get(id);
      if (!group) continue;
      for (const userId of group.memberUserIds) {
        if (!viaNested.has(userId)) viaNested.set(userId, group);
      }
      for (const childId of group.memberGroupIds) queue.push({ id: childId });
    }
    return viaNested;
  }

  #pairsOfPrincipal(type: 'USER' | 'GROUP', id: string | undefined): AssignmentRecord[] {
    return id ? this.assignmentsByPrincipal.get(`${type}:${id}`) ?? [] : [];
  }

  #derivePersons(previousGaps: Record<string, string>, gaps: Record<string, string>): Person[] {
    type Working = { person: Person; pairs: Map<string, { accountId: string; permissionSetArn: string; paths: Map<string, AccessPath> }> };
    const working = new Map<string, Working>();

    const personFor = (entraUser: EntraUser | undefined, idcUser: IdcUser | undefined): Working => {
      const key = entraUser ? entraUser.id : `idc:${idcUser!.id}`;
      let entry = working.get(key);
      if (!entry) {
        const entityRef = entraUser
          ? entraUserEntityRef(entraUser)
          : `user:default/${normalizeEntityName(idcUser!.userName)}`;
        entry = {
          person: {
            key,
            entityRef,
            displayName: entraUser?.displayName ?? idcUser?.displayName ?? idcUser!.userName,
            entraUser,
            idcUser,
            grants: [],
          },
          pairs: new Map(),
        };
        working.set(key, entry);
      }
      return entry;
    };

    const addPath = (
      entry: Working,
      assignment: AssignmentRecord,
      pathKey: string,
      make: () => Omit<AccessPath, 'inAws' | 'inEntra' | 'nested'>,
      flags: Partial<Pick<AccessPath, 'inAws' | 'inEntra' | 'nested'>>,
    ) => {
      const key = pairKey(assignment.accountId, assignment.permissionSetArn);
      let pair = entry.pairs.get(key);
      if (!pair) {
        pair = { accountId: assignment.accountId, permissionSetArn: assignment.permissionSetArn, paths: new Map() };
        entry.pairs.set(key, pair);
      }
      let path = pair.paths.get(pathKey);
      if (!path) {
        path = { ...make(), inAws: false, inEntra: false, nested: false };
        pair.paths.set(pathKey, path);
      }
      path.inAws ||= Boolean(flags.inAws);
      path.inEntra ||= Boolean(flags.inEntra);
      path.nested ||= Boolean(flags.nested);
    };

    const groupPath = (idcGroup: IdcGroup, entraGroup?: EntraGroup) => () =>
      entraGroup
        ? { type: 'group' as const, name: entraGroup.displayName, entityRef: entraGroupEntityRef(entraGroup), entraGroupId: entraGroup.id }
        : { type: 'idc-group' as const, name: idcGroup.displayName };

    const entraGroupOfIdcGroup = this.entraGroupByIdcGroupId;
    const entraUserOfIdcUser = this.entraUserByIdcUserId;

    // aws(u): enabled Identity Center users, through their group memberships and direct assignments.
    for (const idcUser of this.snapshot.aws.users) {
      const entraUser = entraUserOfIdcUser.get(idcUser.id);
      if (!entraUser && !idcUser.externalId) continue; // unmanaged: reported separately
      const entry = personFor(entraUser, idcUser);
      entry.person.idcUser = idcUser;
      if (idcUser.status !== 'ENABLED') continue;
      for (const idcGroupId of this.#idcGroupsOfUser.get(idcUser.id) ?? []) {
        const idcGroup = this.idcGroupsById.get(idcGroupId)!;
        for (const assignment of this.#pairsOfPrincipal('GROUP', idcGroupId)) {
          addPath(entry, assignment, `group:${idcGroupId}`, groupPath(idcGroup, entraGroupOfIdcGroup.get(idcGroupId)), {
            inAws: true,
          });
        }
      }
      for (const assignment of this.#pairsOfPrincipal('USER', idcUser.id)) {
        addPath(entry, assignment, 'user', () => ({ type: 'user', name: entraUser?.displayName ?? idcUser.userName }), {
          inAws: true,
        });
      }
    }

    // entra(u) and nested(u): enabled Entra users through app-assigned groups (direct members only; SCIM to AWS
    // never flattens nesting) and direct app assignments.
    const inScope = new Set<string>(this.appAssignedUserIds);
    for (const groupId of this.appAssignedGroupIds) {
      const group = this.entraGroupsById.get(groupId);
      if (!group) continue;
      const idcGroup = this.idcGroupByEntraGroupId.get(groupId);
      const assignments = this.#pairsOfPrincipal('GROUP', idcGroup?.id);
      const directMembers = new Set(group.memberUserIds);
      for (const userId of group.memberUserIds) {
        inScope.add(userId);
        const entraUser = this.entraUsersById.get(userId);
        if (!entraUser?.accountEnabled) continue;
        const entry = personFor(entraUser, this.idcUserByEntraUserId.get(userId));
        for (const assignment of assignments) {
          addPath(entry, assignment, `group:${idcGroup!.id}`, groupPath(idcGroup!, group), { inEntra: true });
        }
      }
      for (const [userId, nestedGroup] of this.#nestedMembers(group)) {
        if (directMembers.has(userId)) continue;
        const entraUser = this.entraUsersById.get(userId);
        if (!entraUser?.accountEnabled) continue;
        const entry = personFor(entraUser, this.idcUserByEntraUserId.get(userId));
        for (const assignment of assignments) {
          addPath(
            entry,
            assignment,
            `nested:${nestedGroup.id}:${group.id}`,
            () => ({
              type: 'nested-group',
              name: nestedGroup.displayName,
              entityRef: entraGroupEntityRef(nestedGroup),
              through: { name: group.displayName, entityRef: entraGroupEntityRef(group) },
              entraGroupId: nestedGroup.id,
            }),
            { nested: true },
          );
        }
      }
    }
    for (const userId of inScope) {
      const entraUser = this.entraUsersById.get(userId);
      const idcUser = this.idcUserByEntraUserId.get(userId);
      if (!entraUser?.accountEnabled || !idcUser) continue;
      const entry = personFor(entraUser, idcUser);
      for (const assignment of this.#pairsOfPrincipal('USER', idcUser.id)) {
        addPath(entry, assignment, 'user', () => ({ type: 'user', name: entraUser.displayName }), { inEntra: true });
      }
    }

    const persons: Person[] = [];
    for (const { person, pairs } of working.values()) {
      for (const pair of pairs.values()) {
        const paths = [...pair.paths.values()];
        const inAws = paths.some(p => p.inAws);
        const inEntra = paths.some(p => p.inEntra);
        let baseState: PersonGrant['baseState'];
        if (inAws && inEntra) baseState = 'active';
        else if (inAws) baseState = 'revoking';
        else if (inEntra) baseState = 'pending';
        else baseState = 'unsupported-nesting';

        let since: string | undefined;
        if (baseState === 'pending' || baseState === 'revoking') {
          const gapKey = `${person.key}|${pair.accountId}|${pair.permissionSetArn}|${baseState}`;
          const fromAudit = this.#gapStartFromAudit(person, paths, baseState);
          since = fromAudit ?? previousGaps[gapKey] ?? this.snapshot.readAt;
          gaps[gapKey] = previousGaps[gapKey] ?? fromAudit ?? this.snapshot.readAt;
        }
        person.grants.push({ accountId: pair.accountId, permissionSetArn: pair.permissionSetArn, paths, baseState, since });
      }
      person.grants.sort(
        (a, b) =>
          (this.accountsById.get(a.accountId)?.name ?? a.accountId).localeCompare(
            this.accountsById.get(b.accountId)?.name ?? b.accountId,
          ) ||
          (this.permissionSetsByArn.get(a.permissionSetArn)?.name ?? '').localeCompare(
            this.permissionSetsByArn.get(b.permissionSetArn)?.name ?? '',
          ),
      );
      persons.push(person);
      this.#personsByKey.set(person.key, person);
      this.#personsByRef.set(person.entityRef, person);
      for (const login of [person.entraUser?.mail, person.entraUser?.userPrincipalName, person.idcUser?.userName]) {
        if (login) this.#personsByLogin.set(lower(login)!, person);
      }
    }
    // Entra users without any AWS relation still resolve (their page says "no access").
    for (const user of this.snapshot.entra.users) {
      if (this.#personsByKey.has(user.id)) continue;
      const person: Person = {
        key: user.id,
        entityRef: entraUserEntityRef(user),
        displayName: user.displayName,
        entraUser: user,
        idcUser: this.idcUserByEntraUserId.get(user.id),
        grants: [],
      };
      this.#personsByKey.set(person.key, person);
      if (!this.#personsByRef.has(person.entityRef)) this.#personsByRef.set(person.entityRef, person);
      for (const login of [user.mail, user.userPrincipalName]) {
        if (login && !this.#personsByLogin.has(lower(login)!)) this.#personsByLogin.set(lower(login)!, person);
      }
    }
    return persons;
  }

  /**
   * When Entra recorded the change that opened a gap: the latest membership addition (pending) or removal,
   * disabling or deletion (revoking) among the person's paths.
   */
  #gapStartFromAudit(person: Person, paths: AccessPath[], state: 'pending' | 'revoking'): string | undefined {
    const userId = person.entraUser?.id;
    if (!userId) return undefined;
    // Only Entra's own audit times: changes our delta reads observed are no more exact than gapsFirstSeen.
    const relevant = this.#changes.filter(change => change.userId === userId && change.source !== 'delta');
    const times: Array<string | undefined> = [];
    for (const path of paths) {
      const wanted = state === 'pending' ? path.inEntra && !path.inAws : path.inAws && !path.inEntra;
      if (!wanted) continue;
      const kinds: EntraChange['kind'][] = state === 'pending' ? ['member-added', 'user-created', 'user-enabled'] : ['member-removed', 'user-disabled', 'user-deleted'];
      const matching = relevant.filter(
        change => kinds.includes(change.kind) && (!change.groupId || change.groupId === path.entraGroupId),
      );
      times.push(matching.length > 0 ? matching[matching.length - 1].at : undefined);
    }
    // The gap of the pair began when its first path opened.
    return earliest(times);
  }

  #findUnmanaged(): UnmanagedPrincipalRecord[] {
    const managedUsers = new Set([...this.idcUserByEntraUserId.values()].map(u => u.id));
    const managedGroups = new Set([...this.idcGroupByEntraGroupId.values()].map(g => g.id));
    const unmanaged: UnmanagedPrincipalRecord[] = [];
    for (const user of this.snapshot.aws.users) {
      if (managedUsers.has(user.id) || user.externalId) continue;
      const groupAssignments = [...(this.#idcGroupsOfUser.get(user.id) ?? [])].flatMap(groupId =>
        this.#pairsOfPrincipal('GROUP', groupId),
      );
      unmanaged.push({
        type: 'USER',
        id: user.id,
        name: user.userName,
        assignments: [...this.#pairsOfPrincipal('USER', user.id), ...groupAssignments],
      });
    }
    for (const group of this.snapshot.aws.groups) {
      if (managedGroups.has(group.id) || group.externalId) continue;
      unmanaged.push({ type: 'GROUP', id: group.id, name: group.displayName, assignments: this.#pairsOfPrincipal('GROUP', group.id) });
    }
    return unmanaged;
  }

  /** Provisioning interval in seconds (Entra's default when the job does not say). */
  get provisioningIntervalSeconds(): number {
    return this.snapshot.entra.provisioning.intervalSeconds ?? DEFAULT_PROVISIONING_INTERVAL_SECONDS;
  }

  /** Whether provisioning will deliver pending changes at all. */
  get provisioningBlocked(): boolean {
    return ['Quarantine', 'Paused', 'NotConfigured'].includes(this.snapshot.entra.provisioning.status);
  }

  /**
   * The state of a grant at a moment: pending becomes stuck once the gap is older than two provisioning cycles,
   * or at once when the provisioning job is quarantined or paused.
   */
  stateAt(grant: PersonGrant, now: Date): GrantState {
    if (grant.baseState !== 'pending') return grant.baseState;
    if (this.provisioningBlocked) return 'stuck';
    const since = grant.since ? Date.parse(grant.since) : now.getTime();
    return now.getTime() - since > 2 * this.provisioningIntervalSeconds * 1000 ? 'stuck' : 'pending';
  }

  /** The state of one path at a moment. */
  pathStateAt(grant: PersonGrant, path: AccessPath, now: Date): GrantState {
    if (path.inAws && path.inEntra) return 'active';
    if (path.inAws) return 'revoking';
    if (path.inEntra) return this.stateAt({ ...grant, baseState: 'pending' }, now);
    return 'unsupported-nesting';
  }

  /** The next provisioning cycle at or after `after`, from the job's last cycle and interval. */
  nextCycleAt(after: Date): string | undefined {
    const job = this.snapshot.entra.provisioning;
    const last = job.lastCycleStartedAt ?? job.lastCycleEndedAt;
    if (!last || this.provisioningBlocked) return undefined;
    const interval = this.provisioningIntervalSeconds * 1000;
    let next = Date.parse(last) + interval;
    if (next < after.getTime()) {
      next += Math.ceil((after.getTime() - next) / interval) * interval;
    }
    return new Date(next).toISOString();
  }

  personByKey(key: string): Person | undefined {
    return this.#personsByKey.get(key);
  }

  personByEntityRef(entityRef: string): Person | undefined {
    return this.#personsByRef.get(entityRef.toLocaleLowerCase('en-US'));
  }

  personByLogin(mailOrUpn: string): Person | undefined {
    return this.#personsByLogin.get(lower(mailOrUpn)!);
  }

  /** Users in a group, including members of groups nested in it (a team with sub-teams). */
  transitiveUserIds(group: EntraGroup): string[] {
    const users = new Set(group.memberUserIds);
    for (const userId of this.#nestedMembers(group).keys()) users.add(userId);
    return [...users];
  }

  /** The AccessUser shape of a person. */
  accessUser(person: Person): AccessUser {
    return {
      entityRef: person.entityRef,
      displayName: person.displayName,
      userPrincipalName: person.entraUser?.userPrincipalName ?? person.idcUser?.userName,
      mail: person.entraUser?.mail,
      entraId: person.entraUser?.id,
    };
  }

  /** Identity Center groups an Identity Center user is a member of. */
  idcGroupsOfUser(idcUserId: string): IdcGroup[] {
    return [...(this.#idcGroupsOfUser.get(idcUserId) ?? [])].map(id => this.idcGroupsById.get(id)!);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
