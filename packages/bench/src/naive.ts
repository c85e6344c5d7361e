import type { ListAccountsCommandOutput } from '@aws-sdk/client-organizations';
import {
  ListAccountsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import {
  ListAccountAssignmentsCommand,
  ListPermissionSetsCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';

/** Runs `fn` over items with at most `limit` in flight. */
async function pool<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

export interface NaiveResult {
  executed: 'all' | 'sample';
  /** Account × permission set combinations queried (all of them, or the sample). */
  combinations: number;
  totalCombinations: number;
  /** ListAccountAssignments calls sent (pages). */
  listAccountAssignmentsCalls: number;
  assignmentsFound: number;
  wallMs: number;
  callsPerSecond: number;
}

/**
 * The naive strategy executed for real with the AWS SDK: ListPermissionSets, ListAccounts, then
 * ListAccountAssignments for every account × permission set. When the full run would take longer than
 * `maxSeconds` (measured on a first sample), it stops after the sample and the caller reports the exact count.
 */
export async function runNaive(options: {
  endpoint: string;
  region: string;
  instanceArn: string;
  concurrency?: number;
  maxSeconds: number;
  sample?: number;
  log: (line: string) => void;
}): Promise<NaiveResult> {
  const common = {
    region: options.region,
    endpoint: options.endpoint,
    credentials: {
      accessKeyId: 'AKIAEMULATOR',
      secretAccessKey: 'emulator-secret',
    },
    maxAttempts: 1,
  };
  const ssoAdmin = new SSOAdminClient(common);
  const organizations = new OrganizationsClient(common);
  try {
    const permissionSets: string[] = [];
    let token: string | undefined;
    do {
      const out = await ssoAdmin.send(
        new ListPermissionSetsCommand({
          InstanceArn: options.instanceArn,
          NextToken: token,
          MaxResults: 100,
        }),
      );
      permissionSets.push(...(out.PermissionSets ?? []));
      token = out.NextToken;
    } while (token);
    const accounts: string[] = [];
    token = undefined;
    do {
      const out: ListAccountsCommandOutput = await organizations.send(
        new ListAccountsCommand({ NextToken: token, MaxResults: 20 }),
      );
      accounts.push(...(out.Accounts ?? []).map(a => a.Id!));
      token = out.NextToken;
    } while (token);

    const combinations = accounts.flatMap(accountId =>
      permissionSets.map(ps => ({ accountId, ps })),
    );
    let calls = 0;
    let found = 0;
    const one = async ({
      accountId,
      ps,
    }: {
      accountId: string;
      ps: string;
    }) => {
      let next: string | undefined;
      do {
        calls++;
        const out = await ssoAdmin.send(
          new ListAccountAssignmentsCommand({
            InstanceArn: options.instanceArn,
            AccountId: accountId,
            PermissionSetArn: ps,
            NextToken: next,
            MaxResults: 100,
          }),
        );
        found += out.AccountAssignments?.length ?? 0;
        next = out.NextToken;
      } while (next);
    };
    const concurrency = options.concurrency ?? 16;
    const started = Date.now();
    const sampleSize = Math.min(combinations.length, options.sample ?? 3000);
    await pool(combinations.slice(0, sampleSize), concurrency, one);
    const sampleMs = Date.now() - started;
    const projectedSeconds =
      ((sampleMs / sampleSize) * combinations.length) / 1000;
    if (sampleSize < combinations.length) {
      if (projectedSeconds > options.maxSeconds) {
        options.log(
          `naive: ${sampleSize} of ${combinations.length} combinations took ${(
            sampleMs / 1000
          ).toFixed(1)} s; the rest would take ~${Math.round(
            projectedSeconds,
          )} s (> ${options.maxSeconds} s): counting it exactly instead`,
        );
        return {
          executed: 'sample',
          combinations: sampleSize,
          totalCombinations: combinations.length,
          listAccountAssignmentsCalls: calls,
          assignmentsFound: found,
          wallMs: sampleMs,
          callsPerSecond: calls / (sampleMs / 1000),
        };
      }
      options.log(
        `naive: projected ~${Math.round(projectedSeconds)} s for ${
          combinations.length
        } combinations; running them all`,
      );
      let done = sampleSize;
      const rest = combinations.slice(sampleSize);
      const timer = setInterval(
        () => options.log(`naive: ${done}/${combinations.length} combinations`),
        15_000,
      );
      try {
        await pool(rest, concurrency, async c => {
          await one(c);
          done++;
        });
      } finally {
        clearInterval(timer);
      }
    }
    const wallMs = Date.now() - started;
    return {
      executed: 'all',
      combinations: combinations.length,
      totalCombinations: combinations.length,
      listAccountAssignmentsCalls: calls,
      assignmentsFound: found,
      wallMs,
      callsPerSecond: calls / (wallMs / 1000),
    };
  } finally {
    ssoAdmin.destroy();
    organizations.destroy();
  }
}
