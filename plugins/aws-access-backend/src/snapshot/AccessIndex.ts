import type {
  AccessUser,
  GrantState,
} from '@aws-access/plugin-aws-access-common';
import {
  entraUserEntityRef,
  normalizeEntityName,
} from '@aws-access/plugin-aws-access-common';
import type { AccessPath, Person, PersonGrant } from './derivePersons';
import { PersonDerivation } from './derivePersons';
import type { ProvisioningClock } from './grantState';
import {
  baseStateOf,
  isProvisioningBlocked,
  stateAt,
  stateHoldsUntil,
} from './grantState';
import { ListMap } from './ListMap';
import { SnapshotLookups, lower } from './SnapshotLookups';
import type { AssignmentRecord, Snapshot } from './model';
import type { Sliced } from './slices';
import { runAtOnce, runInSlices } from './slices';

export type { AccessPath, Person, PersonGrant } from './derivePersons';

/** The identity source's default provisioning interval for the AWS connector (Entra's): 40 minutes. */
export const DEFAULT_PROVISIONING_INTERVAL_SECONDS = 2400;

/** What an index is derived from. */
export interface AccessIndexOptions {
  snapshot: Snapshot;
  /** The committed version; 0 while the snapshot is not committed. */
  version: number;
  /** Gap ages earlier snapshots saw; the snapshot's own when absent. */
  previousGapsFirstSeen?: Record<string, string>;
  /**
   * The index of an earlier snapshot: the persons whose inputs did not change since keep the grants it derived
   * (derivePersons.ts, personInputs.ts). The index is the same with or without it; only the work differs.
   */
  previous?: AccessIndex;
}

/** How much of a derivation was done: persons derived, of all persons (the rest were reused). */
export interface DerivationWork {
  persons: number;
  rederived: number;
}

export interface UnmanagedPrincipalRecord {
  type: 'USER' | 'GROUP';
  id: string;
  name: string;
  assignments: readonly AssignmentRecord[];
}

/**
 * The access index of one snapshot: every person's grants with provenance and state (derivePersons.ts), the
 * snapshot's lookups (SnapshotLookups.ts), and the lookups of persons the API serves from. Built once per
 * snapshot version; only the pending → stuck split depends on the clock and is applied when serving
 * (grantState.ts).
 */
export class AccessIndex extends SnapshotLookups {
  #snapshot: Snapshot;
  #version: number;
  #persons: Person[] = [];
  #unmanaged: UnmanagedPrincipalRecord[] = [];
  #gapsFirstSeen: Record<string, string> = {};
  /** Each derived person's trace, for the next derivation to compare with (personInputs.ts). */
  #traces = new Map<string, string>();
  #work: DerivationWork = { persons: 0, rederived: 0 };
  readonly #personsByKey = new Map<string, Person>();
  /** The entity ref the product derives for each person; two people can derive one (a shared `mail`). */
  readonly #personsByRef = new ListMap<Person>();
  /** Entra user principal names are unique in a tenant. */
  readonly #personsByUpn = new Map<string, Person>();
  /** Entra does not keep `mail` unique. */
  readonly #personsByMail = new ListMap<Person>();
  /** Identity Center user names (as written and as entity names) and emails; an email may be shared. */
  readonly #personsByIdcName = new ListMap<Person>();
  readonly #personsByIdcEmail = new ListMap<Person>();
  /** Everyone holding a grant on each account, in `persons` order: an account's page must not scan 100,000 people. */
  readonly #personsByAccount = new Map<string, Person[]>();

  /** Derives the index at once: for tests and small snapshots. */
  static build(options: AccessIndexOptions): AccessIndex {
    return runAtOnce(AccessIndex.#derive(options));
  }

  /**
   * Derives the same index in slices that give the event loop back, so a sync or a replica's reload at 20,000
   * people (seconds of CPU) never stalls the backend's other requests.
   */
  static derive(
    options: AccessIndexOptions,
    sliceMs?: number,
  ): Promise<AccessIndex> {
    return runInSlices(AccessIndex.#derive(options), sliceMs);
  }

  static *#derive(options: AccessIndexOptions): Sliced<AccessIndex> {
    const index = new AccessIndex(options.snapshot, options.version);
    yield* index.indexSnapshot(options.snapshot);
    const previous = options.previous;
    const derived = yield* new PersonDerivation(
      index,
      options.snapshot,
      previous && {
        lookups: previous,
        traces: previous.#traces,
        grantsOf: key => previous.personByKey(key)?.grants,
      },
    ).derive(
      options.previousGapsFirstSeen ?? options.snapshot.gapsFirstSeen ?? {},
    );
    index.#persons = derived.persons;
    index.#gapsFirstSeen = derived.gapsFirstSeen;
    index.#traces = derived.traces;
    index.#work = {
      persons: derived.persons.length,
      rederived: derived.rederived,
    };
    yield* index.#indexPersons();
    yield* index.#indexIdentityCenterNames();
    index.#unmanaged = yield* index.#findUnmanaged();
    return index;
  }

  private constructor(snapshot: Snapshot, version: number) {
    super();
    this.#snapshot = snapshot;
    this.#version = version;
  }

  /** Everyone with access, an intended access, or an Identity Center user. */
  get persons(): Person[] {
    return this.#persons;
  }

  /** Identity Center principals with no identity source object, with what they hold. */
  get unmanaged(): UnmanagedPrincipalRecord[] {
    return this.#unmanaged;
  }

  /** How many of the persons this index derived, rather than reused from the previous index. */
  get work(): DerivationWork {
    return this.#work;
  }

  /** Gap keys of this snapshot with the time each gap began (persisted so later runs keep the age). */
  get gapsFirstSeen(): Record<string, string> {
    return this.#gapsFirstSeen;
  }

  *#indexPersons(): Sliced<void> {
    for (const person of this.persons) {
      this.#personsByKey.set(person.key, person);
      this.#indexEntityRef(person);
      if (person.identityUser) this.#indexLogins(person, person.identityUser);
      this.#indexAccounts(person);
      yield;
    }
    // Users of the identity source without any AWS relation still resolve (their page says "no access").
    for (const user of this.#snapshot.identity.users) {
      if (this.#personsByKey.has(user.id)) continue;
      yield;
      const person: Person = {
        key: user.id,
        entityRef: entraUserEntityRef(user),
        displayName: user.displayName,
        identityUser: user,
        idcUser: this.idcUserByIdentityUserId.get(user.id),
        grants: [],
      };
      this.#personsByKey.set(person.key, person);
      this.#indexEntityRef(person);
      this.#indexLogins(person, user);
      yield;
    }
  }

  #indexEntityRef(person: Person) {
    this.#personsByRef.add(person.entityRef, person);
  }

  #indexLogins(
    person: Person,
    user: { userPrincipalName: string; mail?: string },
  ) {
    this.#personsByUpn.set(lower(user.userPrincipalName)!, person);
    if (user.mail) this.#personsByMail.add(lower(user.mail)!, person);
  }

  *#indexIdentityCenterNames(): Sliced<void> {
    const add = (map: ListMap<Person>, key: string, person: Person) =>
      map.add(key, person, { once: true });
    for (const person of this.#personsByKey.values()) {
      const user = person.idcUser;
      if (!user) continue;
      add(this.#personsByIdcName, lower(user.userName)!, person);
      add(this.#personsByIdcName, normalizeEntityName(user.userName), person);
      if (user.email) add(this.#personsByIdcEmail, lower(user.email)!, person);
      yield;
    }
  }

  /** Identity Center principals with no identity source object (break-glass, manual), with what they hold. */
  *#findUnmanaged(): Sliced<UnmanagedPrincipalRecord[]> {
    const unmanaged: UnmanagedPrincipalRecord[] = [];
    for (const user of this.#snapshot.aws.users) {
      yield;
      if (this.identityUserByIdcUserId.has(user.id) || user.externalId)
        continue;
      const groupAssignments = this.idcGroupsOfUser(user.id).flatMap(group =>
        this.assignmentsOf('GROUP', group.id),
      );
      unmanaged.push({
        type: 'USER',
        id: user.id,
        name: user.userName,
        assignments: [
          ...this.assignmentsOf('USER', user.id),
          ...groupAssignments,
        ],
      });
    }
    for (const group of this.#snapshot.aws.groups) {
      if (this.identityGroupByIdcGroupId.has(group.id) || group.externalId)
        continue;
      unmanaged.push({
        type: 'GROUP',
        id: group.id,
        name: group.displayName,
        assignments: this.assignmentsOf('GROUP', group.id),
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

  /** Provisioning interval in seconds (the default when the job does not say). */
  get provisioningIntervalSeconds(): number {
    return (
      this.snapshot.identity.provisioning.intervalSeconds ??
      DEFAULT_PROVISIONING_INTERVAL_SECONDS
    );
  }

  /** Whether provisioning will deliver pending changes at all. */
  get provisioningBlocked(): boolean {
    return isProvisioningBlocked(this.snapshot.identity.provisioning.status);
  }

  /** The provisioning job's cadence and health, as the state rules take them. */
  get provisioningClock(): ProvisioningClock {
    return {
      intervalSeconds: this.provisioningIntervalSeconds,
      blocked: this.provisioningBlocked,
    };
  }

  /** The state of a grant at a moment (the pending → stuck rule applied). */
  stateAt(grant: PersonGrant, now: Date): GrantState {
    return stateAt(grant.baseState, grant.since, now, this.provisioningClock);
  }

  /** Until when (epoch ms) the grant's state stays what it is at `now`; Infinity when the clock cannot change it. */
  stateHoldsUntil(grant: PersonGrant, now: Date): number {
    return stateHoldsUntil(
      grant.baseState,
      grant.since,
      now,
      this.provisioningClock,
    );
  }

  /** The state of one path at a moment: the same rules, over that path's facts and the grant's gap start. */
  pathStateAt(grant: PersonGrant, path: AccessPath, now: Date): GrantState {
    const base = baseStateOf(path);
    // Every path exists because one side names it; 'none' cannot happen.
    return base === 'none'
      ? grant.baseState
      : stateAt(base, grant.since, now, this.provisioningClock);
  }

  /** The next provisioning cycle at or after `after`, from the job's last cycle and interval. */
  nextCycleAt(after: Date): string | undefined {
    const job = this.snapshot.identity.provisioning;
    const last = job.lastCycleStartedAt ?? job.lastCycleEndedAt;
    if (!last || this.provisioningBlocked) return undefined;
    const interval = this.provisioningIntervalSeconds * 1000;
    let next = Date.parse(last) + interval;
    if (next < after.getTime()) {
      next += Math.ceil((after.getTime() - next) / interval) * interval;
    }
    return new Date(next).toISOString();
  }

  #indexAccounts(person: Person) {
    for (const grant of person.grants) {
      const holders = this.#personsByAccount.get(grant.accountId);
      if (!holders) this.#personsByAccount.set(grant.accountId, [person]);
      else if (holders[holders.length - 1] !== person) holders.push(person);
    }
  }

  /** The people with at least one grant on the account, in `persons` order. */
  personsWithGrantsOn(accountId: string): readonly Person[] {
    return this.#personsByAccount.get(accountId) ?? [];
  }

  personByKey(key: string): Person | undefined {
    return this.#personsByKey.get(key);
  }

  /**
   * The one person the product names with this entity ref (msgraph's name for an Entra user, the Identity Store
   * user name otherwise); undefined when none or several do.
   */
  personByEntityRef(entityRef: string): Person | undefined {
    const people = this.personsByEntityRef(entityRef);
    return people.length === 1 ? people[0] : undefined;
  }

  /** Everyone the product names with this entity ref: usually one; several when their names normalize alike. */
  personsByEntityRef(entityRef: string): Person[] {
    return this.#personsByRef.get(lower(entityRef)!);
  }

  /** The person whose Entra user principal name this is (unique in the tenant). */
  personByUpn(upn: string): Person | undefined {
    return this.#personsByUpn.get(lower(upn)!);
  }

  /** People whose Entra `mail` is this address: usually one, but Entra does not keep it unique. */
  personsByMail(mail: string): Person[] {
    return this.#personsByMail.get(lower(mail)!);
  }

  /**
   * Addresses two or more people share (Entra `mail`, or the Identity Center email without Entra): an email
   * match would be a guess, so none is made, and the drift report lists them.
   */
  sharedEmails(): Array<{ email: string; people: Person[] }> {
    const byEmail =
      this.snapshot.identity.source === 'identity-center'
        ? this.#personsByIdcEmail
        : this.#personsByMail;
    return [...byEmail.several()]
      .map(([email, people]) => ({ email, people }))
      .sort((a, b) => a.email.localeCompare(b.email));
  }

  /**
   * People whose Identity Center user name is `name`, as written or as the catalog names it (`Maria@Example.com`
   * and `maria_example.com` both find maria@example.com). Usually one; more only when two names normalize alike.
   */
  personsByIdcUserName(name: string): Person[] {
    return this.#personsByIdcName.get(lower(name)!);
  }

  /** People whose Identity Center user has this email: Identity Center does not keep emails unique. */
  personsByIdcEmail(email: string): Person[] {
    return this.#personsByIdcEmail.get(lower(email)!);
  }

  /** The AccessUser shape of a person (`entraId` is the wire name of the identity source's id). */
  accessUser(person: Person): AccessUser {
    return {
      entityRef: person.entityRef,
      displayName: person.displayName,
      userPrincipalName:
        person.identityUser?.userPrincipalName ?? person.idcUser?.userName,
      mail: person.identityUser?.mail,
      entraId: person.identityUser?.id,
    };
  }
}
