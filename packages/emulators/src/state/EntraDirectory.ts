import { Collection, Relation } from './Collection';
import type { DeltaJournal } from './DeltaJournal';
import type { DirectoryAuditLog } from './DirectoryAuditLog';
import {
  groupTarget,
  membershipProperties,
  userTarget,
} from './DirectoryAuditLog';

export interface EntraUser {
  id: string;
  upn: string;
  displayName: string;
  givenName?: string;
  surname?: string;
  mail: string;
  department?: string;
  jobTitle?: string;
  employeeId?: string;
  managerId?: string;
  enabled: boolean;
  /** Assigned to the AWS enterprise app directly. */
  assignedToAwsApp: boolean;
  createdMs: number;
  /** Soft-deleted (in the recycle bin): invisible to /users, still known to delta. */
  deletedMs?: number;
}

export interface EntraGroup {
  id: string;
  name: string;
  mailNickname: string;
  description?: string;
  securityEnabled: boolean;
  owners: string[];
  assignedToAwsApp: boolean;
  /** When the app-role assignment was made (appRoleAssignedTo.createdDateTime). */
  assignedMs?: number;
  createdMs: number;
}

export type MemberType = 'user' | 'group';

export type UserPatch = Partial<
  Pick<
    EntraUser,
    | 'displayName'
    | 'givenName'
    | 'surname'
    | 'mail'
    | 'department'
    | 'jobTitle'
    | 'employeeId'
    | 'enabled'
  >
>;

/**
 * The Entra tenant: users, groups, direct memberships (nesting allowed) and the AWS app's assignments. Every
 * change is journaled for delta queries and, when `audit` is set, written to the directory audit log.
 */
export class EntraDirectory {
  readonly users = new Collection<EntraUser>();
  readonly groups = new Collection<EntraGroup>();
  /** group id → member ids (users and groups) */
  readonly members = new Relation();
  readonly #memberTypes = new Map<string, MemberType>();
  readonly #usersByUpn = new Map<string, string>();
  readonly #groupsByName = new Map<string, string>();
  readonly journal: DeltaJournal;
  readonly audits: DirectoryAuditLog;

  static create(options: {
    journal: DeltaJournal;
    audits: DirectoryAuditLog;
  }): EntraDirectory {
    return new EntraDirectory(options);
  }

  private constructor(options: {
    journal: DeltaJournal;
    audits: DirectoryAuditLog;
  }) {
    this.journal = options.journal;
    this.audits = options.audits;
  }

  // ---- lookups

  user(idOrUpn: string): EntraUser | undefined {
    const byId = this.users.get(idOrUpn.toLowerCase());
    if (byId) return byId;
    const id = this.#usersByUpn.get(idOrUpn.toLowerCase());
    return id ? this.users.get(id) : undefined;
  }

  group(idOrName: string): EntraGroup | undefined {
    const byId = this.groups.get(idOrName.toLowerCase());
    if (byId) return byId;
    const id = this.#groupsByName.get(idOrName.toLowerCase());
    return id ? this.groups.get(id) : undefined;
  }

  /** A live user or group by object id. */
  object(
    id: string,
  ): { type: MemberType; user?: EntraUser; group?: EntraGroup } | undefined {
    const user = this.users.get(id);
    if (user && user.deletedMs === undefined) return { type: 'user', user };
    const group = this.groups.get(id);
    return group ? { type: 'group', group } : undefined;
  }

  memberType(id: string): MemberType | undefined {
    return this.#memberTypes.get(id);
  }

  directMembers(groupId: string): { id: string; type: MemberType }[] {
    return [...this.members.targets(groupId)].map(id => ({
      id,
      type: this.#memberTypes.get(id)!,
    }));
  }

  memberOf(objectId: string): string[] {
    return [...this.members.sources(objectId)];
  }

  /** Every group that contains the object directly or through nesting. */
  transitiveMemberOf(objectId: string): string[] {
    const seen = new Set<string>();
    const queue = this.memberOf(objectId);
    while (queue.length > 0) {
      const id = queue.shift()!;
      if (seen.has(id)) continue;
      seen.add(id);
      queue.push(...this.memberOf(id));
    }
    return [...seen];
  }

  /** Every member of the group, directly or through nested groups (the nested groups included). */
  transitiveMembers(groupId: string): { id: string; type: MemberType }[] {
    const seen = new Map<string, MemberType>();
    const queue = [groupId];
    while (queue.length > 0) {
      const id = queue.shift()!;
      for (const member of this.directMembers(id)) {
        if (seen.has(member.id) || member.id === groupId) continue;
        seen.set(member.id, member.type);
        if (member.type === 'group') queue.push(member.id);
      }
    }
    return [...seen].map(([id, type]) => ({ id, type }));
  }

  liveUsers(): EntraUser[] {
    return this.users.values().filter(u => u.deletedMs === undefined);
  }

  // ---- changes

  addUser(user: EntraUser, options: { audit: boolean }): void {
    this.users.set(user.id, user);
    this.#usersByUpn.set(user.upn.toLowerCase(), user.id);
    this.#memberTypes.set(user.id, 'user');
    this.journal.record({ type: 'user', id: user.id });
    if (options.audit) {
      this.audits.add({
        activity: 'Add user',
        category: 'UserManagement',
        operationType: 'Add',
        timeMs: user.createdMs,
        targets: [userTarget(user)],
      });
    }
  }

  updateUser(
    user: EntraUser,
    patch: UserPatch,
    options: { timeMs: number; audit: boolean },
  ): void {
    const modified: {
      displayName: string;
      oldValue: string | null;
      newValue: string | null;
    }[] = [];
    for (const [key, value] of Object.entries(patch) as [
      keyof UserPatch,
      unknown,
    ][]) {
      if (value === undefined || user[key] === value) continue;
      modified.push({
        displayName:
          key === 'enabled'
            ? 'AccountEnabled'
            : key[0].toUpperCase() + key.slice(1),
        oldValue: JSON.stringify([user[key] ?? null]),
        newValue: JSON.stringify([value]),
      });
      (user as unknown as Record<string, unknown>)[key] = value;
    }
    if (modified.length === 0) return;
    this.users.touch();
    this.journal.record({ type: 'user', id: user.id });
    if (!options.audit) return;
    if (
      patch.enabled !== undefined &&
      modified.some(m => m.displayName === 'AccountEnabled')
    ) {
      this.audits.add({
        activity: patch.enabled ? 'Enable account' : 'Disable account',
        category: 'UserManagement',
        operationType: 'Update',
        timeMs: options.timeMs,
        targets: [userTarget(user)],
      });
    }
    this.audits.add({
      activity: 'Update user',
      category: 'UserManagement',
      operationType: 'Update',
      timeMs: options.timeMs,
      targets: [userTarget(user, modified)],
    });
  }

  /** Soft delete (recycle bin) or permanent delete; either way the user leaves every group. */
  deleteUser(
    user: EntraUser,
    options: { permanent: boolean; timeMs: number },
  ): void {
    for (const groupId of this.memberOf(user.id)) {
      this.removeMember(groupId, user.id, {
        timeMs: options.timeMs,
        audit: false,
      });
    }
    if (options.permanent) {
      this.users.delete(user.id);
      this.#usersByUpn.delete(user.upn.toLowerCase());
      this.#memberTypes.delete(user.id);
    } else {
      user.deletedMs = options.timeMs;
      this.users.touch();
    }
    this.journal.record({ type: 'user', id: user.id });
    this.audits.add({
      activity: options.permanent ? 'Hard delete user' : 'Delete user',
      category: 'UserManagement',
      operationType: 'Delete',
      timeMs: options.timeMs,
      targets: [userTarget(user)],
    });
  }

  addGroup(group: EntraGroup, options: { audit: boolean }): void {
    this.groups.set(group.id, group);
    this.#groupsByName.set(group.name.toLowerCase(), group.id);
    this.#memberTypes.set(group.id, 'group');
    this.journal.record({ type: 'group', id: group.id });
    if (options.audit) {
      this.audits.add({
        activity: 'Add group',
        category: 'GroupManagement',
        operationType: 'Add',
        timeMs: group.createdMs,
        targets: [groupTarget(group)],
      });
    }
  }

  addMember(
    groupId: string,
    memberId: string,
    options: { timeMs: number; audit: boolean },
  ): boolean {
    if (!this.members.add(groupId, memberId)) return false;
    this.#memberChanged(
      groupId,
      memberId,
      false,
      'Add member to group',
      options,
    );
    return true;
  }

  removeMember(
    groupId: string,
    memberId: string,
    options: { timeMs: number; audit: boolean },
  ): boolean {
    if (!this.members.remove(groupId, memberId)) return false;
    this.#memberChanged(
      groupId,
      memberId,
      true,
      'Remove member from group',
      options,
    );
    return true;
  }

  setGroupAssignment(
    group: EntraGroup,
    assigned: boolean,
    options: {
      timeMs: number;
      audit: boolean;
      servicePrincipal: { id: string; name: string };
    },
  ): boolean {
    if (group.assignedToAwsApp === assigned) return false;
    group.assignedToAwsApp = assigned;
    group.assignedMs = assigned ? options.timeMs : undefined;
    this.groups.touch();
    if (options.audit) {
      this.audits.add({
        activity: assigned
          ? 'Add app role assignment to group'
          : 'Remove app role assignment from group',
        category: 'ApplicationManagement',
        operationType: assigned ? 'Assign' : 'Unassign',
        timeMs: options.timeMs,
        targets: [
          {
            id: options.servicePrincipal.id,
            displayName: options.servicePrincipal.name,
            type: 'ServicePrincipal',
            userPrincipalName: null,
            modifiedProperties: [],
          },
          groupTarget(group),
        ],
      });
    }
    return true;
  }

  #memberChanged(
    groupId: string,
    memberId: string,
    removed: boolean,
    activity: string,
    options: { timeMs: number; audit: boolean },
  ) {
    const type = this.#memberTypes.get(memberId)!;
    this.journal.record({
      type: 'group',
      id: groupId,
      member: { id: memberId, type, removed },
    });
    if (!options.audit) return;
    const group = this.groups.get(groupId)!;
    const groupProps = membershipProperties(group, removed);
    const member =
      type === 'user'
        ? userTarget(this.users.get(memberId)!, groupProps)
        : groupTarget(this.groups.get(memberId)!, groupProps);
    this.audits.add({
      activity,
      category: 'GroupManagement',
      operationType: removed ? 'Delete' : 'Add',
      timeMs: options.timeMs,
      targets: [member, groupTarget(group)],
    });
  }
}
