import type { IdcGroup, IdcMembership, IdcUser } from '../state/IdentityStore';
import type { AwsContext, AwsHandler } from './context';
import { compact, epoch } from './context';
import { AwsError, notFound } from './errors';
import { listing, operation, pagingMembers } from './operation';
import type { Validator } from './validate';
import { PATTERNS } from './validate';

/*
 * Identity Store (`AWSIdentityStore`): users, groups and flat memberships as SCIM (or an administrator) left them.
 * List outputs always carry their list member; objects carry ExternalIds only when SCIM created them.
 */

const ENTERPRISE = 'aws:identitystore:enterprise';

function storeMember(v: Validator) {
  return v.string('IdentityStoreId', {
    required: true,
    pattern: PATTERNS.identityStoreId,
    min: 1,
    max: 36,
  });
}

function requireStore(ctx: AwsContext, id: string | undefined) {
  if (id !== undefined && id !== ctx.world.identityStore.identityStoreId) {
    throw notFound('identitystore', `Identity store ${id} not found.`, {
      ResourceType: 'IDENTITY_STORE',
      ResourceId: id,
    });
  }
}

function idMember(v: Validator, name: string, required = true) {
  return v.string(name, {
    required,
    pattern: PATTERNS.principalId,
    min: 1,
    max: 47,
  });
}

function memberId(v: Validator): string | undefined {
  const member = v.object('MemberId', {
    required: true,
    exactlyOne: ['UserId'],
  });
  return member
    ? v.stringAt('MemberId.UserId', member.UserId, {
        required: true,
        pattern: PATTERNS.principalId,
        min: 1,
        max: 47,
      })
    : undefined;
}

function renderUser(ctx: AwsContext, user: IdcUser, extensions: string[] = []) {
  const storeId = ctx.world.identityStore.identityStoreId;
  const enterprise =
    extensions.includes(ENTERPRISE) && (user.department || user.managerId)
      ? {
          [ENTERPRISE]: compact({
            department: user.department,
            manager: user.managerId ? { value: user.managerId } : undefined,
          }),
        }
      : undefined;
  return compact({
    IdentityStoreId: storeId,
    UserId: user.userId,
    UserName: user.userName,
    ExternalIds: user.externalId ? [user.externalId] : undefined,
    Name: compact({
      Formatted: user.displayName,
      FamilyName: user.familyName,
      GivenName: user.givenName,
    }),
    DisplayName: user.displayName,
    Emails: user.email
      ? [{ Value: user.email, Type: 'work', Primary: true }]
      : undefined,
    Title: user.title,
    UserStatus: user.status,
    CreatedAt: epoch(user.createdMs),
    UpdatedAt: epoch(user.updatedMs),
    Extensions: enterprise,
  });
}

function renderGroup(ctx: AwsContext, group: IdcGroup) {
  return compact({
    GroupId: group.groupId,
    DisplayName: group.displayName,
    ExternalIds: group.externalId ? [group.externalId] : undefined,
    Description: group.description,
    CreatedAt: epoch(group.createdMs),
    UpdatedAt: epoch(group.updatedMs),
    IdentityStoreId: ctx.world.identityStore.identityStoreId,
  });
}

function renderMembership(ctx: AwsContext, m: IdcMembership) {
  return {
    IdentityStoreId: ctx.world.identityStore.identityStoreId,
    MembershipId: m.membershipId,
    GroupId: m.groupId,
    MemberId: { UserId: m.userId },
    CreatedAt: epoch(m.createdMs),
    UpdatedAt: epoch(m.createdMs),
  };
}

function requireUser(ctx: AwsContext, userId: string): IdcUser {
  const user = ctx.world.identityStore.users.get(userId);
  if (!user)
    throw notFound('identitystore', `USER not found.`, {
      ResourceType: 'USER',
      ResourceId: userId,
    });
  return user;
}

function requireGroup(ctx: AwsContext, groupId: string): IdcGroup {
  const group = ctx.world.identityStore.groups.get(groupId);
  if (!group)
    throw notFound('identitystore', `GROUP not found.`, {
      ResourceType: 'GROUP',
      ResourceId: groupId,
    });
  return group;
}

/** The deprecated one-element `Filters` member (UserName on users, DisplayName on groups). */
function filterValue(v: Validator, attribute: string): string | undefined {
  const filters = v.list('Filters', { max: 1 });
  if (!filters || filters.length === 0) return undefined;
  const filter = (filters[0] ?? {}) as Record<string, unknown>;
  const path = v.stringAt(
    'Filters.member.attributePath',
    filter.AttributePath,
    { required: true, min: 1, max: 255 },
  );
  const value = v.stringAt(
    'Filters.member.attributeValue',
    filter.AttributeValue,
    { required: true, min: 1, max: 1024 },
  );
  if (path !== undefined && path !== attribute) {
    v.check();
    throw new AwsError(
      'ValidationException',
      `Invalid filter attribute path ${path}. Only ${attribute} is supported.`,
    );
  }
  return value;
}

/** AlternateIdentifier union: ExternalId or UniqueAttribute. */
function alternateIdentifier(v: Validator) {
  const alt = v.object('AlternateIdentifier', {
    required: true,
    exactlyOne: ['ExternalId', 'UniqueAttribute'],
  });
  if (!alt) return undefined;
  if (alt.ExternalId) {
    const ext = alt.ExternalId as Record<string, unknown>;
    const issuer = v.stringAt(
      'AlternateIdentifier.ExternalId.Issuer',
      ext.Issuer,
      { required: true, min: 1, max: 256 },
    );
    const id = v.stringAt('AlternateIdentifier.ExternalId.Id', ext.Id, {
      required: true,
      min: 1,
      max: 256,
    });
    return { kind: 'external' as const, issuer: issuer!, id: id! };
  }
  const unique = (alt.UniqueAttribute ?? {}) as Record<string, unknown>;
  const path = v.stringAt(
    'AlternateIdentifier.UniqueAttribute.AttributePath',
    unique.AttributePath,
    { required: true, min: 1, max: 255 },
  );
  if (unique.AttributeValue === undefined || unique.AttributeValue === null) {
    v.stringAt(
      'AlternateIdentifier.UniqueAttribute.AttributeValue',
      undefined,
      { required: true },
    );
  }
  return {
    kind: 'unique' as const,
    path: path!,
    value: String(unique.AttributeValue),
  };
}

/** A user or group by name (`Filters`) or all of them. */
function byName<T>(
  all: readonly T[],
  name: string | undefined,
  find: (name: string) => T | undefined,
): readonly T[] {
  if (name === undefined) return all;
  const found = find(name);
  return found ? [found] : [];
}

/** The store named by `IdentityStoreId`, then the rest of the members. */
function inStore<I>(read: (v: Validator) => I) {
  return (v: Validator) => ({ store: storeMember(v), ...read(v) });
}

function readExtensions(v: Validator) {
  return v.list('Extensions', { min: 1, max: 10 }) as string[] | undefined;
}

/** GetUserId / GetGroupId: an id by external id or unique attribute, or 404. */
function idLookup(
  type: 'USER' | 'GROUP',
  resolve: (
    ctx: AwsContext,
    alt: NonNullable<ReturnType<typeof alternateIdentifier>>,
  ) => string | undefined,
  answer: (id: string, storeId: string) => Record<string, unknown>,
): AwsHandler {
  return operation(
    inStore((v: Validator) => ({ alt: alternateIdentifier(v)! })),
    ({ store, alt }, ctx) => {
      requireStore(ctx, store);
      const id = resolve(ctx, alt);
      if (!id)
        throw notFound('identitystore', `${type} not found.`, {
          ResourceType: type,
        });
      return answer(id, ctx.world.identityStore.identityStoreId);
    },
  );
}

const notUnique = (path: string) =>
  new AwsError(
    'ValidationException',
    `The attribute ${path} is not a unique attribute`,
  );

export const identityStoreHandlers: Record<string, AwsHandler> = {
  ListUsers: listing({
    read: v => ({
      store: storeMember(v),
      ...pagingMembers(v),
      userName: filterValue(v, 'UserName'),
      extensions: readExtensions(v),
    }),
    list: ({ store, userName }, ctx) => {
      requireStore(ctx, store);
      const { identityStore } = ctx.world;
      return {
        items: byName(identityStore.users.values(), userName, n =>
          identityStore.userByName(n),
        ),
        scope: `${store}|${userName ?? ''}`,
      };
    },
    key: 'Users',
    render: (u, ctx, { extensions }) => renderUser(ctx, u, extensions),
    defaultMax: 100,
  }),

  ListGroups: listing({
    read: v => ({
      store: storeMember(v),
      ...pagingMembers(v),
      displayName: filterValue(v, 'DisplayName'),
    }),
    list: ({ store, displayName }, ctx) => {
      requireStore(ctx, store);
      const { identityStore } = ctx.world;
      return {
        items: byName(identityStore.groups.values(), displayName, n =>
          identityStore.groupByName(n),
        ),
        scope: `${store}|${displayName ?? ''}`,
      };
    },
    key: 'Groups',
    render: (g, ctx) => renderGroup(ctx, g),
    defaultMax: 100,
  }),

  ListGroupMemberships: listing({
    read: v => ({
      store: storeMember(v),
      groupId: idMember(v, 'GroupId')!,
      ...pagingMembers(v),
    }),
    list: ({ store, groupId }, ctx) => {
      requireStore(ctx, store);
      requireGroup(ctx, groupId);
      return {
        items: ctx.world.identityStore.groupMemberships(groupId),
        scope: groupId,
      };
    },
    key: 'GroupMemberships',
    render: (m, ctx) => renderMembership(ctx, m),
    defaultMax: 100,
  }),

  ListGroupMembershipsForMember: listing({
    read: v => ({
      store: storeMember(v),
      userId: memberId(v)!,
      ...pagingMembers(v),
    }),
    list: ({ store, userId }, ctx) => {
      requireStore(ctx, store);
      requireUser(ctx, userId);
      return {
        items: ctx.world.identityStore.userMemberships(userId),
        scope: userId,
      };
    },
    key: 'GroupMemberships',
    render: (m, ctx) => renderMembership(ctx, m),
    defaultMax: 100,
  }),

  DescribeUser: operation(
    inStore((v: Validator) => ({
      userId: idMember(v, 'UserId')!,
      extensions: readExtensions(v),
    })),
    ({ store, userId, extensions }, ctx) => {
      requireStore(ctx, store);
      return renderUser(ctx, requireUser(ctx, userId), extensions);
    },
  ),

  DescribeGroup: operation(
    inStore((v: Validator) => ({ groupId: idMember(v, 'GroupId')! })),
    ({ store, groupId }, ctx) => {
      requireStore(ctx, store);
      return renderGroup(ctx, requireGroup(ctx, groupId));
    },
  ),

  GetUserId: idLookup(
    'USER',
    (ctx, alt) => {
      const { identityStore } = ctx.world;
      if (alt.kind === 'external') {
        const id = identityStore.byExternalId(alt.issuer, alt.id);
        return id && identityStore.users.has(id) ? id : undefined;
      }
      if (alt.path === 'userName')
        return identityStore.userByName(alt.value)?.userId;
      if (alt.path === 'emails.value')
        return identityStore.userByEmail(alt.value)?.userId;
      throw notUnique(alt.path);
    },
    (id, storeId) => ({ IdentityStoreId: storeId, UserId: id }),
  ),

  GetGroupId: idLookup(
    'GROUP',
    (ctx, alt) => {
      const { identityStore } = ctx.world;
      if (alt.kind === 'external') {
        const id = identityStore.byExternalId(alt.issuer, alt.id);
        return id && identityStore.groups.has(id) ? id : undefined;
      }
      if (alt.path === 'displayName')
        return identityStore.groupByName(alt.value)?.groupId;
      throw notUnique(alt.path);
    },
    (id, storeId) => ({ GroupId: id, IdentityStoreId: storeId }),
  ),

  IsMemberInGroups: operation(
    inStore((v: Validator) => {
      const userId = memberId(v)!;
      const groupIds = v.list('GroupIds', {
        required: true,
        min: 1,
        max: 100,
      }) as string[] | undefined;
      (groupIds ?? []).forEach((id, i) =>
        v.stringAt(`GroupIds.${i + 1}.member`, id, {
          pattern: PATTERNS.principalId,
          min: 1,
          max: 47,
        }),
      );
      return { userId, groupIds: groupIds! };
    }),
    ({ store, userId, groupIds }, ctx) => {
      requireStore(ctx, store);
      requireUser(ctx, userId);
      return {
        Results: groupIds.map(groupId => ({
          GroupId: groupId,
          MemberId: { UserId: userId },
          MembershipExists: ctx.world.identityStore.members.has(
            groupId,
            userId,
          ),
        })),
      };
    },
  ),

  GetGroupMembershipId: operation(
    inStore((v: Validator) => ({
      groupId: idMember(v, 'GroupId')!,
      userId: memberId(v)!,
    })),
    ({ store, groupId, userId }, ctx) => {
      requireStore(ctx, store);
      const membership = ctx.world.identityStore.membershipOf(groupId, userId);
      if (!membership)
        throw notFound('identitystore', 'GROUP_MEMBERSHIP not found.', {
          ResourceType: 'GROUP_MEMBERSHIP',
        });
      return {
        MembershipId: membership.membershipId,
        IdentityStoreId: ctx.world.identityStore.identityStoreId,
      };
    },
  ),

  DescribeGroupMembership: operation(
    inStore((v: Validator) => ({ membershipId: idMember(v, 'MembershipId')! })),
    ({ store, membershipId }, ctx) => {
      requireStore(ctx, store);
      const membership = ctx.world.identityStore.membership(membershipId);
      if (!membership)
        throw notFound('identitystore', 'GROUP_MEMBERSHIP not found.', {
          ResourceType: 'GROUP_MEMBERSHIP',
          ResourceId: membershipId,
        });
      return renderMembership(ctx, membership);
    },
  ),
};
