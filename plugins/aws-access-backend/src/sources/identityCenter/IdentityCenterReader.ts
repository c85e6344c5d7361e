import type { Group, User } from '@aws-sdk/client-identitystore';
import {
  DescribeGroupCommand,
  DescribeUserCommand,
  GetUserIdCommand,
  ListGroupMembershipsCommand,
  ListGroupMembershipsForMemberCommand,
  ListGroupsCommand,
  ListUsersCommand,
} from '@aws-sdk/client-identitystore';
import type { Account } from '@aws-sdk/client-organizations';
import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  ListRootsCommand,
  ListTagsForResourceCommand as ListOrganizationsTagsCommand,
} from '@aws-sdk/client-organizations';
import {
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  GetPermissionsBoundaryForPermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListAccountAssignmentsForPrincipalCommand,
  ListAccountsForProvisionedPermissionSetCommand,
  ListCustomerManagedPolicyReferencesInPermissionSetCommand,
  ListInstancesCommand,
  ListManagedPoliciesInPermissionSetCommand,
  ListPermissionSetsCommand,
  ListPermissionSetsProvisionedToAccountCommand,
  ListTagsForResourceCommand as ListSsoTagsCommand,
} from '@aws-sdk/client-sso-admin';
import { defaultAccessPortalUrl } from '@aws-access/plugin-aws-access-common';
import type {
  AccountRecord,
  AssignmentRecord,
  AwsSide,
  IdcGroup,
  IdcUser,
  PermissionSetRecord,
  SourceName,
} from '../../snapshot/model';
import type { RequestBudget } from '../requests/RequestBudget';
import { mapWithConcurrency } from '../requests/RequestBudget';
import type { RequestStats } from '../requests/RequestStats';
import { SourceError } from '../requests/SourceError';
import { callWithRetries, classifyAwsError } from '../requests/retry';
import type { AwsClients } from './awsClients';

export interface IdentityCenterReaderOptions {
  clients: AwsClients;
  region: string;
  instanceArn?: string;
  identityStoreId?: string;
  accessPortalUrl?: string;
  /** Shared by sso-admin and identitystore: the instance's collective limit. */
  identityCenterBudget: RequestBudget;
  organizationsBudget: RequestBudget;
  detailsRefreshMs: number;
  concurrency?: number;
  retry?: { maxAttempts: number; baseDelayMs: number };
}

export interface ReadContext {
  stats: RequestStats;
  signal?: AbortSignal;
  deadline?: number;
  now: Date;
}

type Page<T> = { items: T[]; nextToken?: string };

/**
 * Reads Identity Center, the identity store and Organizations into the AWS side of a snapshot with as few
 * calls as the organisation's shape allows (see docs/api-calls.md for the formula):
 *
 *   ⌈P/100⌉ ListPermissionSets + Σ_p ⌈A_p/100⌉ ListAccountsForProvisionedPermissionSet (+ P for failures)
 *   + Σ_pairs ⌈k/100⌉ ListAccountAssignments + ⌈N/20⌉ ListAccounts + OU tree
 *   + ⌈U/100⌉ ListUsers + ⌈G/100⌉ ListGroups + Σ_g ⌈m_g/100⌉ ListGroupMemberships
 *
 * Permission set definitions and account tags change rarely and are reused from the previous snapshot until
 * they are older than the refresh interval. Any failed page fails the whole read: nothing partial returns.
 */
export class IdentityCenterReader {
  readonly #options: IdentityCenterReaderOptions;
  readonly #concurrency: number;
  readonly #retry: { maxAttempts?: number; baseDelayMs?: number };

  static create(options: IdentityCenterReaderOptions) {
    return new IdentityCenterReader(options);
  }

  private constructor(options: IdentityCenterReaderOptions) {
    this.#options = options;
    this.#concurrency = options.concurrency ?? 8;
    this.#retry = options.retry ?? {};
  }

  async #call<T>(
    source: SourceName,
    operation: string,
    ctx: ReadContext,
    send: (abortSignal?: AbortSignal) => Promise<T>,
  ) {
    const budget =
      source === 'organizations'
        ? this.#options.organizationsBudget
        : this.#options.identityCenterBudget;
    return callWithRetries(
      async () => {
        await budget.acquire(ctx.signal);
        return send(ctx.signal);
      },
      {
        source,
        operation,
        stats: ctx.stats,
        classify: classifyAwsError,
        signal: ctx.signal,
        deadline: ctx.deadline,
        ...this.#retry,
      },
    );
  }

  /** Follows NextToken to the end; an empty page with a token is not the end (Organizations does that). */
  async #all<T>(
    source: SourceName,
    operation: string,
    ctx: ReadContext,
    fetchPage: (
      nextToken: string | undefined,
      abortSignal?: AbortSignal,
    ) => Promise<Page<T>>,
  ): Promise<T[]> {
    const items: T[] = [];
    let nextToken: string | undefined;
    const seen = new Set<string>();
    const pageAfter = (token: string | undefined) =>
      this.#call(source, operation, ctx, signal => fetchPage(token, signal));
    do {
      const page = await pageAfter(nextToken);
      if (!Array.isArray(page.items)) {
        throw new SourceError({
          source,
          errorClass: 'malformed-response',
          message: `${operation} returned no list`,
        });
      }
      items.push(...page.items);
      nextToken = page.nextToken || undefined;
      if (nextToken && seen.has(nextToken)) {
        throw new SourceError({
          source,
          errorClass: 'paging-loop',
          message: `${operation} returned the same NextToken twice`,
        });
      }
      if (nextToken) seen.add(nextToken);
    } while (nextToken);
    return items;
  }

  async resolveInstance(
    ctx: ReadContext,
    previous?: AwsSide,
  ): Promise<{ instanceArn: string; identityStoreId: string }> {
    const { instanceArn, identityStoreId } = this.#options;
    if (instanceArn && identityStoreId) return { instanceArn, identityStoreId };
    // An instance never changes its ARN: what the last run discovered stays valid.
    if (previous && (!instanceArn || previous.instanceArn === instanceArn)) {
      return {
        instanceArn: previous.instanceArn,
        identityStoreId: previous.identityStoreId,
      };
    }
    const { ssoAdmin } = this.#options.clients;
    const instances = await this.#all(
      'sso-admin',
      'ListInstances',
      ctx,
      async (token, abortSignal) => {
        const out = await ssoAdmin.send(
          new ListInstancesCommand({ NextToken: token }),
          { abortSignal },
        );
        return { items: out.Instances!, nextToken: out.NextToken };
      },
    );
    const onlyInstance = instances.length === 1 ? instances[0] : undefined;
    const match = instanceArn
      ? instances.find(i => i.InstanceArn === instanceArn)
      : onlyInstance;
    if (!match?.InstanceArn || !match.IdentityStoreId) {
      throw new SourceError({
        source: 'sso-admin',
        errorClass: 'instance-not-found',
        message: instanceArn
          ? `Identity Center instance ${instanceArn} is not visible to these credentials`
          : `Found ${instances.length} Identity Center instances; set awsAccess.identityCenter.instanceArn`,
      });
    }
    return {
      instanceArn: match.InstanceArn,
      identityStoreId: match.IdentityStoreId,
    };
  }

  /** A full read of the AWS side. `previous` supplies cached definitions and first-seen times. */
  async read(ctx: ReadContext, previous?: AwsSide): Promise<AwsSide> {
    const { instanceArn, identityStoreId } = await this.resolveInstance(
      ctx,
      previous,
    );
    const [organization, permissionSets, identity] = await Promise.all([
      this.#readOrganization(ctx, previous),
      this.#readPermissionSets(ctx, instanceArn, previous),
      this.#readIdentityStore(ctx, identityStoreId),
    ]);
    return {
      instanceArn,
      identityStoreId,
      region: this.#options.region,
      accessPortalUrl:
        this.#options.accessPortalUrl ??
        defaultAccessPortalUrl(identityStoreId),
      organizationId: organization.organizationId,
      accounts: organization.accounts,
      permissionSets: permissionSets.records,
      provisionedPairs: permissionSets.pairs,
      provisioningFailures: permissionSets.failures,
      users: identity.users,
      groups: identity.groups,
      assignments: permissionSets.assignments,
    };
  }

  async #readOrganization(ctx: ReadContext, previous?: AwsSide) {
    const { organizations } = this.#options.clients;
    const organizationId =
      previous?.organizationId ??
      (
        await this.#call(
          'organizations',
          'DescribeOrganization',
          ctx,
          abortSignal =>
            organizations.send(new DescribeOrganizationCommand({}), {
              abortSignal,
            }),
        )
      ).Organization?.Id;
    const [accounts, ouNames] = await Promise.all([
      this.#all<Account>(
        'organizations',
        'ListAccounts',
        ctx,
        async (token, abortSignal) => {
          const out = await organizations.send(
            new ListAccountsCommand({ NextToken: token, MaxResults: 20 }),
            { abortSignal },
          );
          return { items: out.Accounts!, nextToken: out.NextToken };
        },
      ),
      this.#readOuNames(ctx),
    ]);

    const previousById = new Map(
      (previous?.accounts ?? []).map(a => [a.id, a]),
    );
    const refreshBefore = ctx.now.getTime() - this.#options.detailsRefreshMs;
    const records = await mapWithConcurrency(
      accounts,
      this.#concurrency,
      async account => {
        const id = account.Id!;
        const prior = previousById.get(id);
        const tagsFresh =
          prior?.tagsReadAt && Date.parse(prior.tagsReadAt) > refreshBefore;
        const tags = tagsFresh
          ? prior!.tags
          : await this.#readAccountTags(ctx, id);
        const ouPath = await this.#ouPathOf(ctx, account, ouNames);
        const record: AccountRecord = {
          id,
          name: account.Name ?? id,
          email: account.Email ?? '',
          arn: account.Arn ?? '',
          status: (account.State as string) ?? account.Status ?? 'ACTIVE',
          ouPath,
          tags,
          firstSeenAt: prior?.firstSeenAt ?? ctx.now.toISOString(),
          tagsReadAt: tagsFresh ? prior!.tagsReadAt : ctx.now.toISOString(),
        };
        return record;
      },
    );
    return { organizationId, accounts: records };
  }

  async #readAccountTags(
    ctx: ReadContext,
    accountId: string,
  ): Promise<Record<string, string>> {
    const { organizations } = this.#options.clients;
    const tags = await this.#all(
      'organizations',
      'ListTagsForResource',
      ctx,
      async (token, abortSignal) => {
        const out = await organizations.send(
          new ListOrganizationsTagsCommand({
            ResourceId: accountId,
            NextToken: token,
          }),
          { abortSignal },
        );
        return { items: out.Tags!, nextToken: out.NextToken };
      },
    );
    return Object.fromEntries(tags.map(t => [t.Key!, t.Value ?? '']));
  }

  /** OU id → name, by walking the OU tree from the root (one call per OU page). */
  async #readOuNames(
    ctx: ReadContext,
  ): Promise<Map<string, { name: string; parentId?: string }>> {
    const { organizations } = this.#options.clients;
    const roots = await this.#all(
      'organizations',
      'ListRoots',
      ctx,
      async (token, abortSignal) => {
        const out = await organizations.send(
          new ListRootsCommand({ NextToken: token }),
          { abortSignal },
        );
        return { items: out.Roots!, nextToken: out.NextToken };
      },
    );
    const names = new Map<string, { name: string; parentId?: string }>();
    let level = roots.map(root => root.Id!);
    for (const rootId of level) names.set(rootId, { name: 'Root' });
    while (level.length > 0) {
      const children = await mapWithConcurrency(
        level,
        this.#concurrency,
        parentId =>
          this.#all(
            'organizations',
            'ListOrganizationalUnitsForParent',
            ctx,
            async (token, abortSignal) => {
              const out = await organizations.send(
                new ListOrganizationalUnitsForParentCommand({
                  ParentId: parentId,
                  NextToken: token,
                }),
                { abortSignal },
              );
              return {
                items: (out.OrganizationalUnits ?? []).map(ou => ({
                  ...ou,
                  parentId,
                })),
                nextToken: out.NextToken,
              };
            },
          ),
      );
      level = [];
      for (const ou of children.flat()) {
        names.set(ou.Id!, { name: ou.Name ?? ou.Id!, parentId: ou.parentId });
        level.push(ou.Id!);
      }
    }
    return names;
  }

  /** `Workloads/Prod`: from the account's Paths when the API returns them, else one ListParents chain. */
  async #ouPathOf(
    ctx: ReadContext,
    account: Account,
    ouNames: Map<string, { name: string; parentId?: string }>,
  ) {
    const pathOf = (ouId: string): string => {
      const parts: string[] = [];
      let current: string | undefined = ouId;
      while (current && ouNames.has(current)) {
        const node: { name: string; parentId?: string } = ouNames.get(current)!;
        if (!node.parentId) break; // the root itself
        parts.unshift(node.name);
        current = node.parentId;
      }
      return parts.length > 0 ? parts.join('/') : 'Root';
    };
    const path = account.Paths?.[0];
    if (path) {
      // o-xxx/r-xxx/ou-a/ou-b/<account id>/ : the last OU is the account's parent
      const ouIds = path.split('/').filter(part => part.startsWith('ou-'));
      return ouIds.length > 0 ? pathOf(ouIds[ouIds.length - 1]) : 'Root';
    }
    const { organizations } = this.#options.clients;
    const parents = await this.#call(
      'organizations',
      'ListParents',
      ctx,
      abortSignal =>
        organizations.send(new ListParentsCommand({ ChildId: account.Id }), {
          abortSignal,
        }),
    );
    const parent = parents.Parents?.[0];
    return parent?.Type === 'ORGANIZATIONAL_UNIT' && parent.Id
      ? pathOf(parent.Id)
      : 'Root';
  }

  async #readPermissionSets(
    ctx: ReadContext,
    instanceArn: string,
    previous?: AwsSide,
  ) {
    const { ssoAdmin } = this.#options.clients;
    const arns = await this.#all(
      'sso-admin',
      'ListPermissionSets',
      ctx,
      async (token, abortSignal) => {
        const out = await ssoAdmin.send(
          new ListPermissionSetsCommand({
            InstanceArn: instanceArn,
            NextToken: token,
            MaxResults: 100,
          }),
          { abortSignal },
        );
        return { items: out.PermissionSets!, nextToken: out.NextToken };
      },
    );
    const previousByArn = new Map(
      (previous?.permissionSets ?? []).map(ps => [ps.arn, ps]),
    );
    const refreshBefore = ctx.now.getTime() - this.#options.detailsRefreshMs;

    const perPermissionSet = await mapWithConcurrency(
      arns,
      this.#concurrency,
      async arn => {
        const prior = previousByArn.get(arn);
        const record =
          prior && Date.parse(prior.detailsReadAt) > refreshBefore
            ? prior
            : await this.#readPermissionSetDetails(ctx, instanceArn, arn);
        const accountIds = await this.#all(
          'sso-admin',
          'ListAccountsForProvisionedPermissionSet',
          ctx,
          async (token, abortSignal) => {
            const out = await ssoAdmin.send(
              new ListAccountsForProvisionedPermissionSetCommand({
                InstanceArn: instanceArn,
                PermissionSetArn: arn,
                NextToken: token,
                MaxResults: 100,
              }),
              { abortSignal },
            );
            return { items: out.AccountIds!, nextToken: out.NextToken };
          },
        );
        const failed = await this.#all(
          'sso-admin',
          'ListAccountsForProvisionedPermissionSet',
          ctx,
          async (token, abortSignal) => {
            const out = await ssoAdmin.send(
              new ListAccountsForProvisionedPermissionSetCommand({
                InstanceArn: instanceArn,
                PermissionSetArn: arn,
                ProvisioningStatus: 'LATEST_PERMISSION_SET_NOT_PROVISIONED',
                NextToken: token,
                MaxResults: 100,
              }),
              { abortSignal },
            );
            return { items: out.AccountIds!, nextToken: out.NextToken };
          },
        );
        return { record, accountIds, failed };
      },
    );

    const pairs = perPermissionSet.flatMap(({ record, accountIds }) =>
      accountIds.map(accountId => ({
        accountId,
        permissionSetArn: record.arn,
      })),
    );
    const assignmentPages = await mapWithConcurrency(
      pairs,
      this.#concurrency,
      pair =>
        this.#all<AssignmentRecord>(
          'sso-admin',
          'ListAccountAssignments',
          ctx,
          async (token, abortSignal) => {
            const out = await ssoAdmin.send(
              new ListAccountAssignmentsCommand({
                InstanceArn: instanceArn,
                AccountId: pair.accountId,
                PermissionSetArn: pair.permissionSetArn,
                NextToken: token,
                MaxResults: 100,
              }),
              { abortSignal },
            );
            return {
              items: (out.AccountAssignments ?? []).map(a => ({
                accountId: a.AccountId ?? pair.accountId,
                permissionSetArn: a.PermissionSetArn ?? pair.permissionSetArn,
                principalType: a.PrincipalType as 'USER' | 'GROUP',
                principalId: a.PrincipalId!,
              })),
              nextToken: out.NextToken,
            };
          },
        ),
    );

    return {
      records: perPermissionSet.map(p => p.record),
      pairs,
      failures: perPermissionSet.flatMap(({ record, failed }) =>
        failed.map(accountId => ({ accountId, permissionSetArn: record.arn })),
      ),
      assignments: assignmentPages.flat(),
    };
  }

  async #readPermissionSetDetails(
    ctx: ReadContext,
    instanceArn: string,
    arn: string,
  ): Promise<PermissionSetRecord> {
    const { ssoAdmin } = this.#options.clients;
    const input = { InstanceArn: instanceArn, PermissionSetArn: arn };
    const [described, managed, customer, inline, boundary, tags] =
      await Promise.all([
        this.#call('sso-admin', 'DescribePermissionSet', ctx, abortSignal =>
          ssoAdmin.send(new DescribePermissionSetCommand(input), {
            abortSignal,
          }),
        ),
        this.#all(
          'sso-admin',
          'ListManagedPoliciesInPermissionSet',
          ctx,
          async (token, abortSignal) => {
            const out = await ssoAdmin.send(
              new ListManagedPoliciesInPermissionSetCommand({
                ...input,
                NextToken: token,
                MaxResults: 100,
              }),
              { abortSignal },
            );
            return {
              items: out.AttachedManagedPolicies ?? [],
              nextToken: out.NextToken,
            };
          },
        ),
        this.#all(
          'sso-admin',
          'ListCustomerManagedPolicyReferencesInPermissionSet',
          ctx,
          async (token, abortSignal) => {
            const out = await ssoAdmin.send(
              new ListCustomerManagedPolicyReferencesInPermissionSetCommand({
                ...input,
                NextToken: token,
                MaxResults: 100,
              }),
              { abortSignal },
            );
            return {
              items: out.CustomerManagedPolicyReferences ?? [],
              nextToken: out.NextToken,
            };
          },
        ),
        this.#call(
          'sso-admin',
          'GetInlinePolicyForPermissionSet',
          ctx,
          abortSignal =>
            ssoAdmin.send(new GetInlinePolicyForPermissionSetCommand(input), {
              abortSignal,
            }),
        ),
        // No boundary is a ResourceNotFoundException in real AWS: that is an answer, not a failure.
        this.#call(
          'sso-admin',
          'GetPermissionsBoundaryForPermissionSet',
          ctx,
          abortSignal =>
            ssoAdmin
              .send(new GetPermissionsBoundaryForPermissionSetCommand(input), {
                abortSignal,
              })
              .catch(error => {
                if (error?.name === 'ResourceNotFoundException')
                  return { PermissionsBoundary: undefined };
                throw error;
              }),
        ),
        this.#all(
          'sso-admin',
          'ListTagsForResource',
          ctx,
          async (token, abortSignal) => {
            const out = await ssoAdmin.send(
              new ListSsoTagsCommand({
                InstanceArn: instanceArn,
                ResourceArn: arn,
                NextToken: token,
              }),
              { abortSignal },
            );
            return { items: out.Tags ?? [], nextToken: out.NextToken };
          },
        ),
      ]);
    const ps = described.PermissionSet;
    if (!ps?.Name) {
      throw new SourceError({
        source: 'sso-admin',
        errorClass: 'malformed-response',
        message: `DescribePermissionSet ${arn} returned no name`,
      });
    }
    const cmp = boundary.PermissionsBoundary?.CustomerManagedPolicyReference;
    return {
      arn,
      name: ps.Name,
      description: ps.Description,
      sessionDuration: ps.SessionDuration ?? 'PT1H',
      relayState: ps.RelayState,
      managedPolicies: managed.map(p => ({
        name: p.Name ?? p.Arn ?? '',
        arn: p.Arn ?? '',
      })),
      customerManagedPolicies: customer.map(p => ({
        name: p.Name!,
        path: p.Path ?? '/',
      })),
      inlinePolicy: inline.InlinePolicy || undefined,
      permissionsBoundary: boundary.PermissionsBoundary
        ? {
            managedPolicyArn: boundary.PermissionsBoundary.ManagedPolicyArn,
            customerManagedPolicy: cmp
              ? { name: cmp.Name!, path: cmp.Path ?? '/' }
              : undefined,
          }
        : undefined,
      tags: Object.fromEntries(tags.map(t => [t.Key!, t.Value ?? ''])),
      detailsReadAt: ctx.now.toISOString(),
    };
  }

  async #readIdentityStore(ctx: ReadContext, identityStoreId: string) {
    const { identityStore } = this.#options.clients;
    const [users, groups] = await Promise.all([
      this.#all<User>(
        'identitystore',
        'ListUsers',
        ctx,
        async (token, abortSignal) => {
          const out = await identityStore.send(
            new ListUsersCommand({
              IdentityStoreId: identityStoreId,
              NextToken: token,
              MaxResults: 100,
            }),
            { abortSignal },
          );
          return { items: out.Users!, nextToken: out.NextToken };
        },
      ),
      this.#all<Group>(
        'identitystore',
        'ListGroups',
        ctx,
        async (token, abortSignal) => {
          const out = await identityStore.send(
            new ListGroupsCommand({
              IdentityStoreId: identityStoreId,
              NextToken: token,
              MaxResults: 100,
            }),
            { abortSignal },
          );
          return { items: out.Groups!, nextToken: out.NextToken };
        },
      ),
    ]);
    const members = await mapWithConcurrency(groups, this.#concurrency, group =>
      this.#all(
        'identitystore',
        'ListGroupMemberships',
        ctx,
        async (token, abortSignal) => {
          const out = await identityStore.send(
            new ListGroupMembershipsCommand({
              IdentityStoreId: identityStoreId,
              GroupId: group.GroupId,
              NextToken: token,
              MaxResults: 100,
            }),
            { abortSignal },
          );
          return {
            items: (out.GroupMemberships ?? [])
              .map(m => m.MemberId?.UserId)
              .filter((id): id is string => Boolean(id)),
            nextToken: out.NextToken,
          };
        },
      ),
    );
    return {
      users: users.map(toIdcUser),
      groups: groups.map(
        (group, i): IdcGroup => ({
          id: group.GroupId!,
          displayName: group.DisplayName ?? group.GroupId!,
          externalId: group.ExternalIds?.[0]?.Id,
          memberUserIds: members[i],
        }),
      ),
    };
  }

  /**
   * One account's provisioned permission sets and assignments, for a targeted refresh after onboarding:
   * 1 + pages ListPermissionSetsProvisionedToAccount, then one ListAccountAssignments per permission set.
   */
  async readAccountAssignments(
    ctx: ReadContext,
    options: { instanceArn: string; accountId: string },
  ) {
    const { ssoAdmin } = this.#options.clients;
    const { instanceArn, accountId } = options;
    const permissionSetArns = await this.#all(
      'sso-admin',
      'ListPermissionSetsProvisionedToAccount',
      ctx,
      async (token, abortSignal) => {
        const out = await ssoAdmin.send(
          new ListPermissionSetsProvisionedToAccountCommand({
            InstanceArn: instanceArn,
            AccountId: accountId,
            NextToken: token,
            MaxResults: 100,
          }),
          { abortSignal },
        );
        return { items: out.PermissionSets ?? [], nextToken: out.NextToken };
      },
    );
    const assignments = await mapWithConcurrency(
      permissionSetArns,
      this.#concurrency,
      permissionSetArn =>
        this.#all<AssignmentRecord>(
          'sso-admin',
          'ListAccountAssignments',
          ctx,
          async (token, abortSignal) => {
            const out = await ssoAdmin.send(
              new ListAccountAssignmentsCommand({
                InstanceArn: instanceArn,
                AccountId: accountId,
                PermissionSetArn: permissionSetArn,
                NextToken: token,
                MaxResults: 100,
              }),
              { abortSignal },
            );
            return {
              items: (out.AccountAssignments ?? []).map(a => ({
                accountId,
                permissionSetArn,
                principalType: a.PrincipalType as 'USER' | 'GROUP',
                principalId: a.PrincipalId!,
              })),
              nextToken: out.NextToken,
            };
          },
        ),
    );
    return { permissionSetArns, assignments: assignments.flat() };
  }

  /**
   * One user's Identity Center state, for targeted refreshes after provisioning: the user (found by its Entra
   * id in ExternalIds, else by user name), its groups and its direct assignments.
   */
  async readUser(
    ctx: ReadContext,
    options: {
      instanceArn: string;
      identityStoreId: string;
      entraId: string;
      issuer?: string;
      userName: string;
    },
  ): Promise<{
    user?: IdcUser;
    groupIds: string[];
    directAssignments: AssignmentRecord[];
    groups: IdcGroup[];
  }> {
    const { identityStore, ssoAdmin } = this.#options.clients;
    const userId = await this.#findUserId(ctx, options);
    if (!userId)
      return {
        user: undefined,
        groupIds: [],
        directAssignments: [],
        groups: [],
      };
    const [described, memberships, direct] = await Promise.all([
      this.#call('identitystore', 'DescribeUser', ctx, abortSignal =>
        identityStore.send(
          new DescribeUserCommand({
            IdentityStoreId: options.identityStoreId,
            UserId: userId,
          }),
          { abortSignal },
        ),
      ),
      this.#all(
        'identitystore',
        'ListGroupMembershipsForMember',
        ctx,
        async (token, abortSignal) => {
          const out = await identityStore.send(
            new ListGroupMembershipsForMemberCommand({
              IdentityStoreId: options.identityStoreId,
              MemberId: { UserId: userId },
              NextToken: token,
              MaxResults: 100,
            }),
            { abortSignal },
          );
          return {
            items: (out.GroupMemberships ?? []).map(m => m.GroupId!),
            nextToken: out.NextToken,
          };
        },
      ),
      this.#all<AssignmentRecord>(
        'sso-admin',
        'ListAccountAssignmentsForPrincipal',
        ctx,
        async (token, abortSignal) => {
          const out = await ssoAdmin.send(
            new ListAccountAssignmentsForPrincipalCommand({
              InstanceArn: options.instanceArn,
              PrincipalId: userId,
              PrincipalType: 'USER',
              NextToken: token,
              MaxResults: 100,
            }),
            { abortSignal },
          );
          return {
            items: (out.AccountAssignments ?? []).map(a => ({
              accountId: a.AccountId!,
              permissionSetArn: a.PermissionSetArn!,
              principalType: 'USER' as const,
              principalId: userId,
            })),
            nextToken: out.NextToken,
          };
        },
      ),
    ]);
    // Groups SCIM created since the last full read are new to the snapshot: describe them.
    const groups = await mapWithConcurrency(
      memberships,
      this.#concurrency,
      async groupId => {
        const group = await this.#call(
          'identitystore',
          'DescribeGroup',
          ctx,
          abortSignal =>
            identityStore.send(
              new DescribeGroupCommand({
                IdentityStoreId: options.identityStoreId,
                GroupId: groupId,
              }),
              { abortSignal },
            ),
        );
        return {
          id: groupId,
          displayName: group.DisplayName ?? groupId,
          externalId: group.ExternalIds?.[0]?.Id,
          memberUserIds: [],
        };
      },
    );
    return {
      user: toIdcUser(described as User),
      groupIds: memberships,
      directAssignments: direct,
      groups,
    };
  }

  async #findUserId(
    ctx: ReadContext,
    options: {
      identityStoreId: string;
      entraId: string;
      issuer?: string;
      userName: string;
    },
  ) {
    const { identityStore } = this.#options.clients;
    const lookups = [
      ...(options.issuer
        ? [{ ExternalId: { Issuer: options.issuer, Id: options.entraId } }]
        : []),
      {
        UniqueAttribute: {
          AttributePath: 'userName',
          AttributeValue: options.userName,
        },
      },
    ];
    for (const AlternateIdentifier of lookups) {
      const found = await this.#call(
        'identitystore',
        'GetUserId',
        ctx,
        abortSignal =>
          identityStore
            .send(
              new GetUserIdCommand({
                IdentityStoreId: options.identityStoreId,
                AlternateIdentifier: AlternateIdentifier as any,
              }),
              { abortSignal },
            )
            .catch(error => {
              if (error?.name === 'ResourceNotFoundException') return undefined;
              throw error;
            }),
      );
      if (found?.UserId) return found.UserId;
    }
    return undefined;
  }
}

function toIdcUser(user: User): IdcUser {
  return {
    id: user.UserId!,
    userName: user.UserName ?? user.UserId!,
    displayName: user.DisplayName,
    status:
      (user as { UserStatus?: string }).UserStatus === 'DISABLED'
        ? 'DISABLED'
        : 'ENABLED',
    externalId: user.ExternalIds?.[0]?.Id,
    externalIssuer: user.ExternalIds?.[0]?.Issuer,
    email: user.Emails?.[0]?.Value,
  };
}
