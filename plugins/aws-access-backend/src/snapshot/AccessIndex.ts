import type {
  AccessUser,
  GrantPath,
  GrantState,
} from '@aws-access/plugin-aws-access-common';
import {
  entraGroupEntityRef,
  entraUserEntityRef,
  normalizeEntityName,
} from '@aws-access/plugin-aws-access-common';
import type {
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

/** Pair ids are account × stride + permission set; AWS allows far fewer permission sets per instance. */
const PAIR_ID_STRIDE = 1 << 20;

/**
 * Each key's rank in the order of its label (localeCompare); keys with equal labels share a rank, so a sort by
 * rank is the sort by label.
 */
function rankBy(
  keys: Iterable<string>,
  label: (key: string) => string,
): Map<string, number> {
  const labelled = [...keys]
    .map(key => ({ key, label: label(key) }))
    .sort((a, b) => a.label.localeCompare(b.label));
  const ranks = new Map<string, number>();
  labelled.forEach((entry, i) => {
    const tied =
      i > 0 && entry.label.localeCompare(labelled[i - 1].label) === 0;
    ranks.set(entry.key, tied ? ranks.get(labelled[i - 1].key)! : i);
  });
  return ranks;
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
  #snapshot: Snapshot;
  #version: number;
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
  /** Entra's own audited changes (not those our delta reads observed) per user, oldest first. */
  readonly #auditedChangesByUser = new Map<string, EntraChange[]>();
  readonly #pairIds = {
    accounts: new Map<string, number>(),
    permissionSets: new Map<string, number>(),
  };

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
    this.#snapshot = snapshot;
    this.#version = options.version;
    for (const change of [...snapshot.entra.changes].sort((a, b) =>
      a.at.localeCompare(b.at),
    )) {
      if (change.userId && change.source !== 'delta')
        push(this.#auditedChangesByUser, change.userId, change);
    }
    this.#indexSources();
    const gaps: Record<string, string> = {};
    this.persons = this.#derivePersons(
      options.previousGapsFirstSeen ?? snapshot.gapsFirstSeen ?? {},
      gaps,
    );
    this.gapsFirstSeen = gaps;
    this.unmanaged = this.#findUnmanaged();
  }

  #indexSources() {
    const { entra, aws } = this.snapshot;
    for (const account of aws.accounts)
      this.accountsById.set(account.id, account);
    for (const ps of aws.permissionSets) {
      this.permissionSetsByArn.set(ps.arn, ps);
      this.permissionSetsByName.set(ps.name, ps);
    }
    for (const user of entra.users) this.entraUsersById.set(user.id, user);
    for (const group of entra.groups) {
      this.entraGroupsById.set(group.id, group);
      // Two groups can normalize to one ref ("Team A", "team_a"). The catalog module keeps the one with the
      // smallest id under that ref, and so do we: a ref (and the membership claims made of it) means one group.
      const ref = entraGroupEntityRef(group);
      const holder = this.entraGroupsByRef.get(ref);
      if (!holder || group.id.localeCompare(holder.id) < 0)
        this.entraGroupsByRef.set(ref, group);
    }
    for (const assignment of entra.appAssignments) {
      (assignment.principalType === 'Group'
        ? this.appAssignedGroupIds
        : this.appAssignedUserIds
      ).add(assignment.principalId);
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
      push(
        this.assignmentsByPermissionSet,
        assignment.permissionSetArn,
        assignment,
      );
      push(
        this.assignmentsByPrincipal,
        `${assignment.principalType}:${assignment.principalId}`,
        assignment,
      );
    }

    // Correlate Identity Center objects with Entra objects: ExternalIds first, then UserName = UPN and
    // group DisplayName (objects created before SCIM was switched on).
    const entraUsersByUpn = new Map(
      entra.users.map(u => [lower(u.userPrincipalName)!, u]),
    );
    const entraGroupsByName = new Map(
      entra.groups.map(g => [lower(g.displayName)!, g]),
    );
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

  /** A number naming an assignment's (account, permission set) pair within this index. */
  #pairId(assignment: AssignmentRecord): number {
    const { accounts, permissionSets } = this.#pairIds;
    let account = accounts.get(assignment.accountId);
    if (account === undefined)
      accounts.set(assignment.accountId, (account = accounts.size));
    let permissionSet = permissionSets.get(assignment.permissionSetArn);
    if (permissionSet === undefined)
      permissionSets.set(
        assignment.permissionSetArn,
        (permissionSet = permissionSets.size),
      );
    return account * PAIR_ID_STRIDE + permissionSet;
  }

  #pairsOfPrincipal(
    type: 'USER' | 'GROUP',
    id: string | undefined,
  ): AssignmentRecord[] {
    return id ? this.assignmentsByPrincipal.get(`${type}:${id}`) ?? [] : [];
  }

  #derivePersons(
    previousGaps: Record<string, string>,
    gaps: Record<string, string>,
  ): Person[] {
    // Hot path: at 20,000 people this runs about two million times per snapshot. Pairs are keyed by a number and
    // paths by a shared description object, so no key string is built per call; paths per pair are few, so an
    // array beats a Map there.
    type PathTemplate = Omit<AccessPath, 'inAws' | 'inEntra' | 'nested'>;
    type WorkingPair = {
      accountId: string;
      permissionSetArn: string;
      templates: PathTemplate[];
      paths: AccessPath[];
    };
    type Working = {
      person: Person;
      pairs: Map<number, WorkingPair>;
      userPath?: PathTemplate;
    };
    const working = new Map<string, Working>();

    const personFor = (
      entraUser: EntraUser | undefined,
      idcUser: IdcUser | undefined,
    ): Working => {
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
            displayName:
              entraUser?.displayName ??
              idcUser?.displayName ??
              idcUser!.userName,
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
      template: PathTemplate,
      side: 'inAws' | 'inEntra' | 'nested',
    ) => {
      const id = this.#pairId(assignment);
      let pair = entry.pairs.get(id);
      if (!pair) {
        pair = {
          accountId: assignment.accountId,
          permissionSetArn: assignment.permissionSetArn,
          templates: [],
          paths: [],
        };
        entry.pairs.set(id, pair);
      }
      const at = pair.templates.indexOf(template);
      let path: AccessPath;
      if (at >= 0) {
        path = pair.paths[at];
      } else {
        path = {
          type: template.type,
          name: template.name,
          entityRef: template.entityRef,
          through: template.through,
          entraGroupId: template.entraGroupId,
          inAws: false,
          inEntra: false,
          nested: false,
        };
        pair.templates.push(template);
        pair.paths.push(path);
      }
      path[side] = true;
    };

    // One description per Identity Center group, shared by the AWS side and the Entra side of the same path.
    const groupTemplates = new Map<string, PathTemplate>();
    const groupTemplate = (idcGroup: IdcGroup): PathTemplate => {
      let template = groupTemplates.get(idcGroup.id);
      if (!template) {
        const entraGroup = this.entraGroupByIdcGroupId.get(idcGroup.id);
        template = entraGroup
          ? {
              type: 'group',
              name: entraGroup.displayName,
              entityRef: entraGroupEntityRef(entraGroup),
              entraGroupId: entraGroup.id,
            }
          : { type: 'idc-group', name: idcGroup.displayName };
        groupTemplates.set(idcGroup.id, template);
      }
      return template;
    };
    const userTemplate = (entry: Working, name: string): PathTemplate => {
      entry.userPath ??= { type: 'user', name };
      return entry.userPath;
    };

    // aws(u): enabled Identity Center users, through their group memberships and direct assignments.
    for (const idcUser of this.snapshot.aws.users) {
      const entraUser = this.entraUserByIdcUserId.get(idcUser.id);
      if (!entraUser && !idcUser.externalId) continue; // unmanaged: reported separately
      const entry = personFor(entraUser, idcUser);
      entry.person.idcUser = idcUser;
      if (idcUser.status !== 'ENABLED') continue;
      for (const idcGroupId of this.#idcGroupsOfUser.get(idcUser.id) ?? []) {
        const template = groupTemplate(this.idcGroupsById.get(idcGroupId)!);
        for (const assignment of this.#pairsOfPrincipal('GROUP', idcGroupId))
          addPath(entry, assignment, template, 'inAws');
      }
      for (const assignment of this.#pairsOfPrincipal('USER', idcUser.id)) {
        addPath(
          entry,
          assignment,
          userTemplate(entry, entraUser?.displayName ?? idcUser.userName),
          'inAws',
        );
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
        const entry = personFor(
          entraUser,
          this.idcUserByEntraUserId.get(userId),
        );
        for (const assignment of assignments)
          addPath(entry, assignment, groupTemplate(idcGroup!), 'inEntra');
      }
      const nestedTemplates = new Map<string, PathTemplate>();
      for (const [userId, nestedGroup] of this.#nestedMembers(group)) {
        if (directMembers.has(userId)) continue;
        const entraUser = this.entraUsersById.get(userId);
        if (!entraUser?.accountEnabled) continue;
        const entry = personFor(
          entraUser,
          this.idcUserByEntraUserId.get(userId),
        );
        let template = nestedTemplates.get(nestedGroup.id);
        if (!template) {
          template = {
            type: 'nested-group',
            name: nestedGroup.displayName,
            entityRef: entraGroupEntityRef(nestedGroup),
            through: {
              name: group.displayName,
              entityRef: entraGroupEntityRef(group),
            },
            entraGroupId: nestedGroup.id,
          };
          nestedTemplates.set(nestedGroup.id, template);
        }
        for (const assignment of assignments)
          addPath(entry, assignment, template, 'nested');
      }
    }
    for (const userId of inScope) {
      const entraUser = this.entraUsersById.get(userId);
      const idcUser = this.idcUserByEntraUserId.get(userId);
      if (!entraUser?.accountEnabled || !idcUser) continue;
      const entry = personFor(entraUser, idcUser);
      for (const assignment of this.#pairsOfPrincipal('USER', idcUser.id)) {
        addPath(
          entry,
          assignment,
          userTemplate(entry, entraUser.displayName),
          'inEntra',
        );
      }
    }

    const accountRank = rankBy(
      this.#pairIds.accounts.keys(),
      id => this.accountsById.get(id)?.name ?? id,
    );
    const permissionSetRank = rankBy(
      this.#pairIds.permissionSets.keys(),
      arn => this.permissionSetsByArn.get(arn)?.name ?? '',
    );
    const persons: Person[] = [];
    for (const { person, pairs } of working.values()) {
      for (const pair of pairs.values()) {
        const paths = pair.paths;
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
          gaps[gapKey] =
            previousGaps[gapKey] ?? fromAudit ?? this.snapshot.readAt;
        }
        person.grants.push({
          accountId: pair.accountId,
          permissionSetArn: pair.permissionSetArn,
          paths,
          baseState,
          since,
        });
      }
      // By account name, then permission set name.
      person.grants.sort(
        (a, b) =>
          accountRank.get(a.accountId)! - accountRank.get(b.accountId)! ||
          permissionSetRank.get(a.permissionSetArn)! -
            permissionSetRank.get(b.permissionSetArn)!,
      );
      persons.push(person);
      this.#personsByKey.set(person.key, person);
      this.#personsByRef.set(person.entityRef, person);
      for (const login of [
        person.entraUser?.mail,
        person.entraUser?.userPrincipalName,
        person.idcUser?.userName,
      ]) {
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
      if (!this.#personsByRef.has(person.entityRef))
        this.#personsByRef.set(person.entityRef, person);
      for (const login of [user.mail, user.userPrincipalName]) {
        if (login && !this.#personsByLogin.has(lower(login)!))
          this.#personsByLogin.set(lower(login)!, person);
      }
    }
    return persons;
  }

  /**
   * When Entra recorded the change that opened a gap: the latest membership addition (pending) or removal,
   * disabling or deletion (revoking) among the person's paths.
   */
  #gapStartFromAudit(
    person: Person,
    paths: AccessPath[],
    state: 'pending' | 'revoking',
  ): string | undefined {
    const userId = person.entraUser?.id;
    if (!userId) return undefined;
    // Only Entra's own audit times: changes our delta reads observed are no more exact than gapsFirstSeen.
    const relevant = this.#auditedChangesByUser.get(userId) ?? [];
    const times: Array<string | undefined> = [];
    for (const path of paths) {
      const wanted =
        state === 'pending'
          ? path.inEntra && !path.inAws
          : path.inAws && !path.inEntra;
      if (!wanted) continue;
      const kinds: EntraChange['kind'][] =
        state === 'pending'
          ? ['member-added', 'user-created', 'user-enabled']
          : ['member-removed', 'user-disabled', 'user-deleted'];
      const matching = relevant.filter(
        change =>
          kinds.includes(change.kind) &&
          (!change.groupId || change.groupId === path.entraGroupId),
      );
      times.push(
        matching.length > 0 ? matching[matching.length - 1].at : undefined,
      );
    }
    // The gap of the pair began when its first path opened.
    return earliest(times);
  }

  #findUnmanaged(): UnmanagedPrincipalRecord[] {
    const managedUsers = new Set(
      [...this.idcUserByEntraUserId.values()].map(u => u.id),
    );
    const managedGroups = new Set(
      [...this.idcGroupByEntraGroupId.values()].map(g => g.id),
    );
    const unmanaged: UnmanagedPrincipalRecord[] = [];
    for (const user of this.snapshot.aws.users) {
      if (managedUsers.has(user.id) || user.externalId) continue;
      const groupAssignments = [
        ...(this.#idcGroupsOfUser.get(user.id) ?? []),
      ].flatMap(groupId => this.#pairsOfPrincipal('GROUP', groupId));
      unmanaged.push({
        type: 'USER',
        id: user.id,
        name: user.userName,
        assignments: [
          ...this.#pairsOfPrincipal('USER', user.id),
          ...groupAssignments,
        ],
      });
    }
    for (const group of this.snapshot.aws.groups) {
      if (managedGroups.has(group.id) || group.externalId) continue;
      unmanaged.push({
        type: 'GROUP',
        id: group.id,
        name: group.displayName,
        assignments: this.#pairsOfPrincipal('GROUP', group.id),
      });
    }
    return unmanaged;
  }

  /** The snapshot this index was built from. */
  get snapshot(): Snapshot {
    return this.#snapshot;
  }

  /** The committed version of the snapshot; 0 while it is not committed. */
  get version(): number {
    return this.#version;
  }

  /**
   * Names the version a sync committed this index's snapshot under. `committed` is the snapshot as stored: the
   * same sources, plus the gap ages and observations derived from this index.
   */
  markCommitted(version: number, committed: Snapshot): this {
    if (this.#version !== 0)
      throw new Error(
        `Access index is already committed as version ${this.#version}`,
      );
    if (committed.readAt !== this.#snapshot.readAt)
      throw new Error('Access index marked committed with another snapshot');
    this.#version = version;
    this.#snapshot = committed;
    return this;
  }

  /** Provisioning interval in seconds (Entra's default when the job does not say). */
  get provisioningIntervalSeconds(): number {
    return (
      this.snapshot.entra.provisioning.intervalSeconds ??
      DEFAULT_PROVISIONING_INTERVAL_SECONDS
    );
  }

  /** Whether provisioning will deliver pending changes at all. */
  get provisioningBlocked(): boolean {
    return ['Quarantine', 'Paused', 'NotConfigured'].includes(
      this.snapshot.entra.provisioning.status,
    );
  }

  /**
   * The state of a grant at a moment: pending becomes stuck once the gap is older than two provisioning cycles,
   * or at once when the provisioning job is quarantined or paused.
   */
  stateAt(grant: PersonGrant, now: Date): GrantState {
    if (grant.baseState !== 'pending') return grant.baseState;
    if (this.provisioningBlocked) return 'stuck';
    const since = grant.since ? Date.parse(grant.since) : now.getTime();
    return now.getTime() - since > 2 * this.provisioningIntervalSeconds * 1000
      ? 'stuck'
      : 'pending';
  }

  /** The state of one path at a moment. */
  pathStateAt(grant: PersonGrant, path: AccessPath, now: Date): GrantState {
    if (path.inAws && path.inEntra) return 'active';
    if (path.inAws) return 'revoking';
    if (path.inEntra)
      return this.stateAt({ ...grant, baseState: 'pending' }, now);
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
      userPrincipalName:
        person.entraUser?.userPrincipalName ?? person.idcUser?.userName,
      mail: person.entraUser?.mail,
      entraId: person.entraUser?.id,
    };
  }

  /** Identity Center groups an Identity Center user is a member of. */
  idcGroupsOfUser(idcUserId: string): IdcGroup[] {
    return [...(this.#idcGroupsOfUser.get(idcUserId) ?? [])].map(
      id => this.idcGroupsById.get(id)!,
    );
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
