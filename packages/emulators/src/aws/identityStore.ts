import type { IdcGroup, IdcMembership, IdcUser } from '../state/IdentityStore';
import type { AwsContext, AwsHandler } from './context';
import { compact, epoch } from './context';
import { AwsError, notFound } from './errors';
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

function paging(v: Validator) {
  return {
    maxResults: v.integer('MaxResults', { min: 1, max: 100 }),
    nextToken: v.string('NextToken', {
      pattern: PATTERNS.idsNextToken,
      min: 1,
      max: 65535,
    }),
  };
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

export const identityStoreHandlers: Record<string, AwsHandler> = {
  ListUsers: (input, ctx) => {
    const v = ctx.validator(input);
    const store = storeMember(v);
    const page = paging(v);
    const userName = filterValue(v, 'UserName');
    const extensions = v.list('Extensions', { min: 1, max: 10 }) as
      | string[]
      | undefined;
    v.check();
    requireStore(ctx, store);
    const all = ctx.world.identityStore.users.values();
    const items =
      userName === undefined
        ? all
        : [ctx.world.identityStore.userByName(userName)].filter(
            (u): u is IdcUser => !!u,
          );
    const result = ctx.page(items, {
      scope: `${store}|${userName ?? ''}`,
      ...page,
      defaultMax: 100,
    });
    return compact({
      Users: result.page.map(u => renderUser(ctx, u, extensions)),
      NextToken: result.nextToken,
    });
  },

  ListGroups: (input, ctx) => {
    const v = ctx.validator(input);
    const store = storeMember(v);
    const page = paging(v);
    const displayName = filterValue(v, 'DisplayName');
    v.check();
    requireStore(ctx, store);
    const all = ctx.world.identityStore.groups.values();
    const items =
      displayName === undefined
        ? all
        : [ctx.world.identityStore.groupByName(displayName)].filter(
            (g): g is IdcGroup => !!g,
          );
    const result = ctx.page(items, {
      scope: `${store}|${displayName ?? ''}`,
      ...page,
      defaultMax: 100,
    });
    return compact({
      Groups: result.page.map(g => renderGroup(ctx, g)),
      NextToken: result.nextToken,
    });
  },

  ListGroupMemberships: (input, ctx) => {
    const v = ctx.validator(input);
    const store = storeMember(v);
    const groupId = idMember(v, 'GroupId');
    const page = paging(v);
    v.check();
    requireStore(ctx, store);
    requireGroup(ctx, groupId!);
    const result = ctx.page(
      ctx.world.identityStore.groupMemberships(groupId!),
      { scope: groupId!, ...page, defaultMax: 100 },
    );
    return compact({
      GroupMemberships: result.page.map(m => renderMembership(ctx, m)),
      NextToken: result.nextToken,
    });
  },

  ListGroupMembershipsForMember: (input, ctx) => {
    const v = ctx.validator(input);
    const store = storeMember(v);
    const userId = memberId(v);
    const page = paging(v);
    v.check();
    requireStore(ctx, store);
    requireUser(ctx, userId!);
    const result = ctx.page(ctx.world.identityStore.userMemberships(userId!), {
      scope: userId!,
      ...page,
      defaultMax: 100,
    });
    return compact({
      GroupMemberships: result.page.map(m => renderMembership(ctx, m)),
      NextToken: result.nextToken,
    });
  },

  DescribeUser: (input, ctx) => {
    const v = ctx.validator(input);
    const store = storeMember(v);
    const userId = idMember(v, 'UserId');
    const extensions = v.list('Extensions', { min: 1, max: 10 }) as
      | string[]
      | undefined;
    v.check();
    requireStore(ctx, store);
    return renderUser(ctx, requireUser(ctx, userId!), extensions);
  },

  DescribeGroup: (input, ctx) => {
    const v = ctx.validator(input);
    const store = storeMember(v);
    const groupId = idMember(v, 'GroupId');
    v.check();
    requireStore(ctx, store);
    return renderGroup(ctx, requireGroup(ctx, groupId!));
  },

  GetUserId: (input, ctx) => {
    const v = ctx.validator(input);
    const store = storeMember(v);
    const alt = alternateIdentifier(v);
    v.check();
    requireStore(ctx, store);
    const { identityStore } = ctx.world;
    let userId: string | undefined;
    if (alt!.kind === 'external') {
      const id = identityStore.byExternalId(alt!.issuer, alt!.id);
      userId = id && identityStore.users.has(id) ? id : undefined;
    } else if (alt!.path === 'userName') {
      userId = identityStore.userByName(alt!.value)?.userId;
    } else if (alt!.path === 'emails.value') {
      userId = identityStore.userByEmail(alt!.value)?.userId;
    } else {
      throw new AwsError(
        'ValidationException',
        `The attribute ${alt!.path} is not a unique attribute`,
      );
    }
    if (!userId)
      throw notFound('identitystore', 'USER not found.', {
        ResourceType: 'USER',
      });
    return { IdentityStoreId: identityStore.identityStoreId, UserId: userId };
  },

  GetGroupId: (input, ctx) => {
    const v = ctx.validator(input);
    const store = storeMember(v);
    const alt = alternateIdentifier(v);
    v.check();
    requireStore(ctx, store);
    const { identityStore } = ctx.world;
    let groupId: string | undefined;
    if (alt!.kind === 'external') {
      const id = identityStore.byExternalId(alt!.issuer, alt!.id);
      groupId = id && identityStore.groups.has(id) ? id : undefined;
    } else if (alt!.path === 'displayName') {
      groupId = identityStore.groupByName(alt!.value)?.groupId;
    } else {
      throw new AwsError(
        'ValidationException',
        `The attribute ${alt!.path} is not a unique attribute`,
      );
    }
    if (!groupId)
      throw notFound('identitystore', 'GROUP not found.', {
        ResourceType: 'GROUP',
      });
    return { GroupId: groupId, IdentityStoreId: identityStore.identityStoreId };
  },

  IsMemberInGroups: (input, ctx) => {
    const v = ctx.validator(input);
    const store = storeMember(v);
    const userId = memberId(v);
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
    v.check();
    requireStore(ctx, store);
    requireUser(ctx, userId!);
    return {
      Results: groupIds!.map(groupId => ({
        GroupId: groupId,
        MemberId: { UserId: userId },
        MembershipExists: ctx.world.identityStore.members.has(groupId, userId!),
      })),
    };
  },

  GetGroupMembershipId: (input, ctx) => {
    const v = ctx.validator(input);
    const store = storeMember(v);
    const groupId = idMember(v, 'GroupId');
    const userId = memberId(v);
    v.check();
    requireStore(ctx, store);
    const membership = ctx.world.identityStore.membershipOf(groupId!, userId!);
    if (!membership)
      throw notFound('identitystore', 'GROUP_MEMBERSHIP not found.', {
        ResourceType: 'GROUP_MEMBERSHIP',
      });
    return {
      MembershipId: membership.membershipId,
      IdentityStoreId: ctx.world.identityStore.identityStoreId,
    };
  },

  DescribeGroupMembership: (input, ctx) => {
    const v = ctx.validator(input);
    const store = storeMember(v);
    const membershipId = idMember(v, 'MembershipId');
    v.check();
    requireStore(ctx, store);
    const membership = ctx.world.identityStore.membership(membershipId!);
    if (!membership)
      throw notFound('identitystore', 'GROUP_MEMBERSHIP not found.', {
        ResourceType: 'GROUP_MEMBERSHIP',
        ResourceId: membershipId,
      });
    return renderMembership(ctx, membership);
  },
};
