import { identityStoreIdFrom } from '../ids';
import { Collection, Relation } from './Collection';

export interface ExternalId {
  Issuer: string;
  Id: string;
}

export interface IdcUser {
  userId: string;
  userName: string;
  displayName: string;
  givenName?: string;
  familyName?: string;
  email?: string;
  title?: string;
  department?: string;
  /** Identity Store id of the manager (enterprise extension). */
  managerId?: string;
  status: 'ENABLED' | 'DISABLED';
  externalId?: ExternalId;
  createdMs: number;
  updatedMs: number;
}

export interface IdcGroup {
  groupId: string;
  displayName: string;
  description?: string;
  externalId?: ExternalId;
  createdMs: number;
  updatedMs: number;
}

export interface IdcMembership {
  membershipId: string;
  groupId: string;
  userId: string;
  createdMs: number;
}

/**
 * The Identity Store: users, groups and flat memberships (users only, no nesting), with the indexes the
 * read APIs and the SCIM bridge need (external id, user name, display name).
 */
export class IdentityStore {
  readonly identityStoreId: string;
  readonly users = new Collection<IdcUser>();
  readonly groups = new Collection<IdcGroup>();
  /** group id → user ids */
  readonly members = new Relation();
  readonly #memberships = new Map<string, IdcMembership>();
  readonly #membershipByPair = new Map<string, string>();
  readonly #usersByName = new Map<string, string>();
  readonly #usersByEmail = new Map<string, string>();
  readonly #groupsByName = new Map<string, string>();
  readonly #byExternalId = new Map<string, string>();
  /** Per-group membership lists, rebuilt lazily (paging large groups). */
  readonly #groupMemberCache = new Map<string, IdcMembership[]>();

  static create(options: { identityStoreId: string }): IdentityStore {
    return new IdentityStore(options.identityStoreId);
  }

  private constructor(identityStoreId: string) {
    this.identityStoreId = identityStoreId;
  }

  // ---- lookups

  userByName(userName: string): IdcUser | undefined {
    const id = this.#usersByName.get(userName.toLowerCase());
    return id ? this.users.get(id) : undefined;
  }

  userByEmail(email: string): IdcUser | undefined {
    const id = this.#usersByEmail.get(email.toLowerCase());
    return id ? this.users.get(id) : undefined;
  }

  groupByName(displayName: string): IdcGroup | undefined {
    const id = this.#groupsByName.get(displayName.toLowerCase());
    return id ? this.groups.get(id) : undefined;
  }

  /** The user or group SCIM created for an Entra object (correlation on ExternalId.Id, Issuer opaque). */
  byExternalId(issuer: string, id: string): string | undefined {
    return this.#byExternalId.get(`${issuer}\u0000${id}`);
  }

  membership(membershipId: string): IdcMembership | undefined {
    return this.#memberships.get(membershipId);
  }

  membershipOf(groupId: string, userId: string): IdcMembership | undefined {
    const id = this.#membershipByPair.get(`${groupId}|${userId}`);
    return id ? this.#memberships.get(id) : undefined;
  }

  groupMemberships(groupId: string): IdcMembership[] {
    let cached = this.#groupMemberCache.get(groupId);
    if (!cached) {
      cached = [...this.members.targets(groupId)].map(
        userId => this.membershipOf(groupId, userId)!,
      );
      this.#groupMemberCache.set(groupId, cached);
    }
    return cached;
  }

  userMemberships(userId: string): IdcMembership[] {
    return [...this.members.sources(userId)].map(
      groupId => this.membershipOf(groupId, userId)!,
    );
  }

  // ---- changes

  putUser(user: IdcUser): void {
    const previous = this.users.get(user.userId);
    if (previous) {
      this.#usersByName.delete(previous.userName.toLowerCase());
      if (previous.email)
        this.#usersByEmail.delete(previous.email.toLowerCase());
    }
    this.users.set(user.userId, user);
    this.#usersByName.set(user.userName.toLowerCase(), user.userId);
    if (user.email)
      this.#usersByEmail.set(user.email.toLowerCase(), user.userId);
    if (user.externalId)
      this.#byExternalId.set(
        `${user.externalId.Issuer}\u0000${user.externalId.Id}`,
        user.userId,
      );
  }

  deleteUser(userId: string): void {
    const user = this.users.get(userId);
    if (!user) return;
    for (const membership of this.userMemberships(userId)) {
      this.removeMember(membership.groupId, userId);
    }
    this.users.delete(userId);
    this.#usersByName.delete(user.userName.toLowerCase());
    if (user.email) this.#usersByEmail.delete(user.email.toLowerCase());
    if (user.externalId)
      this.#byExternalId.delete(
        `${user.externalId.Issuer}\u0000${user.externalId.Id}`,
      );
  }

  putGroup(group: IdcGroup): void {
    const previous = this.groups.get(group.groupId);
    if (previous) this.#groupsByName.delete(previous.displayName.toLowerCase());
    this.groups.set(group.groupId, group);
    this.#groupsByName.set(group.displayName.toLowerCase(), group.groupId);
    if (group.externalId)
      this.#byExternalId.set(
        `${group.externalId.Issuer}\u0000${group.externalId.Id}`,
        group.groupId,
      );
  }

  addMember(
    groupId: string,
    userId: string,
    timeMs: number,
  ): IdcMembership | undefined {
    if (!this.members.add(groupId, userId)) return undefined;
    const membership: IdcMembership = {
      membershipId: identityStoreIdFrom(
        this.identityStoreId,
        'membership',
        groupId,
        userId,
      ),
      groupId,
      userId,
      createdMs: timeMs,
    };
    this.#memberships.set(membership.membershipId, membership);
    this.#membershipByPair.set(`${groupId}|${userId}`, membership.membershipId);
    this.#groupMemberCache.delete(groupId);
    return membership;
  }

  removeMember(groupId: string, userId: string): boolean {
    if (!this.members.remove(groupId, userId)) return false;
    const key = `${groupId}|${userId}`;
    const id = this.#membershipByPair.get(key)!;
    this.#membershipByPair.delete(key);
    this.#memberships.delete(id);
    this.#groupMemberCache.delete(groupId);
    return true;
  }
}
