import type { AccountAssignment, PermissionSet } from '../state/SsoAdminState';
import type { AwsContext, AwsHandler } from './context';
import { compact, epoch } from './context';
import { AwsError } from './errors';
import type { Validator } from './validate';
import { PATTERNS } from './validate';

/*
 * SSO Admin (`SWBExternalService`) reads: instances, permission sets and their policies and tags, where permission
 * sets are provisioned, and account assignments. The asynchronous writes are in ssoAdminAsync.ts. Shapes per
 * protocols.md §2 and Appendix A.
 */

const PROVISIONING_STATUS = [
  'LATEST_PERMISSION_SET_PROVISIONED',
  'LATEST_PERMISSION_SET_NOT_PROVISIONED',
] as const;

export function checkInstance(
  v: Validator,
  required = true,
): string | undefined {
  const arn = v.string('InstanceArn', {
    required,
    pattern: PATTERNS.instanceArn,
    min: 10,
    max: 1224,
  });
  return arn;
}

export function requireInstance(ctx: AwsContext, arn: string | undefined) {
  if (arn !== undefined && arn !== ctx.world.ssoAdmin.instance.instanceArn) {
    throw new AwsError(
      'ResourceNotFoundException',
      `Could not find Instance with arn ${arn}`,
    );
  }
}

export function requirePermissionSet(
  ctx: AwsContext,
  arn: string,
): PermissionSet {
  const ps = ctx.world.ssoAdmin.permissionSets.get(arn);
  if (!ps) {
    throw new AwsError(
      'ResourceNotFoundException',
      `Could not find PermissionSet with id ${arn.split('/').pop()}`,
    );
  }
  return ps;
}

/** Validates InstanceArn + PermissionSetArn (+ paging) and returns the permission set. */
function permissionSetRequest(
  input: Record<string, unknown>,
  ctx: AwsContext,
  paged: boolean,
) {
  const v = ctx.validator(input);
  const instanceArn = checkInstance(v);
  const arn = v.string('PermissionSetArn', {
    required: true,
    pattern: PATTERNS.permissionSetArn,
    min: 10,
    max: 1224,
  });
  const paging = paged ? pagingMembers(v) : {};
  v.check();
  requireInstance(ctx, instanceArn);
  return { ps: requirePermissionSet(ctx, arn!), ...paging };
}

export function pagingMembers(v: Validator) {
  return {
    maxResults: v.integer('MaxResults', { min: 1, max: 100 }),
    nextToken: v.string('NextToken', {
      pattern: PATTERNS.ssoNextToken,
      max: 2048,
    }),
  };
}

export function withToken<T extends Record<string, unknown>>(
  body: T,
  nextToken: string | undefined,
) {
  return nextToken ? { ...body, NextToken: nextToken } : body;
}

export const ssoAdminHandlers: Record<string, AwsHandler> = {
  ListInstances: (input, ctx) => {
    const v = ctx.validator(input);
    const paging = pagingMembers(v);
    v.check();
    const { instance } = ctx.world.ssoAdmin;
    const { page, nextToken } = ctx.page([instance], {
      scope: '',
      ...paging,
      defaultMax: 10,
    });
    return withToken(
      {
        Instances: page.map(i => ({
          InstanceArn: i.instanceArn,
          IdentityStoreId: i.identityStoreId,
          OwnerAccountId: i.ownerAccountId,
          Name: i.name,
          CreatedDate: epoch(i.createdMs),
          Status: 'ACTIVE',
        })),
      },
      nextToken,
    );
  },

  DescribeInstance: (input, ctx) => {
    const v = ctx.validator(input);
    const arn = checkInstance(v);
    v.check();
    requireInstance(ctx, arn);
    const i = ctx.world.ssoAdmin.instance;
    return {
      InstanceArn: i.instanceArn,
      IdentityStoreId: i.identityStoreId,
      OwnerAccountId: i.ownerAccountId,
      Name: i.name,
      CreatedDate: epoch(i.createdMs),
      Status: 'ACTIVE',
    };
  },

  ListPermissionSets: (input, ctx) => {
    const v = ctx.validator(input);
    const arn = checkInstance(v);
    const paging = pagingMembers(v);
    v.check();
    requireInstance(ctx, arn);
    const { page, nextToken } = ctx.page(
      ctx.world.ssoAdmin.permissionSets.values(),
      { scope: '', ...paging, defaultMax: 100 },
    );
    return withToken({ PermissionSets: page.map(ps => ps.arn) }, nextToken);
  },

  DescribePermissionSet: (input, ctx) => {
    const { ps } = permissionSetRequest(input, ctx, false);
    return {
      PermissionSet: compact({
        Name: ps.name,
        PermissionSetArn: ps.arn,
        Description: ps.description,
        CreatedDate: epoch(ps.createdMs),
        SessionDuration: ps.sessionDuration,
        RelayState: ps.relayState,
      }),
    };
  },

  ListManagedPoliciesInPermissionSet: (input, ctx) => {
    const { ps, ...paging } = permissionSetRequest(input, ctx, true);
    const { page, nextToken } = ctx.page(ps.managedPolicies, {
      scope: ps.arn,
      ...paging,
      defaultMax: 100,
    });
    return withToken(
      {
        AttachedManagedPolicies: page.map(arn => ({
          Name: arn.split('/').pop()!,
          Arn: arn,
        })),
      },
      nextToken,
    );
  },

  ListCustomerManagedPolicyReferencesInPermissionSet: (input, ctx) => {
    const { ps, ...paging } = permissionSetRequest(input, ctx, true);
    const { page, nextToken } = ctx.page(ps.customerManagedPolicies, {
      scope: ps.arn,
      ...paging,
      defaultMax: 100,
    });
    return withToken(
      {
        CustomerManagedPolicyReferences: page.map(p => ({
          Name: p.name,
          Path: p.path,
        })),
      },
      nextToken,
    );
  },

  GetInlinePolicyForPermissionSet: (input, ctx) => {
    const { ps } = permissionSetRequest(input, ctx, false);
    // No inline policy: 200 with the member omitted (not an error).
    return compact({ InlinePolicy: ps.inlinePolicy });
  },

  GetPermissionsBoundaryForPermissionSet: (input, ctx) => {
    const { ps } = permissionSetRequest(input, ctx, false);
    const boundary = ps.permissionsBoundary;
    if (!boundary) {
      throw new AwsError(
        'ResourceNotFoundException',
        `Could not find PermissionsBoundary for PermissionSet ${ps.arn
          .split('/')
          .pop()}`,
      );
    }
    return {
      PermissionsBoundary:
        'managedPolicyArn' in boundary
          ? { ManagedPolicyArn: boundary.managedPolicyArn }
          : {
              CustomerManagedPolicyReference: {
                Name: boundary.customerManagedPolicy.name,
                Path: boundary.customerManagedPolicy.path,
              },
            },
    };
  },

  ListTagsForResource: (input, ctx) => {
    const v = ctx.validator(input);
    const instanceArn = checkInstance(v, false);
    const resourceArn = v.string('ResourceArn', {
      required: true,
      pattern: PATTERNS.ssoResourceArn,
      min: 10,
      max: 2048,
    });
    const nextToken = v.string('NextToken', {
      pattern: PATTERNS.ssoNextToken,
      max: 2048,
    });
    v.check();
    requireInstance(ctx, instanceArn);
    let tags: Record<string, string> = {};
    if (resourceArn!.includes(':permissionSet/'))
      tags = requirePermissionSet(ctx, resourceArn!).tags;
    else requireInstance(ctx, resourceArn);
    const entries = Object.entries(tags).map(([Key, Value]) => ({
      Key,
      Value,
    }));
    const page = ctx.page(entries, {
      scope: resourceArn!,
      nextToken,
      defaultMax: 50,
    });
    return withToken({ Tags: page.page }, page.nextToken);
  },

  ListAccountsForProvisionedPermissionSet: (input, ctx) => {
    const v = ctx.validator(input);
    const instanceArn = checkInstance(v);
    const arn = v.string('PermissionSetArn', {
      required: true,
      pattern: PATTERNS.permissionSetArn,
      min: 10,
      max: 1224,
    });
    const status = v.string('ProvisioningStatus', {
      enum: PROVISIONING_STATUS,
    });
    const paging = pagingMembers(v);
    v.check();
    requireInstance(ctx, instanceArn);
    requirePermissionSet(ctx, arn!);
    const accounts = filterProvisioned(
      ctx.world.ssoAdmin.provisionedAccounts(arn!),
      status,
    );
    const { page, nextToken } = ctx.page(accounts, {
      scope: `${arn}|${status ?? ''}`,
      ...paging,
      defaultMax: 100,
    });
    return withToken({ AccountIds: page }, nextToken);
  },

  ListPermissionSetsProvisionedToAccount: (input, ctx) => {
    const v = ctx.validator(input);
    const instanceArn = checkInstance(v);
    const accountId = v.string('AccountId', {
      required: true,
      pattern: PATTERNS.accountId,
      min: 12,
      max: 12,
    });
    const status = v.string('ProvisioningStatus', {
      enum: PROVISIONING_STATUS,
    });
    const paging = pagingMembers(v);
    v.check();
    requireInstance(ctx, instanceArn);
    const sets = filterProvisioned(
      ctx.world.ssoAdmin.provisionedPermissionSets(accountId!),
      status,
    );
    const { page, nextToken } = ctx.page(sets, {
      scope: `${accountId}|${status ?? ''}`,
      ...paging,
      defaultMax: 100,
    });
    return withToken({ PermissionSets: page }, nextToken);
  },

  ListAccountAssignments: (input, ctx) => {
    const v = ctx.validator(input);
    const instanceArn = checkInstance(v);
    const accountId = v.string('AccountId', {
      required: true,
      pattern: PATTERNS.accountId,
      min: 12,
      max: 12,
    });
    const arn = v.string('PermissionSetArn', {
      required: true,
      pattern: PATTERNS.permissionSetArn,
      min: 10,
      max: 1224,
    });
    const paging = pagingMembers(v);
    v.check();
    requireInstance(ctx, instanceArn);
    requirePermissionSet(ctx, arn!);
    const items = ctx.world.ssoAdmin.assignmentsFor(accountId!, arn!);
    const { page, nextToken } = ctx.page(items, {
      scope: `${accountId}|${arn}`,
      ...paging,
      defaultMax: 100,
    });
    return withToken(
      { AccountAssignments: page.map(renderAssignment) },
      nextToken,
    );
  },

  ListAccountAssignmentsForPrincipal: (input, ctx) => {
    const v = ctx.validator(input);
    const instanceArn = checkInstance(v);
    const principalId = v.string('PrincipalId', {
      required: true,
      pattern: PATTERNS.principalId,
      min: 1,
      max: 47,
    });
    const principalType = v.string('PrincipalType', {
      required: true,
      enum: ['USER', 'GROUP'],
    });
    const filter = v.object('Filter');
    const accountId = filter
      ? v.stringAt('Filter.AccountId', filter.AccountId, {
          pattern: PATTERNS.accountId,
          min: 12,
          max: 12,
        })
      : undefined;
    const paging = pagingMembers(v);
    v.check();
    requireInstance(ctx, instanceArn);
    const { world } = ctx;
    // Direct assignments only (protocols.md addendum); the other behaviour is a setting.
    let items = [...world.ssoAdmin.assignmentsOfPrincipal(principalId!)].filter(
      a => a.principalType === principalType,
    );
    if (
      principalType === 'USER' &&
      world.settings.principalAssignmentsIncludeGroups
    ) {
      for (const groupId of world.identityStore.members.sources(principalId!))
        items.push(...world.ssoAdmin.assignmentsOfPrincipal(groupId));
    }
    if (accountId) items = items.filter(a => a.accountId === accountId);
    const { page, nextToken } = ctx.page(items, {
      scope: `${principalType}|${principalId}|${accountId ?? ''}`,
      ...paging,
      defaultMax: 100,
    });
    return withToken(
      { AccountAssignments: page.map(renderAssignment) },
      nextToken,
    );
  },
};

function renderAssignment(a: AccountAssignment) {
  return {
    AccountId: a.accountId,
    PermissionSetArn: a.permissionSetArn,
    PrincipalType: a.principalType,
    PrincipalId: a.principalId,
  };
}

function filterProvisioned(
  map: ReadonlyMap<string, 'PROVISIONED' | 'FAILED'>,
  status: string | undefined,
): string[] {
  const out: string[] = [];
  for (const [key, state] of map) {
    if (
      !status ||
      (status === 'LATEST_PERMISSION_SET_PROVISIONED') ===
        (state === 'PROVISIONED')
    )
      out.push(key);
  }
  return out;
}
