import type {
  Account,
  DescribeOrganizationCommandOutput,
  ListAccountsCommandOutput,
  ListOrganizationalUnitsForParentCommandOutput,
  ListParentsCommandOutput,
  ListRootsCommandOutput,
  ListTagsForResourceCommandOutput,
} from '@aws-sdk/client-organizations';
import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-organizations';
import type { AccountRecord, AwsSide } from '../../snapshot/model';
import type { ReadContext, SourceContext } from '../ports';
import { mapWithConcurrency } from '../requests/RequestBudget';
import type { AwsRequests } from './AwsRequests';

type OuNames = Map<string, { name: string; parentId?: string }>;

export interface OrganizationReadOptions {
  /** Account tags are reused from the previous snapshot until they are older than this. */
  detailsRefreshMs: number;
  concurrency: number;
}

/** The organization's id and accounts, each with its OU path and tags. */
export async function readOrganization(
  aws: AwsRequests,
  ctx: ReadContext,
  previous: AwsSide | undefined,
  options: OrganizationReadOptions,
): Promise<{ organizationId?: string; accounts: AccountRecord[] }> {
  const organizationId =
    previous?.organizationId ??
    (
      await aws.send<DescribeOrganizationCommandOutput>(
        'organizations',
        ctx,
        new DescribeOrganizationCommand({}),
      )
    ).Organization?.Id;
  const [accounts, ouNames] = await Promise.all([
    aws.list<Account, ListAccountsCommandOutput>(
      'organizations',
      ctx,
      token => new ListAccountsCommand({ NextToken: token, MaxResults: 20 }),
      out => out.Accounts,
    ),
    readOuNames(aws, ctx, options.concurrency),
  ]);

  const previousById = new Map((previous?.accounts ?? []).map(a => [a.id, a]));
  const refreshBefore = ctx.now.getTime() - options.detailsRefreshMs;
  const records = await mapWithConcurrency(
    accounts,
    options.concurrency,
    async (account): Promise<AccountRecord> => {
      const id = account.Id!;
      const prior = previousById.get(id);
      const tagsFresh =
        prior?.tagsReadAt && Date.parse(prior.tagsReadAt) > refreshBefore;
      const tags = tagsFresh
        ? prior!.tags
        : await readAccountTags(aws, ctx, id);
      const path = await ouPathOf(aws, ctx, account, ouNames);
      return {
        id,
        name: account.Name ?? id,
        email: account.Email ?? '',
        arn: account.Arn ?? '',
        status: (account.State as string) ?? account.Status ?? 'ACTIVE',
        ouPath: path,
        tags,
        firstSeenAt: prior?.firstSeenAt ?? ctx.now.toISOString(),
        tagsReadAt: tagsFresh ? prior!.tagsReadAt : ctx.now.toISOString(),
      };
    },
  );
  return { organizationId, accounts: records };
}

export async function readAccountTags(
  aws: AwsRequests,
  ctx: SourceContext,
  accountId: string,
): Promise<Record<string, string>> {
  const tags = await aws.list(
    'organizations',
    ctx,
    token =>
      new ListTagsForResourceCommand({
        ResourceId: accountId,
        NextToken: token,
      }),
    (out: ListTagsForResourceCommandOutput) => out.Tags,
  );
  return Object.fromEntries(tags.map(t => [t.Key!, t.Value ?? '']));
}

/** OU id → name, by walking the OU tree from the root (one call per OU page). */
async function readOuNames(
  aws: AwsRequests,
  ctx: ReadContext,
  concurrency: number,
): Promise<OuNames> {
  const roots = await aws.list(
    'organizations',
    ctx,
    token => new ListRootsCommand({ NextToken: token }),
    (out: ListRootsCommandOutput) => out.Roots,
  );
  const names: OuNames = new Map();
  let level = roots.map(root => root.Id!);
  for (const rootId of level) names.set(rootId, { name: 'Root' });
  while (level.length > 0) {
    const children = await mapWithConcurrency(level, concurrency, parentId =>
      aws.list(
        'organizations',
        ctx,
        token =>
          new ListOrganizationalUnitsForParentCommand({
            ParentId: parentId,
            NextToken: token,
          }),
        (out: ListOrganizationalUnitsForParentCommandOutput) =>
          (out.OrganizationalUnits ?? []).map(ou => ({ ...ou, parentId })),
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

/** `Workloads/Prod` for an OU, from the names of the OUs above it; `Root` for the root. */
function ouPath(ouNames: OuNames, ouId: string): string {
  const parts: string[] = [];
  let current: string | undefined = ouId;
  while (current && ouNames.has(current)) {
    const node: { name: string; parentId?: string } = ouNames.get(current)!;
    if (!node.parentId) break; // the root itself
    parts.unshift(node.name);
    current = node.parentId;
  }
  return parts.length > 0 ? parts.join('/') : 'Root';
}

/** An account's OU path: from its Paths when the API returns them, else one ListParents call. */
async function ouPathOf(
  aws: AwsRequests,
  ctx: ReadContext,
  account: Account,
  ouNames: OuNames,
) {
  const path = account.Paths?.[0];
  if (path) {
    // o-xxx/r-xxx/ou-a/ou-b/<account id>/ : the last OU is the account's parent
    const ouIds = path.split('/').filter(part => part.startsWith('ou-'));
    return ouIds.length > 0 ? ouPath(ouNames, ouIds[ouIds.length - 1]) : 'Root';
  }
  const parents = await aws.send<ListParentsCommandOutput>(
    'organizations',
    ctx,
    new ListParentsCommand({ ChildId: account.Id }),
  );
  const parent = parents.Parents?.[0];
  return parent?.Type === 'ORGANIZATIONAL_UNIT' && parent.Id
    ? ouPath(ouNames, parent.Id)
    : 'Root';
}
