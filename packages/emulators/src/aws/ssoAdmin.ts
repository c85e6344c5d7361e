import type { AccountAssignment, PermissionSet } from '../state/SsoAdminState';
import type { AwsContext, AwsHandler } from './context';
import { compact, epoch } from './context';
import { AwsError } from './errors';
import type { Paging } from './operation';
import {
  listing,
  nextTokenMember,
  operation,
  pagingMembers,
} from './operation';
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

export function permissionSetArnMember(v: Validator): string | undefined {
  return v.string('PermissionSetArn', {
    required: true,
    pattern: PATTERNS.permissionSetArn,
    min: 10,
    max: 1224,
  });
}

export function accountIdMember(v: Validator, name: string, required = true) {
  return v.string(name, {
    required,
    pattern: PATTERNS.accountId,
    min: 12,
    max: 12,
  });
}

/** InstanceArn + PermissionSetArn (+ paging): the members of every per-permission-set read. */
function readPermissionSet(paged: boolean) {
  return (v: Validator) => ({
    instanceArn: checkInstance(v),
    arn: permissionSetArnMember(v)!,
    ...(paged ? pagingMembers(v) : {}),
  });
}

/** The permission set an operation names, after its instance. */
function permissionSetOf(
  ctx: AwsContext,
  input: { instanceArn?: string; arn: string },
): PermissionSet {
  requireInstance(ctx, input.instanceArn);
  return requirePermissionSet(ctx, input.arn);
}

function renderInstance(ctx: AwsContext) {
  const i = ctx.world.ssoAdmin.instance;
  return {
    InstanceArn: i.instanceArn,
    IdentityStoreId: i.identityStoreId,
    OwnerAccountId: i.ownerAccountId,
    Name: i.name,
    CreatedDate: epoch(i.createdMs),
    Status: 'ACTIVE',
  };
}

/** Accounts or permission sets by provisioning state (`ProvisioningStatus` filter). */
function provisionedListing(spec: {
  key: string;
  target: (v: Validator) => string | undefined;
  items: (
    ctx: AwsContext,
    target: string,
  ) => ReadonlyMap<string, 'PROVISIONED' | 'FAILED'>;
}): AwsHandler {
  return listing({
    read: v => ({
      instanceArn: checkInstance(v),
      target: spec.target(v)!,
      status: v.string('ProvisioningStatus', { enum: PROVISIONING_STATUS }),
      ...pagingMembers(v),
    }),
    list: (input, ctx) => {
      requireInstance(ctx, input.instanceArn);
      return {
        items: filterProvisioned(spec.items(ctx, input.target), input.status),
        scope: `${input.target}|${input.status ?? ''}`,
      };
    },
    key: spec.key,
    defaultMax: 100,
  });
}

export const ssoAdminHandlers: Record<string, AwsHandler> = {
  ListInstances: listing({
    read: pagingMembers,
    list: (_input, ctx) => ({
      items: [ctx.world.ssoAdmin.instance],
      scope: '',
    }),
    key: 'Instances',
    render: (_instance, ctx) => renderInstance(ctx),
    defaultMax: 10,
  }),

  DescribeInstance: operation(
    v => checkInstance(v),
    (arn, ctx) => {
      requireInstance(ctx, arn);
      return renderInstance(ctx);
    },
  ),

  ListPermissionSets: listing({
    read: v => ({ instanceArn: checkInstance(v), ...pagingMembers(v) }),
    list: (input, ctx) => {
      requireInstance(ctx, input.instanceArn);
      return { items: ctx.world.ssoAdmin.permissionSets.values(), scope: '' };
    },
    key: 'PermissionSets',
    render: ps => ps.arn,
    defaultMax: 100,
  }),

  DescribePermissionSet: operation(readPermissionSet(false), (input, ctx) => {
    const ps = permissionSetOf(ctx, input);
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
  }),

  /**
   * The definition's own members (Description, SessionDuration, RelayState); policies have their own writes. As in
   * AWS the accounts it is provisioned to keep the previous definition until ProvisionPermissionSet (not modelled:
   * the provisioning status stays as it was).
   */
  UpdatePermissionSet: operation(
    v => ({
      ...readPermissionSet(false)(v),
      description: v.string('Description', {
        // AWS's documented pattern: tab, line feed and carriage return are allowed.
        // eslint-disable-next-line no-control-regex
        pattern: /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/,
        min: 1,
        max: 700,
      }),
      sessionDuration: v.string('SessionDuration', {
        pattern:
          /^(-?)P(?=\d|T\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)([DW]))?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/,
        min: 1,
        max: 100,
      }),
      relayState: v.string('RelayState', { min: 1, max: 240 }),
    }),
    (input, ctx) => {
      const ps = permissionSetOf(ctx, input);
      const updated: PermissionSet = {
        ...ps,
        ...(input.description !== undefined && {
          description: input.description,
        }),
        ...(input.sessionDuration !== undefined && {
          sessionDuration: input.sessionDuration,
        }),
        ...(input.relayState !== undefined && {
          relayState: input.relayState,
        }),
      };
      ctx.world.ssoAdmin.permissionSets.set(ps.arn, updated);
      return {};
    },
  ),

  ListManagedPoliciesInPermissionSet: listing({
    read: readPermissionSet(true),
    list: (input, ctx) => {
      const ps = permissionSetOf(ctx, input);
      return { items: ps.managedPolicies, scope: ps.arn };
    },
    key: 'AttachedManagedPolicies',
    render: arn => ({ Name: arn.split('/').pop()!, Arn: arn }),
    defaultMax: 100,
  }),

  ListCustomerManagedPolicyReferencesInPermissionSet: listing({
    read: readPermissionSet(true),
    list: (input, ctx) => {
      const ps = permissionSetOf(ctx, input);
      return { items: ps.customerManagedPolicies, scope: ps.arn };
    },
    key: 'CustomerManagedPolicyReferences',
    render: p => ({ Name: p.name, Path: p.path }),
    defaultMax: 100,
  }),

  GetInlinePolicyForPermissionSet: operation(
    readPermissionSet(false),
    // No inline policy: 200 with the member omitted (not an error).
    (input, ctx) =>
      compact({ InlinePolicy: permissionSetOf(ctx, input).inlinePolicy }),
  ),

  GetPermissionsBoundaryForPermissionSet: operation(
    readPermissionSet(false),
    (input, ctx) => {
      const ps = permissionSetOf(ctx, input);
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
  ),

  ListTagsForResource: listing({
    read: (v): Paging & { instanceArn?: string; resourceArn: string } => ({
      instanceArn: checkInstance(v, false),
      resourceArn: v.string('ResourceArn', {
        required: true,
        pattern: PATTERNS.ssoResourceArn,
        min: 10,
        max: 2048,
      })!,
      nextToken: nextTokenMember(v),
    }),
    list: (input, ctx) => {
      requireInstance(ctx, input.instanceArn);
      let tags: Record<string, string> = {};
      if (input.resourceArn.includes(':permissionSet/'))
        tags = requirePermissionSet(ctx, input.resourceArn).tags;
      else requireInstance(ctx, input.resourceArn);
      return {
        items: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
        scope: input.resourceArn,
      };
    },
    key: 'Tags',
    defaultMax: 50,
  }),

  ListAccountsForProvisionedPermissionSet: provisionedListing({
    key: 'AccountIds',
    target: permissionSetArnMember,
    items: (ctx, arn) => {
      requirePermissionSet(ctx, arn);
      return ctx.world.ssoAdmin.provisionedAccounts(arn);
    },
  }),

  ListPermissionSetsProvisionedToAccount: provisionedListing({
    key: 'PermissionSets',
    target: v => accountIdMember(v, 'AccountId'),
    items: (ctx, accountId) =>
      ctx.world.ssoAdmin.provisionedPermissionSets(accountId),
  }),

  ListAccountAssignments: listing({
    read: v => ({
      instanceArn: checkInstance(v),
      accountId: accountIdMember(v, 'AccountId')!,
      arn: permissionSetArnMember(v)!,
      ...pagingMembers(v),
    }),
    list: (input, ctx) => {
      permissionSetOf(ctx, input);
      return {
        items: ctx.world.ssoAdmin.assignmentsFor(input.accountId, input.arn),
        scope: `${input.accountId}|${input.arn}`,
      };
    },
    key: 'AccountAssignments',
    render: renderAssignment,
    defaultMax: 100,
  }),

  ListAccountAssignmentsForPrincipal: listing({
    read: v => {
      const instanceArn = checkInstance(v);
      const principalId = principalIdMember(v)!;
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
      return {
        instanceArn,
        principalId,
        principalType,
        accountId,
        ...pagingMembers(v),
      };
    },
    list: (input, ctx) => {
      requireInstance(ctx, input.instanceArn);
      const { world } = ctx;
      const { principalId, principalType, accountId } = input;
      // Direct assignments only (protocols.md addendum); the other behaviour is a setting.
      let items = [
        ...world.ssoAdmin.assignmentsOfPrincipal(principalId),
      ].filter(a => a.principalType === principalType);
      if (
        principalType === 'USER' &&
        world.settings.principalAssignmentsIncludeGroups
      ) {
        for (const groupId of world.identityStore.members.sources(principalId))
          items.push(...world.ssoAdmin.assignmentsOfPrincipal(groupId));
      }
      if (accountId) items = items.filter(a => a.accountId === accountId);
      return {
        items,
        scope: `${principalType}|${principalId}|${accountId ?? ''}`,
      };
    },
    key: 'AccountAssignments',
    render: renderAssignment,
    defaultMax: 100,
  }),
};

export function principalIdMember(v: Validator) {
  return v.string('PrincipalId', {
    required: true,
    pattern: PATTERNS.principalId,
    min: 1,
    max: 47,
  });
}

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
