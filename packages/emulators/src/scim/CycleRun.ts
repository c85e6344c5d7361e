import { identityStoreIdFrom } from '../ids';
import type { EntraGroup, EntraUser } from '../state/EntraDirectory';
import type { IdcUser } from '../state/IdentityStore';
import type { World } from '../state/World';
import { mapGroup, mapUser, userDifferences } from './mapping';
import type { ProvisioningAction } from './ProvisioningLog';
import type { ScimChange } from './types';

/** The work of one cycle against one World; collects changes and writes the provisioning log. */
export class CycleRun {
  readonly changes: ScimChange[] = [];
  readonly #world: World;
  readonly #cycleId: string;
  readonly #onDemand: boolean;

  constructor(world: World, cycleId: string, onDemand: boolean) {
    this.#world = world;
    this.#cycleId = cycleId;
    this.#onDemand = onDemand;
  }

  syncUser(user: EntraUser, scope: Set<string>): void {
    const { identityStore: store, scimIssuer: issuer } = this.#world;
    const now = this.#world.clock.nowMs();
    const desired = mapUser(user, {
      issuer,
      managerIdcId: this.#managerId(user, scope),
    });
    const existingId = store.byExternalId(issuer, user.id);
    if (!existingId) {
      // Entra does not create users that are already disabled.
      if (desired.status === 'DISABLED') return;
      const userId = identityStoreIdFrom(
        store.identityStoreId,
        'user',
        user.id,
      );
      store.putUser({ ...desired, userId, createdMs: now, updatedMs: now });
      this.#record(
        'createUser',
        'create',
        'User',
        user.id,
        userId,
        user.upn,
        user.displayName,
        [
          { displayName: 'userName', oldValue: null, newValue: user.upn },
          { displayName: 'externalId', oldValue: null, newValue: user.id },
        ],
      );
      return;
    }
    const current = store.users.get(existingId)!;
    const diff = userDifferences(current, desired);
    if (diff.length === 0) return;
    store.putUser({ ...current, ...desired, updatedMs: now });
    let action: ScimChange['action'] = 'updateUser';
    if (current.status !== desired.status)
      action = desired.status === 'DISABLED' ? 'disableUser' : 'enableUser';
    this.#record(
      action,
      action === 'disableUser' ? 'disable' : 'update',
      'User',
      user.id,
      existingId,
      user.upn,
      user.displayName,
      diff,
    );
  }

  /** A SCIM-managed user whose Entra user left the scope (or was deleted): disabled, or deleted when hard-deleted. */
  deprovisionUser(user: IdcUser): void {
    const entraId = user.externalId!.Id;
    const entraUser = this.#world.entra.users.get(entraId);
    if (!entraUser) {
      this.#world.identityStore.deleteUser(user.userId);
      this.#record(
        'deleteUser',
        'delete',
        'User',
        entraId,
        user.userId,
        user.userName,
        user.displayName,
        [],
      );
      return;
    }
    if (user.status === 'DISABLED') return;
    this.#world.identityStore.putUser({
      ...user,
      status: 'DISABLED',
      updatedMs: this.#world.clock.nowMs(),
    });
    this.#record(
      'disableUser',
      'disable',
      'User',
      entraId,
      user.userId,
      user.userName,
      user.displayName,
      [{ displayName: 'active', oldValue: 'true', newValue: 'false' }],
    );
  }

  /** Creates/renames the group and reconciles its direct user members (all, or only `only` for on-demand). */
  syncGroup(group: EntraGroup, only: Set<string> | undefined): void {
    const { identityStore: store, scimIssuer: issuer, entra } = this.#world;
    const now = this.#world.clock.nowMs();
    const mapped = mapGroup(group, { issuer });
    let groupId = store.byExternalId(issuer, group.id);
    if (!groupId) {
      groupId = identityStoreIdFrom(store.identityStoreId, 'group', group.id);
      store.putGroup({ ...mapped, groupId, createdMs: now, updatedMs: now });
      this.#record(
        'createGroup',
        'create',
        'Group',
        group.id,
        groupId,
        group.name,
        group.name,
        [
          { displayName: 'displayName', oldValue: null, newValue: group.name },
          { displayName: 'externalId', oldValue: null, newValue: group.id },
        ],
      );
    } else {
      const current = store.groups.get(groupId)!;
      if (current.displayName !== mapped.displayName) {
        store.putGroup({
          ...current,
          displayName: mapped.displayName,
          updatedMs: now,
        });
        this.#record(
          'updateGroup',
          'update',
          'Group',
          group.id,
          groupId,
          group.name,
          group.name,
          [
            {
              displayName: 'displayName',
              oldValue: current.displayName,
              newValue: mapped.displayName,
            },
          ],
        );
      }
    }
    const desired = new Set<string>();
    for (const memberId of entra.members.targets(group.id)) {
      if (
        entra.memberType(memberId) !== 'user' ||
        (only && !only.has(memberId))
      )
        continue;
      const idcId = store.byExternalId(issuer, memberId);
      if (idcId) desired.add(idcId);
    }
    for (const userId of desired) {
      if (store.addMember(groupId, userId, now))
        this.#membership('addMember', group, groupId, store.users.get(userId)!);
    }
    for (const userId of [...store.members.targets(groupId)]) {
      const user = store.users.get(userId)!;
      // Only members SCIM itself manages; unmanaged additions are not Entra's to remove.
      if (desired.has(userId) || user.externalId?.Issuer !== issuer) continue;
      if (only && !only.has(user.externalId.Id)) continue;
      store.removeMember(groupId, userId);
      this.#membership('removeMember', group, groupId, user);
    }
  }

  /** A group no longer assigned to the app keeps its object but loses its SCIM-managed memberships. */
  unassignGroup(group: EntraGroup): void {
    const { identityStore: store, scimIssuer: issuer } = this.#world;
    const groupId = store.byExternalId(issuer, group.id);
    if (!groupId) return;
    for (const userId of [...store.members.targets(groupId)]) {
      const user = store.users.get(userId)!;
      if (user.externalId?.Issuer !== issuer) continue;
      store.removeMember(groupId, userId);
      this.#membership('removeMember', group, groupId, user);
    }
  }

  failure(
    objectType: 'User' | 'Group',
    source: EntraUser | EntraGroup,
    reason: string,
  ): void {
    const name = 'upn' in source ? source.upn : source.name;
    this.#world.provisioningLog.add({
      cycleId: this.#cycleId,
      action: 'other',
      timeMs: this.#world.clock.nowMs(),
      objectType,
      source: { id: source.id, displayName: name },
      target: { id: '', displayName: name },
      modifiedProperties: [],
      description: `Failed to provision ${name}: the provisioning job is quarantined (${reason})`,
      onDemand: this.#onDemand,
      failure: {
        code: 'SystemForCrossDomainIdentityManagementCredentialsInvalid',
        reason,
      },
    });
  }

  #managerId(user: EntraUser, scope: Set<string>): string | undefined {
    if (!user.managerId) return undefined;
    const { identityStore: store, scimIssuer: issuer, entra } = this.#world;
    const existing = store.byExternalId(issuer, user.managerId);
    if (existing) return existing;
    const manager = entra.users.get(user.managerId);
    // Provisioned later in this same cycle.
    return manager?.enabled && scope.has(manager.id)
      ? identityStoreIdFrom(store.identityStoreId, 'user', manager.id)
      : undefined;
  }

  #membership(
    action: 'addMember' | 'removeMember',
    group: EntraGroup,
    groupId: string,
    user: IdcUser,
  ) {
    const added = action === 'addMember';
    this.changes.push({
      action,
      entraId: group.id,
      identityStoreId: groupId,
      name: group.name,
      group: group.name,
      user: user.userName,
    });
    this.#world.provisioningLog.add({
      cycleId: this.#cycleId,
      action: 'update',
      timeMs: this.#world.clock.nowMs(),
      objectType: 'Group',
      source: { id: group.id, displayName: group.name },
      target: { id: groupId, displayName: group.name },
      modifiedProperties: [
        {
          displayName: 'members',
          oldValue: added ? null : user.userName,
          newValue: added ? user.userName : null,
        },
      ],
      description: `${added ? 'Added' : 'Removed'} ${user.userName} ${
        added ? 'to' : 'from'
      } ${group.name} in AWS IAM Identity Center`,
      onDemand: this.#onDemand,
    });
  }

  #record(
    action: ScimChange['action'],
    logAction: ProvisioningAction,
    objectType: 'User' | 'Group',
    entraId: string,
    identityStoreId: string,
    name: string,
    displayName: string,
    modifiedProperties: NonNullable<ScimChange['modifiedProperties']>,
  ) {
    this.changes.push({
      action,
      entraId,
      identityStoreId,
      name,
      modifiedProperties,
    });
    this.#world.provisioningLog.add({
      cycleId: this.#cycleId,
      action: logAction,
      timeMs: this.#world.clock.nowMs(),
      objectType,
      source: { id: entraId, displayName: name },
      target: { id: identityStoreId, displayName },
      modifiedProperties,
      description: `${action
        .replace(/([A-Z])/g, ' $1')
        .toLowerCase()}: ${name} in AWS IAM Identity Center`,
      onDemand: this.#onDemand,
    });
  }
}
