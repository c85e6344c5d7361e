import type { Client } from '@microsoft/microsoft-graph-client';
import type { EntraUser } from '../../snapshot/model';
import type { RequestBudget } from '../requests/RequestBudget';
import type { RequestStats } from '../requests/RequestStats';
import { SourceError } from '../requests/SourceError';
import { callWithRetries, classifyGraphError } from '../requests/retry';

export interface ProvisionOnDemandResult {
  outcome: 'success' | 'skipped' | 'failure';
  /** Entra's explanation, from the provisioning steps. */
  message: string;
}

interface Ctx {
  stats: RequestStats;
  signal?: AbortSignal;
}

/**
 * The write side of Entra we use, and the reads a targeted refresh needs: provision-on-demand for one user
 * (needs Synchronization.ReadWrite.All), and one user's current state and direct groups.
 */
export class EntraProvisioner {
  readonly #client: Client;
  readonly #budget: RequestBudget;
  readonly #retry: { maxAttempts?: number; baseDelayMs?: number };
  readonly #ruleIds = new Map<string, string>();

  static create(options: {
    client: Client;
    budget: RequestBudget;
    retry?: { maxAttempts: number; baseDelayMs: number };
  }) {
    return new EntraProvisioner(options);
  }

  private constructor(options: {
    client: Client;
    budget: RequestBudget;
    retry?: { maxAttempts: number; baseDelayMs: number };
  }) {
    this.#client = options.client;
    this.#budget = options.budget;
    this.#retry = options.retry ?? {};
  }

  #request<T>(operation: string, ctx: Ctx, send: () => Promise<T>): Promise<T> {
    return callWithRetries(
      async () => {
        await this.#budget.acquire(ctx.signal);
        return send();
      },
      {
        source: 'graph',
        operation,
        stats: ctx.stats,
        classify: classifyGraphError,
        signal: ctx.signal,
        ...this.#retry,
      },
    );
  }

  /** The job's user provisioning rule (provisionOnDemand names it); read once per job. */
  async #ruleId(
    servicePrincipalId: string,
    jobId: string,
    ctx: Ctx,
  ): Promise<string> {
    const key = `${servicePrincipalId}/${jobId}`;
    const cached = this.#ruleIds.get(key);
    if (cached) return cached;
    const schema = await this.#request('synchronization/schema', ctx, () =>
      this.#client
        .api(
          `/servicePrincipals/${servicePrincipalId}/synchronization/jobs/${jobId}/schema`,
        )
        .get(),
    );
    const rule = (schema?.synchronizationRules ?? [])[0];
    if (!rule?.id) {
      throw new SourceError({
        source: 'graph',
        errorClass: 'no-provisioning-rule',
        message: `Provisioning job ${jobId} has no synchronization rule`,
      });
    }
    this.#ruleIds.set(key, rule.id);
    return rule.id;
  }

  /**
   * Asks Entra to provision one subject now: a user (created, updated, or disabled for leavers), or a group with
   * the given members (on-demand provisioning of a user does not carry its group memberships; the group's does).
   */
  async provisionOnDemand(
    options: {
      servicePrincipalId: string;
      jobId: string;
      subject: {
        objectId: string;
        objectTypeName: 'User' | 'Group';
        memberIds?: string[];
      };
    },
    ctx: Ctx,
  ): Promise<ProvisionOnDemandResult> {
    const ruleId = await this.#ruleId(
      options.servicePrincipalId,
      options.jobId,
      ctx,
    );
    const { objectId, objectTypeName, memberIds } = options.subject;
    const subject = {
      objectId,
      objectTypeName,
      ...(memberIds
        ? {
            links: {
              members: memberIds.map(id => ({
                objectId: id,
                objectTypeName: 'User',
              })),
            },
          }
        : {}),
    };
    const response = await this.#request('provisionOnDemand', ctx, () =>
      this.#client
        .api(
          `/servicePrincipals/${options.servicePrincipalId}/synchronization/jobs/${options.jobId}/provisionOnDemand`,
        )
        .post({ parameters: [{ ruleId, subjects: [subject] }] }),
    );
    return parseProvisionResponse(response);
  }

  /** One user's current Entra state and direct groups, for a targeted refresh. */
  async readUser(
    userId: string,
    ctx: Ctx,
  ): Promise<{ user: EntraUser; directGroupIds: string[] } | undefined> {
    const user = await this.#request('users/{id}', ctx, () =>
      this.#client
        .api(
          `/users/${userId}?$select=id,displayName,userPrincipalName,mail,accountEnabled,jobTitle,department`,
        )
        .get()
        .catch((error: any) => {
          if (error?.statusCode === 404) return undefined;
          throw error;
        }),
    );
    if (!user) return undefined;
    const groupIds: string[] = [];
    const page$ = (url: string) =>
      this.#request('users/{id}/memberOf', ctx, () =>
        this.#client.api(url).get(),
      );
    let next:
      | string
      | undefined = `/users/${userId}/memberOf?$select=id&$top=999`;
    while (next) {
      const page: any = await page$(next);
      for (const item of page.value ?? []) {
        if (item['@odata.type'] === '#microsoft.graph.group')
          groupIds.push(item.id);
      }
      next = page['@odata.nextLink'];
    }
    return {
      user: {
        id: user.id,
        displayName: user.displayName ?? user.userPrincipalName,
        userPrincipalName: user.userPrincipalName,
        mail: user.mail ?? undefined,
        accountEnabled: user.accountEnabled !== false,
        jobTitle: user.jobTitle ?? undefined,
        department: user.department ?? undefined,
      },
      directGroupIds: groupIds,
    };
  }
}

/** Reads Entra's provisionOnDemand answer: a key/value pair whose value is JSON with the steps and status. */
export function parseProvisionResponse(response: any): ProvisionOnDemandResult {
  let details: any[];
  try {
    details = JSON.parse(response?.value ?? '[]');
  } catch {
    throw new SourceError({
      source: 'graph',
      errorClass: 'malformed-response',
      message: 'provisionOnDemand returned an unreadable result',
    });
  }
  const detail = Array.isArray(details) ? details[0] : details;
  const status = String(
    detail?.statusInfo?.status ?? detail?.status ?? '',
  ).toLowerCase();
  const steps: any[] = detail?.provisioningSteps ?? [];
  const notable =
    steps.find(s => /skip|fail|warn/i.test(String(s.status))) ??
    steps[steps.length - 1];
  const message = notable?.description ?? status;
  if (status === 'success') return { outcome: 'success', message };
  if (status === 'skipped') return { outcome: 'skipped', message };
  return {
    outcome: 'failure',
    message: message || 'Entra reported a failure without details',
  };
}
