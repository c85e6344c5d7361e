import type { OrgAccount, OrgUnit } from '../state/Organization';
import type { AwsContext, AwsHandler } from './context';
import { compact, epoch } from './context';
import { AwsError } from './errors';
import type { Validator } from './validate';
import { PATTERNS } from './validate';

/*
 * Organizations (`AWSOrganizationsV20161128`): the organization, accounts with their tags and OU paths, and the
 * root/OU tree. Every list caps MaxResults at 20; validation problems are InvalidInputException with a Reason.
 */

function paging(v: Validator) {
  return {
    maxResults: v.integer('MaxResults', { min: 1, max: 20 }),
    nextToken: v.string('NextToken', { max: 100000 }),
  };
}

function renderAccount(ctx: AwsContext, account: OrgAccount) {
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

function renderUnit(ctx: AwsContext, unit: OrgUnit) {
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

export const organizationsHandlers: Record<string, AwsHandler> = {
  DescribeOrganization: (_input, ctx) => {
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

  ListAccounts: (input, ctx) => {
    const v = ctx.validator(input);
    const page = paging(v);
    v.check();
    const result = ctx.page(ctx.world.organization.accounts.values(), {
      scope: '',
      ...page,
      defaultMax: 20,
    });
    return compact({
      Accounts: result.page.map(a => renderAccount(ctx, a)),
      NextToken: result.nextToken,
    });
  },

  DescribeAccount: (input, ctx) => {
    const v = ctx.validator(input);
    const id = v.string('AccountId', {
      required: true,
      pattern: PATTERNS.accountId,
      max: 12,
    });
    v.check();
    return { Account: renderAccount(ctx, requireAccount(ctx, id!)) };
  },

  ListTagsForResource: (input, ctx) => {
    const v = ctx.validator(input);
    const id = v.string('ResourceId', {
      required: true,
      pattern: PATTERNS.orgResourceId,
      max: 130,
    });
    const nextToken = v.string('NextToken', { max: 100000 });
    v.check();
    const org = ctx.world.organization;
    let tags: Record<string, string>;
    if (/^\d{12}$/.test(id!)) {
      const account = org.accounts.get(id!);
      if (!account)
        throw new AwsError(
          'TargetNotFoundException',
          `We can't find a resource with the ResourceId that you specified.`,
        );
      tags = account.tags;
    } else if (org.isParent(id!)) {
      tags = {};
    } else {
      throw new AwsError(
        'TargetNotFoundException',
        `We can't find a resource with the ResourceId that you specified.`,
      );
    }
    const entries = Object.entries(tags).map(([Key, Value]) => ({
      Key,
      Value,
    }));
    const result = ctx.page(entries, { scope: id!, nextToken, defaultMax: 20 });
    return compact({ Tags: result.page, NextToken: result.nextToken });
  },

  ListRoots: (input, ctx) => {
    const v = ctx.validator(input);
    const page = paging(v);
    v.check();
    const org = ctx.world.organization;
    const roots = [
      {
        Id: org.rootId,
        Arn: org.rootArn(),
        Name: 'Root',
        PolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }],
      },
    ];
    const result = ctx.page(roots, { scope: '', ...page, defaultMax: 20 });
    return compact({ Roots: result.page, NextToken: result.nextToken });
  },

  ListOrganizationalUnitsForParent: (input, ctx) => {
    const v = ctx.validator(input);
    const parentId = v.string('ParentId', {
      required: true,
      pattern: PATTERNS.orgParentId,
      max: 100,
    });
    const page = paging(v);
    v.check();
    requireParent(ctx, parentId!);
    const units = ctx.world.organization.units
      .values()
      .filter(u => u.parentId === parentId);
    const result = ctx.page(units, {
      scope: parentId!,
      ...page,
      defaultMax: 20,
    });
    return compact({
      OrganizationalUnits: result.page.map(u => renderUnit(ctx, u)),
      NextToken: result.nextToken,
    });
  },

  ListAccountsForParent: (input, ctx) => {
    const v = ctx.validator(input);
    const parentId = v.string('ParentId', {
      required: true,
      pattern: PATTERNS.orgParentId,
      max: 100,
    });
    const page = paging(v);
    v.check();
    requireParent(ctx, parentId!);
    const accounts = ctx.world.organization.accounts
      .values()
      .filter(a => a.parentId === parentId);
    const result = ctx.page(accounts, {
      scope: parentId!,
      ...page,
      defaultMax: 20,
    });
    return compact({
      Accounts: result.page.map(a => renderAccount(ctx, a)),
      NextToken: result.nextToken,
    });
  },

  ListChildren: (input, ctx) => {
    const v = ctx.validator(input);
    const parentId = v.string('ParentId', {
      required: true,
      pattern: PATTERNS.orgParentId,
      max: 100,
    });
    const childType = v.string('ChildType', {
      required: true,
      enum: ['ACCOUNT', 'ORGANIZATIONAL_UNIT'],
    });
    const page = paging(v);
    v.check();
    requireParent(ctx, parentId!);
    const org = ctx.world.organization;
    const children =
      childType === 'ACCOUNT'
        ? org.accounts
            .values()
            .filter(a => a.parentId === parentId)
            .map(a => ({ Id: a.id, Type: 'ACCOUNT' }))
        : org.units
            .values()
            .filter(u => u.parentId === parentId)
            .map(u => ({ Id: u.id, Type: 'ORGANIZATIONAL_UNIT' }));
    const result = ctx.page(children, {
      scope: `${parentId}|${childType}`,
      ...page,
      defaultMax: 20,
    });
    return compact({ Children: result.page, NextToken: result.nextToken });
  },

  ListParents: (input, ctx) => {
    const v = ctx.validator(input);
    const childId = v.string('ChildId', {
      required: true,
      pattern: PATTERNS.orgChildId,
      max: 100,
    });
    const page = paging(v);
    v.check();
    const org = ctx.world.organization;
    const parentId = /^\d{12}$/.test(childId!)
      ? org.accounts.get(childId!)?.parentId
      : org.units.get(childId!)?.parentId;
    if (!parentId)
      throw new AwsError(
        'ChildNotFoundException',
        `We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.`,
      );
    const parents = [
      {
        Id: parentId,
        Type: parentId === org.rootId ? 'ROOT' : 'ORGANIZATIONAL_UNIT',
      },
    ];
    const result = ctx.page(parents, {
      scope: childId!,
      ...page,
      defaultMax: 20,
    });
    return compact({ Parents: result.page, NextToken: result.nextToken });
  },

  DescribeOrganizationalUnit: (input, ctx) => {
    const v = ctx.validator(input);
    const id = v.string('OrganizationalUnitId', {
      required: true,
      pattern: PATTERNS.orgUnitId,
      max: 68,
    });
    v.check();
    const unit = ctx.world.organization.units.get(id!);
    if (!unit)
      throw new AwsError(
        'OrganizationalUnitNotFoundException',
        `We can't find an OU with the OrganizationalUnitId that you specified.`,
      );
    return { OrganizationalUnit: renderUnit(ctx, unit) };
  },
};
