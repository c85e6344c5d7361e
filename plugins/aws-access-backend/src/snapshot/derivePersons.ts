import type { GrantPath } from '@aws-access/plugin-aws-access-common';
import {
  entraGroupEntityRef,
  entraUserEntityRef,
  normalizeEntityName,
} from '@aws-access/plugin-aws-access-common';
import type { BaseState, GrantFacts } from './grantState';
import { baseStateOf, isGap } from './grantState';
import type { SnapshotLookups } from './SnapshotLookups';
import { push } from './SnapshotLookups';
import type {
  AssignmentRecord,
  IdcGroup,
  IdcUser,
  IdentityChange,
  IdentityGroup,
  IdentityUser,
  Snapshot,
} from './model';
import type { Sliced } from './slices';
import type {
  PreviousDerivation,
  VisitKind,
  VisitSubject,
} from './personInputs';
import { VisitChanges, visitSubject } from './personInputs';

/** One way a person reaches a pair, with what each side says about that path (its {@link GrantFacts}). */
export interface AccessPath extends GrantFacts {
  type: GrantPath['type'];
  name: string;
  entityRef?: string;
  through?: { name: string; entityRef?: string };
  identityGroupId?: string;
}

/** A person's access to one (account, permission set), before the time-dependent pending/stuck split. */
export interface PersonGrant {
  accountId: string;
  permissionSetArn: string;
  paths: AccessPath[];
  baseState: BaseState;
  /** When the gap between the identity source and AWS began (pending and revoking). */
  since?: string;
}

/** Everyone with access, an intended access, or an Identity Center user. */
export interface Person {
  /** Identity source object id, or `idc:<user id>` for Identity Center users whose source user is gone. */
  key: string;
  entityRef: string;
  displayName: string;
  identityUser?: IdentityUser;
  idcUser?: IdcUser;
  grants: PersonGrant[];
}

/** Pair ids are account × stride + permission set; AWS allows far fewer permission sets per instance. */
const PAIR_ID_STRIDE = 1 << 20;

/** A path's description, shared by every person and pair it applies to; the facts are per pair. */
type PathTemplate = Omit<AccessPath, keyof GrantFacts>;
type WorkingPair = {
  accountId: string;
  permissionSetArn: string;
  /** The first path's template and facts (as {@link FACT_BITS}): most pairs are reached one way only. */
  template: PathTemplate;
  facts: number;
  /** The other paths, in the order they were found. */
  more: Array<{ template: PathTemplate; facts: number }> | undefined;
};

/** A path's facts as bits: each of the 8 combinations of one template is one shared path object. */
const FACT_BITS: Record<keyof GrantFacts, number> = {
  inAws: 1,
  intended: 2,
  nested: 4,
};

/** The fact each kind of visit adds. */
const VISIT_FACTS: Record<VisitKind, keyof GrantFacts> = {
  'idc-group': 'inAws',
  'idc-user': 'inAws',
  'scoped-group': 'intended',
  'scoped-user': 'intended',
  'nested-group': 'nested',
};
/**
 * One place the walk met a person: a principal's assignments, added with one path description and one fact
 * (personInputs.ts). The template is absent only when there are no assignments (an in-scope group without an
 * Identity Center group).
 */
type Visit = {
  subject: VisitSubject;
  /** The user path's name, for the visits of the person's own assignments. */
  label?: string;
  assignments: readonly AssignmentRecord[];
  template?: PathTemplate;
  fact: keyof GrantFacts;
};
type Working = {
  person: Person;
  visits: Visit[];
  userPath?: PathTemplate;
};

/** A person's visits in order, with their user path's name: equal traces and visits give equal grants. */
function traceOf(visits: Visit[]): string {
  return visits
    .map(visit =>
      visit.label === undefined
        ? visit.subject.key
        : `${visit.subject.key}\t${JSON.stringify(visit.label)}`,
    )
    .join('\n');
}

/** What opens each kind of gap: the changes that open it, and the paths it is open on. */
const GAP_OPENERS: Record<
  'pending' | 'revoking',
  {
    kinds: Array<IdentityChange['kind']>;
    openOn: (path: GrantFacts) => boolean;
  }
> = {
  pending: {
    kinds: ['member-added', 'user-created', 'user-enabled'],
    openOn: path => path.intended && !path.inAws,
  },
  revoking: {
    kinds: ['member-removed', 'user-disabled', 'user-deleted'],
    openOn: path => path.inAws && !path.intended,
  },
};

/**
 * Every person's grants with their paths and base state, from a snapshot's lookups:
 *
 * - in AWS: enabled Identity Center users, through their group memberships and direct assignments;
 * - intended: enabled users of the identity source through in-scope groups (direct members only: SCIM to AWS never
 *   flattens nesting) and direct scope;
 * - nested: users only in a group nested in an in-scope group.
 *
 * Hot path: at 20,000 people this adds about two million paths. Pairs are keyed by a number and paths by a
 * shared description object, so no key string is built per path; paths per pair are few, so an array beats a Map.
 * A path is its description plus three facts, so the finished paths are shared objects, one per description and
 * facts (a few thousand), not two million, and the grants reached one way only (nearly all) share one array per
 * path: the index is read-only once derived. At 20,000 people that keeps the index at about 80 MB.
 *
 * The index is read-only, so equal grants are one object and equal grant lists one array as well: the members of
 * a group hold the same grants. At 100,000 people a heap snapshot held 880,893 grant objects, one per person and
 * pair, for every major GC to mark while a sync reads (README, "What a block while reading is").
 */
export class PersonDerivation {
  readonly #lookups: SnapshotLookups;
  readonly #snapshot: Snapshot;
  readonly #previous?: PreviousDerivation;
  readonly #working = new Map<string, Working>();
  readonly #pairIds = {
    accounts: new Map<string, number>(),
    permissionSets: new Map<string, number>(),
  };
  readonly #groupTemplates = new Map<string, PathTemplate>();
  /** The one subject of the visits through each Identity Center group: every member's visit shares it. */
  readonly #idcGroupSubjects = new Map<string, VisitSubject>();
  /** The finished path of each template and facts. */
  readonly #sharedPaths = new Map<PathTemplate, AccessPath[]>();
  /** The paths of a grant reached one way only (nearly all of them), one array per path. */
  readonly #onlyPaths = new Map<AccessPath, AccessPath[]>();
  /** A number per finished path, naming a grant's several paths in {@link #sharedGrants}' keys. */
  readonly #pathNumbers = new Map<AccessPath, number>();
  /**
   * The one grant object per pair, paths and base state (before gap starts), by pair id, then by its only path or
   * its paths' numbers: the members of a group share their grants through it. Numbered for {@link #sharedLists}.
   */
  readonly #sharedGrants = new Map<
    number,
    Map<AccessPath | string, { grant: PersonGrant; number: number }>
  >();
  /** The one grant list per sequence of shared grants: people in the same groups share their whole list. */
  readonly #sharedLists = new Map<string, PersonGrant[]>();
  #sharedGrantCount = 0;
  /** The source's own audited changes (not those our incremental reads observed) per user, oldest first. */
  readonly #auditedChangesByUser = new Map<string, IdentityChange[]>();

  /**
   * With `previous`, everyone whose trace and visits are unchanged since that derivation keeps the grants it
   * derived (personInputs.ts); everyone else is derived. The result is the same either way.
   */
  constructor(
    lookups: SnapshotLookups,
    snapshot: Snapshot,
    previous?: PreviousDerivation,
  ) {
    this.#lookups = lookups;
    this.#snapshot = snapshot;
    this.#previous = previous;
    for (const change of [...snapshot.identity.changes].sort((a, b) =>
      a.at.localeCompare(b.at),
    )) {
      if (change.userId && change.source !== 'delta')
        push(this.#auditedChangesByUser, change.userId, change);
    }
  }

  /**
   * The persons, each with grants sorted by account name then permission set name, and the start of every gap
   * (`previousGaps` carries the ages earlier snapshots saw); each person's trace, for the next derivation; and how
   * many persons were derived rather than reused.
   */
  *derive(previousGaps: Record<string, string>): Sliced<{
    persons: Person[];
    gapsFirstSeen: Record<string, string>;
    traces: Map<string, string>;
    rederived: number;
  }> {
    yield* this.#addAwsPaths();
    yield* this.#addIntendedPaths();
    const gapsFirstSeen: Record<string, string> = {};
    const finished = yield* this.#finish(previousGaps, gapsFirstSeen);
    return { ...finished, gapsFirstSeen };
  }

  #personFor(identityUser?: IdentityUser, idcUser?: IdcUser): Working {
    const key = identityUser ? identityUser.id : `idc:${idcUser!.id}`;
    let entry = this.#working.get(key);
    if (!entry) {
      entry = {
        person: {
          key,
          entityRef: identityUser
            ? entraUserEntityRef(identityUser)
            : `user:default/${normalizeEntityName(idcUser!.userName)}`,
          displayName:
            identityUser?.displayName ??
            idcUser?.displayName ??
            idcUser!.userName,
          identityUser,
          idcUser,
          grants: [],
        },
        visits: [],
      };
      this.#working.set(key, entry);
    }
    return entry;
  }

  /** A number naming an assignment's (account, permission set) pair within this derivation. */
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

  #addPath(
    pairs: Map<number, WorkingPair>,
    assignment: AssignmentRecord,
    template: PathTemplate,
    fact: keyof GrantFacts,
  ) {
    const id = this.#pairId(assignment);
    const bits = FACT_BITS[fact];
    const pair = pairs.get(id);
    if (!pair) {
      pairs.set(id, {
        accountId: assignment.accountId,
        permissionSetArn: assignment.permissionSetArn,
        template,
        facts: bits,
        more: undefined,
      });
    } else if (pair.template === template) {
      pair.facts |= bits;
    } else {
      const other = pair.more?.find(path => path.template === template);
      if (other) other.facts |= bits;
      else (pair.more ??= []).push({ template, facts: bits });
    }
  }

  #visit(
    entry: Working,
    subject: VisitSubject,
    assignments: readonly AssignmentRecord[],
    template: PathTemplate | undefined,
    label?: string,
  ) {
    entry.visits.push({
      subject,
      label,
      assignments,
      template,
      fact: VISIT_FACTS[subject.kind],
    });
  }

  #idcGroupSubject(id: string): VisitSubject {
    let subject = this.#idcGroupSubjects.get(id);
    if (!subject)
      this.#idcGroupSubjects.set(id, (subject = visitSubject('idc-group', id)));
    return subject;
  }

  /** The one path object of a template with these facts. */
  #sharedPath(template: PathTemplate, facts: number): AccessPath {
    let byFacts = this.#sharedPaths.get(template);
    if (!byFacts) this.#sharedPaths.set(template, (byFacts = []));
    return (byFacts[facts] ??= {
      type: template.type,
      name: template.name,
      entityRef: template.entityRef,
      through: template.through,
      identityGroupId: template.identityGroupId,
      inAws: (facts & FACT_BITS.inAws) !== 0,
      intended: (facts & FACT_BITS.intended) !== 0,
      nested: (facts & FACT_BITS.nested) !== 0,
    });
  }

  /** The one array holding just this path, shared by the grants reached only this way. */
  #onlyPath(path: AccessPath): AccessPath[] {
    let only = this.#onlyPaths.get(path);
    if (!only) this.#onlyPaths.set(path, (only = [path]));
    return only;
  }

  /** One description per Identity Center group, shared by the AWS side and the intended side of the same path. */
  #groupTemplate(idcGroup: IdcGroup): PathTemplate {
    let template = this.#groupTemplates.get(idcGroup.id);
    if (!template) {
      const source = this.#lookups.identityGroupByIdcGroupId.get(idcGroup.id);
      template = source
        ? {
            type: 'group',
            name: source.displayName,
            entityRef: entraGroupEntityRef(source),
            identityGroupId: source.id,
          }
        : { type: 'idc-group', name: idcGroup.displayName };
      this.#groupTemplates.set(idcGroup.id, template);
    }
    return template;
  }

  #userTemplate(entry: Working, name: string): PathTemplate {
    entry.userPath ??= { type: 'user', name };
    return entry.userPath;
  }

  /** In AWS: enabled Identity Center users, through their group memberships and direct assignments. */
  *#addAwsPaths(): Sliced<void> {
    const lookups = this.#lookups;
    for (const idcUser of this.#snapshot.aws.users) {
      yield;
      const identityUser = lookups.identityUserByIdcUserId.get(idcUser.id);
      if (!identityUser && !idcUser.externalId) continue; // unmanaged: reported separately
      const entry = this.#personFor(identityUser, idcUser);
      entry.person.idcUser = idcUser;
      if (idcUser.status !== 'ENABLED') continue;
      for (const idcGroup of lookups.idcGroupsOfUser(idcUser.id)) {
        this.#visit(
          entry,
          this.#idcGroupSubject(idcGroup.id),
          lookups.assignmentsOf('GROUP', idcGroup.id),
          this.#groupTemplate(idcGroup),
        );
      }
      const userPath = this.#userTemplate(
        entry,
        identityUser?.displayName ?? idcUser.userName,
      );
      this.#visit(
        entry,
        visitSubject('idc-user', idcUser.id),
        lookups.assignmentsOf('USER', idcUser.id),
        userPath,
        userPath.name,
      );
    }
  }

  /** An enabled user of the identity source, as a working person; undefined for unknown or disabled users. */
  #enabledPerson(userId: string): Working | undefined {
    const identityUser = this.#lookups.identityUsersById.get(userId);
    if (!identityUser?.accountEnabled) return undefined;
    return this.#personFor(
      identityUser,
      this.#lookups.idcUserByIdentityUserId.get(userId),
    );
  }

  /** Intended and nested: through in-scope groups (and their nesting), then direct scope. */
  *#addIntendedPaths(): Sliced<void> {
    const lookups = this.#lookups;
    const inScope = new Set<string>(lookups.scopedUserIds);
    for (const groupId of lookups.scopedGroupIds) {
      const group = lookups.identityGroupsById.get(groupId);
      if (!group) continue;
      const idcGroup = lookups.idcGroupByIdentityGroupId.get(groupId);
      const assignments = lookups.assignmentsOf('GROUP', idcGroup?.id);
      const template = idcGroup && this.#groupTemplate(idcGroup);
      const subject = visitSubject('scoped-group', groupId);
      for (const userId of group.memberUserIds) {
        yield;
        inScope.add(userId);
        const entry = this.#enabledPerson(userId);
        if (!entry) continue;
        this.#visit(entry, subject, assignments, template);
      }
      yield* this.#addNestedPaths(group, assignments);
    }
    for (const userId of inScope) {
      yield;
      const idcUser = lookups.idcUserByIdentityUserId.get(userId);
      const entry = idcUser && this.#enabledPerson(userId);
      if (!entry) continue;
      const userPath = this.#userTemplate(
        entry,
        entry.person.identityUser!.displayName,
      );
      this.#visit(
        entry,
        visitSubject('scoped-user', idcUser!.id),
        lookups.assignmentsOf('USER', idcUser!.id),
        userPath,
        userPath.name,
      );
    }
  }

  /** Users only in a group nested below an in-scope group reach its assignments only on paper. */
  *#addNestedPaths(
    group: IdentityGroup,
    assignments: readonly AssignmentRecord[],
  ): Sliced<void> {
    const directMembers = new Set(group.memberUserIds);
    const byNestedGroup = new Map<
      string,
      { template: PathTemplate; subject: VisitSubject }
    >();
    for (const [userId, nestedGroup] of this.#lookups.nestedMembers(group)) {
      yield;
      if (directMembers.has(userId)) continue;
      const entry = this.#enabledPerson(userId);
      if (!entry) continue;
      let nested = byNestedGroup.get(nestedGroup.id);
      if (!nested) {
        const template: PathTemplate = {
          type: 'nested-group',
          name: nestedGroup.displayName,
          entityRef: entraGroupEntityRef(nestedGroup),
          through: {
            name: group.displayName,
            entityRef: entraGroupEntityRef(group),
          },
          identityGroupId: nestedGroup.id,
        };
        nested = {
          template,
          subject: visitSubject('nested-group', nestedGroup.id, group.id),
        };
        byNestedGroup.set(nestedGroup.id, nested);
      }
      this.#visit(entry, nested.subject, assignments, nested.template);
    }
  }

  /** Each key's rank in the order of its label, so a sort by rank is the sort by label (ties share a rank). */
  static #rankBy(keys: Iterable<string>, label: (key: string) => string) {
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

  /**
   * Every person's grants, reused from the previous derivation when their inputs did not change, derived from
   * their visits otherwise; then the gap starts of all of them.
   */
  *#finish(
    previousGaps: Record<string, string>,
    gaps: Record<string, string>,
  ): Sliced<{
    persons: Person[];
    traces: Map<string, string>;
    rederived: number;
  }> {
    const order = this.#grantOrder();
    const changes =
      this.#previous && new VisitChanges(this.#previous.lookups, this.#lookups);
    const persons: Person[] = [];
    const traces = new Map<string, string>();
    let rederived = 0;
    for (const working of this.#working.values()) {
      yield;
      const trace = traceOf(working.visits);
      traces.set(working.person.key, trace);
      let grants = changes && this.#reusable(working, trace, changes);
      if (!grants) {
        grants = this.#derivedGrants(working, order);
        rederived++;
      }
      working.person.grants = this.#withGapStarts(
        working.person,
        grants,
        previousGaps,
        gaps,
      );
      persons.push(working.person);
      // A finished person's visits are not needed again: released now, not with the whole walk at the end.
      this.#working.delete(working.person.key);
    }
    return { persons, traces, rederived };
  }

  /**
   * Grants sorted by account name, then permission set name, by rank. Ranked over every assigned account and
   * permission set: two grants compare by their labels alone, so the order is the same whatever else is ranked.
   */
  #grantOrder(): (a: PersonGrant, b: PersonGrant) => number {
    const {
      accountsById,
      permissionSetsByArn,
      assignmentsByAccount,
      assignmentsByPermissionSet,
    } = this.#lookups;
    const accountRank = PersonDerivation.#rankBy(
      assignmentsByAccount.keys(),
      id => accountsById.get(id)?.name ?? id,
    );
    const permissionSetRank = PersonDerivation.#rankBy(
      assignmentsByPermissionSet.keys(),
      arn => permissionSetsByArn.get(arn)?.name ?? '',
    );
    return (a, b) =>
      accountRank.get(a.accountId)! - accountRank.get(b.accountId)! ||
      permissionSetRank.get(a.permissionSetArn)! -
        permissionSetRank.get(b.permissionSetArn)!;
  }

  /** The previous derivation's grants of a person whose trace and every visit read the same as then. */
  #reusable(
    working: Working,
    trace: string,
    changes: VisitChanges,
  ): PersonGrant[] | undefined {
    const previous = this.#previous!;
    if (previous.traces.get(working.person.key) !== trace) return undefined;
    for (const visit of working.visits)
      if (!changes.unchanged(visit.subject)) return undefined;
    return previous.grantsOf(working.person.key);
  }

  /** A person's grants from their visits (no gap starts yet), sorted. */
  #derivedGrants(
    working: Working,
    order: (a: PersonGrant, b: PersonGrant) => number,
  ): PersonGrant[] {
    // A map of this call's own, which dies young with its pairs. Pairs held by a long-lived map (each person's, as
    // before) outlived young collections through it and filled the old space: at 20,000 people the cold
    // derivation's heap peaked at ~290 MB instead of ~180 MB.
    const pairs = new Map<number, WorkingPair>();
    for (const visit of working.visits)
      for (const assignment of visit.assignments)
        this.#addPath(pairs, assignment, visit.template!, visit.fact);
    const grants: Array<{ grant: PersonGrant; number: number }> = [];
    for (const [pairId, pair] of pairs) {
      const shared = this.#sharedGrant(pairId, pair);
      if (shared) grants.push(shared);
    }
    grants.sort((a, b) => order(a.grant, b.grant));
    const key = grants.map(shared => shared.number).join(',');
    let list = this.#sharedLists.get(key);
    if (!list)
      this.#sharedLists.set(key, (list = grants.map(shared => shared.grant)));
    return list;
  }

  /** The one grant object of a pair reached by these paths with these facts (numbered in creation order). */
  #sharedGrant(
    pairId: number,
    pair: WorkingPair,
  ): { grant: PersonGrant; number: number } | undefined {
    const first = this.#sharedPath(pair.template, pair.facts);
    const several = pair.more && [
      first,
      ...pair.more.map(path => this.#sharedPath(path.template, path.facts)),
    ];
    const key = several
      ? several.map(path => this.#pathNumber(path)).join(',')
      : first;
    let byPaths = this.#sharedGrants.get(pairId);
    if (!byPaths) this.#sharedGrants.set(pairId, (byPaths = new Map()));
    let shared = byPaths.get(key);
    if (!shared) {
      const grant = this.#grantOf(pair, several ?? this.#onlyPath(first));
      if (!grant) return undefined;
      shared = { grant, number: this.#sharedGrantCount++ };
      byPaths.set(key, shared);
    }
    return shared;
  }

  #pathNumber(path: AccessPath): number {
    let number = this.#pathNumbers.get(path);
    if (number === undefined)
      this.#pathNumbers.set(path, (number = this.#pathNumbers.size));
    return number;
  }

  #grantOf(
    { accountId, permissionSetArn, facts, more }: WorkingPair,
    paths: AccessPath[],
  ): PersonGrant | undefined {
    const any = more
      ? more.reduce((all, path) => all | path.facts, facts)
      : facts;
    const baseState = baseStateOf({
      inAws: (any & FACT_BITS.inAws) !== 0,
      intended: (any & FACT_BITS.intended) !== 0,
      nested: (any & FACT_BITS.nested) !== 0,
    });
    if (baseState === 'none') return undefined; // every path names a side: cannot happen
    return { accountId, permissionSetArn, paths, baseState, since: undefined };
  }

  /**
   * The grants with the start of each gap, recorded in `gaps`: the source's audit time, else the age earlier
   * snapshots saw, else this read. Computed for reused grants too (the audit log and the ages move on); a grant
   * whose start moved is copied, the rest are kept as they are.
   */
  #withGapStarts(
    person: Person,
    grants: PersonGrant[],
    previousGaps: Record<string, string>,
    gaps: Record<string, string>,
  ): PersonGrant[] {
    let result = grants;
    grants.forEach((grant, i) => {
      if (!isGap(grant.baseState)) return;
      const gapKey = `${person.key}|${grant.accountId}|${grant.permissionSetArn}|${grant.baseState}`;
      const fromAudit = this.#gapStartFromAudit(
        person,
        grant.paths,
        grant.baseState,
      );
      const since = fromAudit ?? previousGaps[gapKey] ?? this.#snapshot.readAt;
      gaps[gapKey] = previousGaps[gapKey] ?? fromAudit ?? this.#snapshot.readAt;
      if (since === grant.since) return;
      if (result === grants) result = grants.slice();
      result[i] = { ...grant, since };
    });
    return result;
  }

  /**
   * When the identity source recorded the change that opened a gap: the latest membership addition (pending) or
   * removal, disabling or deletion (revoking) among the person's paths. The gap of the pair began when its first
   * path opened.
   */
  #gapStartFromAudit(
    person: Person,
    paths: AccessPath[],
    state: 'pending' | 'revoking',
  ): string | undefined {
    const userId = person.identityUser?.id;
    if (!userId) return undefined;
    // Only the source's own audit times: changes our incremental reads observed are no more exact than gapsFirstSeen.
    const relevant = this.#auditedChangesByUser.get(userId) ?? [];
    const { kinds, openOn } = GAP_OPENERS[state];
    const times: string[] = [];
    for (const path of paths) {
      if (!openOn(path)) continue;
      const matching = relevant.filter(
        change =>
          kinds.includes(change.kind) &&
          (!change.groupId || change.groupId === path.identityGroupId),
      );
      if (matching.length > 0) times.push(matching[matching.length - 1].at);
    }
    return times.sort()[0];
  }
}
