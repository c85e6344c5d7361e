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
import { baseStateOf, isProvisioningBlocked, stateAt } from './grantState';
import { SnapshotLookups, lower } from './SnapshotLookups';
import type { AssignmentRecord, Snapshot } from './model';

export type { AccessPath, Person, PersonGrant } from './derivePersons';

/** The identity source's default provisioning interval for the AWS connector (Entra's): 40 minutes. */
export const DEFAULT_PROVISIONING_INTERVAL_SECONDS = 2400;

export interface UnmanagedPrincipalRecord {
  type: 'USER' | 'GROUP';
  id: string;
  name: string;
  assignments: AssignmentRecord[];
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
  readonly persons: Person[];
  readonly unmanaged: UnmanagedPrincipalRecord[];
  /** Gap keys of this snapshot with the time each gap began (persisted so later runs keep the age). */
  readonly gapsFirstSeen: Record<string, string>;
  readonly #personsByKey = new Map<string, Person>();
  readonly #personsByRef = new Map<string, Person>();
  readonly #personsByLogin = new Map<string, Person>();
  /** Identity Center user names (as written and as entity names) and emails; an email may be shared. */
  readonly #personsByIdcName = new Map<string, Person[]>();
  readonly #personsByIdcEmail = new Map<string, Person[]>();

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
    super(options.snapshot);
    const { snapshot } = options;
    this.#snapshot = snapshot;
    this.#version = options.version;
    const derived = new PersonDerivation(this, snapshot).derive(
      options.previousGapsFirstSeen ?? snapshot.gapsFirstSeen ?? {},
    );
    this.persons = derived.persons;
    this.gapsFirstSeen = derived.gapsFirstSeen;
    this.#indexPersons();
    this.#indexIdentityCenterNames();
    this.unmanaged = this.#findUnmanaged();
  }

  #indexPersons() {
    for (const person of this.persons) {
      this.#personsByKey.set(person.key, person);
      this.#personsByRef.set(person.entityRef, person);
      for (const login of [
        person.identityUser?.mail,
        person.identityUser?.userPrincipalName,
        person.idcUser?.userName,
      ]) {
        if (login) this.#personsByLogin.set(lower(login)!, person);
      }
    }
    // Users of the identity source without any AWS relation still resolve (their page says "no access").
    for (const user of this.#snapshot.identity.users) {
      if (this.#personsByKey.has(user.id)) continue;
      const person: Person = {
        key: user.id,
        entityRef: entraUserEntityRef(user),
        displayName: user.displayName,
        identityUser: user,
        idcUser: this.idcUserByIdentityUserId.get(user.id),
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
  }

  #indexIdentityCenterNames() {
    const add = (map: Map<string, Person[]>, key: string, person: Person) => {
      const list = map.get(key) ?? [];
      if (!list.includes(person)) list.push(person);
      map.set(key, list);
    };
    for (const person of this.#personsByKey.values()) {
      const user = person.idcUser;
      if (!user) continue;
      add(this.#personsByIdcName, lower(user.userName)!, person);
      add(this.#personsByIdcName, normalizeEntityName(user.userName), person);
      if (user.email) add(this.#personsByIdcEmail, lower(user.email)!, person);
    }
  }

  /** Identity Center principals with no identity source object (break-glass, manual), with what they hold. */
  #findUnmanaged(): UnmanagedPrincipalRecord[] {
    const unmanaged: UnmanagedPrincipalRecord[] = [];
    for (const user of this.#snapshot.aws.users) {
      if (this.identityUserByIdcUserId.has(user.id) || user.externalId)
        continue;
      const groupAssignments = [...this.idcGroupIdsOfUser(user.id)].flatMap(
        groupId => this.assignmentsOf('GROUP', groupId),
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

  personByKey(key: string): Person | undefined {
    return this.#personsByKey.get(key);
  }

  personByEntityRef(entityRef: string): Person | undefined {
    return this.#personsByRef.get(entityRef.toLocaleLowerCase('en-US'));
  }

  personByLogin(mailOrUpn: string): Person | undefined {
    return this.#personsByLogin.get(lower(mailOrUpn)!);
  }

  /**
   * People whose Identity Center user name is `name`, as written or as the catalog names it (`Maria@Example.com`
   * and `maria_example.com` both find maria@example.com). Usually one; more only when two names normalize alike.
   */
  personsByIdcUserName(name: string): Person[] {
    return this.#personsByIdcName.get(lower(name)!) ?? [];
  }

  /** People whose Identity Center user has this email: Identity Center does not keep emails unique. */
  personsByIdcEmail(email: string): Person[] {
    return this.#personsByIdcEmail.get(lower(email)!) ?? [];
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
