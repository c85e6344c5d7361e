import type { OrgAccount, OrgUnit } from '../state/Organization';
import type { AwsContext, AwsHandler } from './context';
import { compact, epoch } from './context';
import { AwsError } from './errors';
import {
  listing,
  nextTokenMember,
  operation,
  pagingMembers,
} from './operation';
import type { Validator } from './validate';
import { PATTERNS } from './validate';

/*
 * Organizations (`AWSOrganizationsV20161128`): the organization, accounts with their tags and OU paths, and the
 * root/OU tree. Every list caps MaxResults at 20; validation problems are InvalidInputException with a Reason.
 */

function renderAccount(account: OrgAccount, ctx: AwsContext) {
  const org = ctx.world.organization;
  return {
    Id: account.id,
    Arn: org.accountArn(account.id),
    Email: account.email,
    Name: account.name,
    Status: account.status,
    State: account.status,
    JoinedMethod: account.joinedMethod,
    JoinedTimestamp: epoch(account.joinedMs),
    Paths: [org.path(account.parentId, account.id)],
  };
}

function renderUnit(unit: OrgUnit, ctx: AwsContext) {
  return {
    Id: unit.id,
    Arn: ctx.world.organization.unitArn(unit.id),
    Name: unit.name,
  };
}

function requireAccount(ctx: AwsContext, id: string): OrgAccount {
  const account = ctx.world.organization.accounts.get(id);
  if (!account)
    throw new AwsError(
      'AccountNotFoundException',
      `You specified an account that doesn't exist.`,
    );
  return account;
}

function requireParent(ctx: AwsContext, id: string) {
  if (!ctx.world.organization.isParent(id)) {
    throw new AwsError(
      'ParentNotFoundException',
      `We can't find a root or OU with the ParentId that you specified.`,
    );
  }
}

/** A parent's (root or OU) children of one kind, paged. */
function childrenOf<T>(spec: {
  key: string;
  items: (ctx: AwsContext, parentId: string) => readonly T[];
  render?: (item: T, ctx: AwsContext) => unknown;
}): AwsHandler {
  return listing({
    read: v => ({ parentId: parentIdMember(v)!, ...pagingMembers(v) }),
    list: ({ parentId }, ctx) => {
      requireParent(ctx, parentId);
      return { items: spec.items(ctx, parentId), scope: parentId };
    },
    key: spec.key,
    ...(spec.render && { render: spec.render }),
    defaultMax: 20,
  });
}

function parentIdMember(v: Validator) {
  return v.string('ParentId', {
    required: true,
    pattern: PATTERNS.orgParentId,
    max: 100,
  });
}

export const organizationsHandlers: Record<string, AwsHandler> = {
  DescribeOrganization: operation(
    () => ({}),
    (_input, ctx) => {
      const org = ctx.world.organization;
      const management = org.accounts.get(org.managementAccountId);
      return {
        Organization: compact({
          Id: org.id,
          Arn: org.arn,
          FeatureSet: 'ALL',
          MasterAccountArn: org.accountArn(org.managementAccountId),
          MasterAccountId: org.managementAccountId,
          MasterAccountEmail: management?.email,
          AvailablePolicyTypes: [
            { Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' },
          ],
        }),
      };
    },
  ),

  ListAccounts: listing({
    read: pagingMembers,
    list: (_input, ctx) => ({
      items: ctx.world.organization.accounts.values(),
      scope: '',
    }),
    key: 'Accounts',
    render: renderAccount,
    defaultMax: 20,
  }),

  DescribeAccount: operation(
    v =>
      v.string('AccountId', {
        required: true,
        pattern: PATTERNS.accountId,
        max: 12,
      })!,
    (id, ctx) => ({ Account: renderAccount(requireAccount(ctx, id), ctx) }),
  ),

  ListTagsForResource: listing({
    read: v => ({
      id: v.string('ResourceId', {
        required: true,
        pattern: PATTERNS.orgResourceId,
        max: 130,
      })!,
      nextToken: nextTokenMember(v),
    }),
    list: ({ id }, ctx) => {
      const org = ctx.world.organization;
      let tags: Record<string, string>;
      if (/^\d{12}$/.test(id)) {
        const account = org.accounts.get(id);
        if (!account)
          throw new AwsError(
            'TargetNotFoundException',
            `We can't find a resource with the ResourceId that you specified.`,
          );
        tags = account.tags;
      } else if (org.isParent(id)) {
        tags = {};
      } else {
        throw new AwsError(
          'TargetNotFoundException',
          `We can't find a resource with the ResourceId that you specified.`,
        );
      }
      return {
        items: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
        scope: id,
      };
    },
    key: 'Tags',
    defaultMax: 20,
  }),

  ListRoots: listing({
    read: pagingMembers,
    list: (_input, ctx) => {
      const org = ctx.world.organization;
      const root = {
        Id: org.rootId,
        Arn: org.rootArn(),
        Name: 'Root',
        PolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }],
      };
      return { items: [root], scope: '' };
    },
    key: 'Roots',
    defaultMax: 20,
  }),

  ListOrganizationalUnitsForParent: childrenOf({
    key: 'OrganizationalUnits',
    items: (ctx, parentId) =>
      ctx.world.organization.units
        .values()
        .filter(u => u.parentId === parentId),
    render: renderUnit,
  }),

  ListAccountsForParent: childrenOf({
    key: 'Accounts',
    items: (ctx, parentId) =>
      ctx.world.organization.accounts
        .values()
        .filter(a => a.parentId === parentId),
    render: renderAccount,
  }),

  ListChildren: listing({
    read: v => ({
      parentId: parentIdMember(v)!,
      childType: v.string('ChildType', {
        required: true,
        enum: ['ACCOUNT', 'ORGANIZATIONAL_UNIT'],
      }),
      ...pagingMembers(v),
    }),
    list: ({ parentId, childType }, ctx) => {
      requireParent(ctx, parentId);
      const org = ctx.world.organization;
      const items =
        childType === 'ACCOUNT'
          ? org.accounts
              .values()
              .filter(a => a.parentId === parentId)
              .map(a => ({ Id: a.id, Type: 'ACCOUNT' }))
          : org.units
              .values()
              .filter(u => u.parentId === parentId)
              .map(u => ({ Id: u.id, Type: 'ORGANIZATIONAL_UNIT' }));
      return { items, scope: `${parentId}|${childType}` };
    },
    key: 'Children',
    defaultMax: 20,
  }),

  ListParents: listing({
    read: v => ({
      childId: v.string('ChildId', {
        required: true,
        pattern: PATTERNS.orgChildId,
        max: 100,
      })!,
      ...pagingMembers(v),
    }),
    list: ({ childId }, ctx) => {
      const org = ctx.world.organization;
      const parentId = /^\d{12}$/.test(childId)
        ? org.accounts.get(childId)?.parentId
        : org.units.get(childId)?.parentId;
      if (!parentId)
        throw new AwsError(
          'ChildNotFoundException',
          `We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.`,
        );
      const parent = {
        Id: parentId,
        Type: parentId === org.rootId ? 'ROOT' : 'ORGANIZATIONAL_UNIT',
      };
      return { items: [parent], scope: childId };
    },
    key: 'Parents',
    defaultMax: 20,
  }),

  DescribeOrganizationalUnit: operation(
    v =>
      v.string('OrganizationalUnitId', {
        required: true,
        pattern: PATTERNS.orgUnitId,
        max: 68,
      })!,
    (id, ctx) => {
      const unit = ctx.world.organization.units.get(id);
      if (!unit)
        throw new AwsError(
          'OrganizationalUnitNotFoundException',
          `We can't find an OU with the OrganizationalUnitId that you specified.`,
        );
      return { OrganizationalUnit: renderUnit(unit, ctx) };
    },
  ),
};
