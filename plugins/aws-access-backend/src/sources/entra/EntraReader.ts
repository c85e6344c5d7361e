import type { Client } from '@microsoft/microsoft-graph-client';
import type {
  EntraChange,
  EntraGroup,
  EntraSide,
  EntraUser,
  ProvisioningJob,
  ProvisioningLogEntry,
} from '../../snapshot/model';
import type { RequestBudget } from '../requests/RequestBudget';
import type { RequestStats } from '../requests/RequestStats';
import { SourceError } from '../requests/SourceError';
import { callWithRetries, classifyGraphError } from '../requests/retry';

export interface EntraReadContext {
  stats: RequestStats;
  signal?: AbortSignal;
  deadline?: number;
  now: Date;
}

export interface EntraReadResult {
  entra: EntraSide;
  delta: { users: string; groups: string };
  /** Whether the tenant was read from scratch (first run, or an expired delta token). */
  fullRead: boolean;
}

export interface EntraReaderOptions {
  client: Client;
  budget: RequestBudget;
  tenantId: string;
  appId: string;
  auditLookbackMs: number;
  retry?: { maxAttempts: number; baseDelayMs: number };
}

const DELTA_PAGE_SIZE_PREFERENCE = 'odata.maxpagesize=999';

type Collection<T> = {
  value?: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
};

const USER_SELECT =
  'displayName,userPrincipalName,mail,accountEnabled,jobTitle,department';
const GROUP_SELECT =
  'displayName,description,mail,mailNickname,securityEnabled,members';

function parseIsoDuration(value: string | undefined): number | undefined {
  const match =
    /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
      value ?? '',
    );
  if (!match) return undefined;
  const [, d, h, m, s] = match.map(Number);
  const seconds = (d || 0) * 86400 + (h || 0) * 3600 + (m || 0) * 60 + (s || 0);
  // "Never" is encoded as TimeSpan.MaxValue (P10675199D…).
  return seconds > 0 && seconds < 365 * 86400 ? seconds : undefined;
}

/**
 * Reads the Entra side: the AWS enterprise app (service principal, who is assigned, SAML certificate), its
 * provisioning job and logs, directory changes, and every user and group of the tenant, kept current with
 * `/users/delta` and `/groups/delta` so an unchanged tenant costs a handful of requests. Expired delta tokens
 * fall back to a full read in the same run. Any failed page fails the read.
 */
export class EntraReader {
  readonly #client: Client;
  readonly #budget: RequestBudget;
  readonly #tenantId: string;
  readonly #appId: string;
  readonly #auditLookbackMs: number;
  readonly #retry: { maxAttempts?: number; baseDelayMs?: number };

  static create(options: EntraReaderOptions) {
    return new EntraReader(options);
  }

  private constructor(options: EntraReaderOptions) {
    this.#retry = options.retry ?? {};
    this.#client = options.client;
    this.#budget = options.budget;
    this.#tenantId = options.tenantId;
    this.#appId = options.appId;
    this.#auditLookbackMs = options.auditLookbackMs;
  }

  async #get<T>(
    path: string,
    operation: string,
    ctx: EntraReadContext,
    headers: Record<string, string> = {},
  ): Promise<T> {
    return callWithRetries(
      async () => {
        await this.#budget.acquire(ctx.signal);
        const response = await this.#client
          .api(path)
          .headers(headers)
          .option('signal', ctx.signal as any)
          .get();
        if (response === null || typeof response !== 'object') {
          throw new SourceError({
            source: 'graph',
            errorClass: 'malformed-response',
            message: `${operation} returned no JSON object`,
          });
        }
        return response as T;
      },
      {
        source: 'graph',
        operation,
        stats: ctx.stats,
        classify: classifyGraphError,
        signal: ctx.signal,
        deadline: ctx.deadline,
        ...this.#retry,
      },
    );
  }

  async #all<T>(
    path: string,
    operation: string,
    ctx: EntraReadContext,
  ): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = path;
    while (next) {
      const page: Collection<T> = await this.#get<Collection<T>>(
        next,
        operation,
        ctx,
      );
      if (!Array.isArray(page.value)) {
        throw new SourceError({
          source: 'graph',
          errorClass: 'malformed-response',
          message: `${operation} page has no value array`,
        });
      }
      items.push(...page.value);
      next = page['@odata.nextLink'];
    }
    return items;
  }

  /**
   * Follows a delta round to its deltaLink. Delta takes no `$top`; the page size is asked for with a Prefer header
   * on every page, and Graph may cap it lower (a tenant's first read is where this matters: 100 users per page
   * would be 1,000 requests at 100k users).
   */
  async #delta<T>(
    start: string,
    operation: string,
    ctx: EntraReadContext,
  ): Promise<{ items: T[]; deltaLink: string }> {
    const items: T[] = [];
    let next: string | undefined = start;
    for (;;) {
      const page: Collection<T> = await this.#get<Collection<T>>(
        next!,
        operation,
        ctx,
        { Prefer: DELTA_PAGE_SIZE_PREFERENCE },
      );
      if (!Array.isArray(page.value)) {
        throw new SourceError({
          source: 'graph',
          errorClass: 'malformed-response',
          message: `${operation} page has no value array`,
        });
      }
      items.push(...page.value);
      if (page['@odata.deltaLink'])
        return { items, deltaLink: page['@odata.deltaLink'] };
      next = page['@odata.nextLink'];
      if (!next) {
        throw new SourceError({
          source: 'graph',
          errorClass: 'paging-broken',
          message: `${operation} ended without a deltaLink`,
        });
      }
    }
  }

  async read(
    ctx: EntraReadContext,
    previous?: {
      entra: EntraSide;
      delta?: { users?: string; groups?: string };
    },
  ): Promise<EntraReadResult> {
    const servicePrincipal = await this.#readServicePrincipal(ctx);
    const [appAssignments, provisioning, directory, provisioningLog, changes] =
      await Promise.all([
        this.#all<{ principalId: string; principalType: string }>(
          `/servicePrincipals/${servicePrincipal.id}/appRoleAssignedTo?$top=999`,
          'appRoleAssignedTo',
          ctx,
        ),
        this.#readProvisioningJob(ctx, servicePrincipal.id),
        this.#readDirectory(ctx, previous),
        this.#readProvisioningLog(ctx, servicePrincipal.id, previous?.entra),
        this.#readDirectoryChanges(ctx, previous?.entra),
      ]);
    return {
      entra: {
        tenantId: this.#tenantId,
        app: {
          appId: this.#appId,
          servicePrincipalId: servicePrincipal.id,
          displayName: servicePrincipal.displayName,
          samlCertificateExpires: servicePrincipal.samlCertificateExpires,
        },
        appAssignments: appAssignments
          .filter(
            a => a.principalType === 'Group' || a.principalType === 'User',
          )
          .map(a => ({
            principalId: a.principalId,
            principalType: a.principalType as 'Group' | 'User',
          })),
        users: directory.users,
        groups: directory.groups,
        provisioning,
        provisioningLog,
        changes: [...changes, ...directory.observed],
      },
      delta: directory.delta,
      fullRead: directory.fullRead,
    };
  }

  async #readServicePrincipal(ctx: EntraReadContext) {
    const page = await this.#get<Collection<any>>(
      `/servicePrincipals?$filter=appId eq '${
        this.#appId
      }'&$select=id,appId,displayName,keyCredentials,preferredTokenSigningKeyThumbprint,preferredTokenSigningKeyEndDateTime`,
      'servicePrincipals',
      ctx,
    );
    const sp = page.value?.[0];
    if (!sp?.id) {
      throw new SourceError({
        source: 'graph',
        errorClass: 'app-not-found',
        message: `No enterprise application with appId ${
          this.#appId
        } in tenant ${this.#tenantId}; check awsAccess.entra.awsAppId`,
      });
    }
    return {
      id: sp.id as string,
      displayName: sp.displayName as string,
      samlCertificateExpires: samlCertificateExpiry(sp),
    };
  }

  async #readProvisioningJob(
    ctx: EntraReadContext,
    servicePrincipalId: string,
  ): Promise<ProvisioningJob> {
    const jobs = await this.#all<any>(
      `/servicePrincipals/${servicePrincipalId}/synchronization/jobs`,
      'synchronization/jobs',
      ctx,
    );
    const job = jobs[0];
    if (!job) return { status: 'NotConfigured' };
    const status = job.status ?? {};
    return {
      id: job.id,
      status: status.code ?? 'Unknown',
      intervalSeconds: parseIsoDuration(job.schedule?.interval),
      lastCycleStartedAt: status.lastExecution?.timeBegan ?? undefined,
      lastCycleEndedAt: status.lastExecution?.timeEnded ?? undefined,
      lastSuccessAt: status.lastSuccessfulExecution?.timeEnded ?? undefined,
      quarantineReason: status.quarantine?.reason ?? undefined,
      lastError:
        status.lastExecution?.error?.message ??
        status.quarantine?.error?.message ??
        undefined,
    };
  }

  #since(
    previousList: Array<{ at: string }> | undefined,
    ctx: EntraReadContext,
  ) {
    const lookback = new Date(
      ctx.now.getTime() - this.#auditLookbackMs,
    ).toISOString();
    // Read incrementally from the newest entry we have, with a little overlap for late-arriving entries.
    const newest = previousList
      ?.map(e => e.at)
      .sort()
      .pop();
    const from = newest
      ? new Date(Date.parse(newest) - 5 * 60_000).toISOString()
      : lookback;
    return { from: from > lookback ? from : lookback, lookback };
  }

  /** New provisioning log entries since the newest we have, merged (for targeted refreshes). */
  readProvisioningLog(
    ctx: EntraReadContext,
    previous: EntraSide,
  ): Promise<ProvisioningLogEntry[]> {
    return this.#readProvisioningLog(
      ctx,
      previous.app.servicePrincipalId,
      previous,
    );
  }

  async #readProvisioningLog(
    ctx: EntraReadContext,
    servicePrincipalId: string,
    previous?: EntraSide,
  ): Promise<ProvisioningLogEntry[]> {
    const { from, lookback } = this.#since(previous?.provisioningLog, ctx);
    const entries = await this.#all<any>(
      `/auditLogs/provisioning?$filter=activityDateTime ge ${from} and servicePrincipal/id eq '${servicePrincipalId}'&$top=500`,
      'auditLogs/provisioning',
      ctx,
    );
    const merged = new Map(
      (previous?.provisioningLog ?? [])
        .filter(e => e.at >= lookback)
        .map(e => [e.id, e]),
    );
    for (const entry of entries) {
      merged.set(entry.id, {
        id: entry.id,
        at: entry.activityDateTime,
        action: entry.provisioningAction ?? 'other',
        status: entry.provisioningStatusInfo?.status ?? 'unknown',
        sourceId: entry.sourceIdentity?.id,
        sourceName: entry.sourceIdentity?.displayName,
        targetId: entry.targetIdentity?.id,
        reason:
          entry.provisioningStatusInfo?.errorInformation?.reason ?? undefined,
      });
    }
    return [...merged.values()].sort((a, b) => a.at.localeCompare(b.at));
  }

  async #readDirectoryChanges(
    ctx: EntraReadContext,
    previous?: EntraSide,
  ): Promise<EntraChange[]> {
    const audited = previous?.changes.filter(c => c.id) ?? [];
    const { from, lookback } = this.#since(audited, ctx);
    const entries = await this.#all<any>(
      `/auditLogs/directoryAudits?$filter=activityDateTime ge ${from}&$top=500`,
      'auditLogs/directoryAudits',
      ctx,
    );
    const merged = new Map(
      audited.filter(c => c.at >= lookback).map(c => [c.id!, c]),
    );
    for (const entry of entries) {
      const change = toChange(entry);
      if (change) merged.set(change.id!, change);
    }
    return [...merged.values()];
  }

  async #readDirectory(
    ctx: EntraReadContext,
    previous?: {
      entra: EntraSide;
      delta?: { users?: string; groups?: string };
    },
  ) {
    const canContinue = Boolean(
      previous?.delta?.users && previous.delta.groups,
    );
    if (canContinue) {
      try {
        return await this.#readDirectoryDelta(
          ctx,
          previous!.entra,
          previous!.delta as { users: string; groups: string },
        );
      } catch (error) {
        // Delta tokens expire (about a week for directory objects): start over with a full enumeration.
        if (
          !(
            error instanceof SourceError &&
            error.errorClass === 'delta-token-expired'
          )
        )
          throw error;
      }
    }
    return this.#readDirectoryDelta(ctx, undefined, {
      users: `/users/delta?$select=${USER_SELECT}`,
      groups: `/groups/delta?$select=${GROUP_SELECT}`,
    });
  }

  /** Applies one delta round (or a full enumeration when there is no previous state) to the mirror. */
  async #readDirectoryDelta(
    ctx: EntraReadContext,
    previous: EntraSide | undefined,
    links: { users: string; groups: string },
  ) {
    const [users, groups] = await Promise.all([
      this.#delta<any>(links.users, 'users/delta', ctx),
      this.#delta<any>(links.groups, 'groups/delta', ctx),
    ]);
    const userMap = new Map<string, EntraUser>(
      (previous?.users ?? []).map(u => [u.id, u]),
    );
    const groupMap = new Map<string, EntraGroup>(
      (previous?.groups ?? []).map(g => [
        g.id,
        {
          ...g,
          memberUserIds: [...g.memberUserIds],
          memberGroupIds: [...g.memberGroupIds],
        },
      ]),
    );
    const observed: EntraChange[] = [];
    const at = ctx.now.toISOString();

    for (const item of users.items) {
      if (item['@removed']) {
        if (previous && userMap.has(item.id))
          observed.push({
            at,
            kind: 'user-deleted',
            userId: item.id,
            source: 'delta',
          });
        userMap.delete(item.id);
        continue;
      }
      const prior = userMap.get(item.id);
      const user: EntraUser = {
        id: item.id,
        displayName:
          item.displayName ??
          prior?.displayName ??
          item.userPrincipalName ??
          item.id,
        userPrincipalName:
          item.userPrincipalName ?? prior?.userPrincipalName ?? item.id,
        mail: 'mail' in item ? item.mail ?? undefined : prior?.mail,
        accountEnabled:
          'accountEnabled' in item
            ? item.accountEnabled !== false
            : prior?.accountEnabled ?? true,
        jobTitle:
          'jobTitle' in item ? item.jobTitle ?? undefined : prior?.jobTitle,
        department:
          'department' in item
            ? item.department ?? undefined
            : prior?.department,
      };
      if (previous) {
        if (!prior)
          observed.push({
            at,
            kind: 'user-created',
            userId: user.id,
            source: 'delta',
          });
        else if (prior.accountEnabled && !user.accountEnabled)
          observed.push({
            at,
            kind: 'user-disabled',
            userId: user.id,
            source: 'delta',
          });
        else if (!prior.accountEnabled && user.accountEnabled)
          observed.push({
            at,
            kind: 'user-enabled',
            userId: user.id,
            source: 'delta',
          });
      }
      userMap.set(user.id, user);
    }

    for (const item of groups.items) {
      if (item['@removed']) {
        groupMap.delete(item.id);
        continue;
      }
      let group = groupMap.get(item.id);
      if (!group) {
        group = {
          id: item.id,
          displayName: item.displayName ?? item.id,
          securityEnabled: true,
          memberUserIds: [],
          memberGroupIds: [],
        };
        groupMap.set(item.id, group);
      }
      if ('displayName' in item && item.displayName)
        group.displayName = item.displayName;
      if ('description' in item)
        group.description = item.description ?? undefined;
      if ('mail' in item) group.mail = item.mail ?? undefined;
      if ('mailNickname' in item)
        group.mailNickname = item.mailNickname ?? undefined;
      if ('securityEnabled' in item)
        group.securityEnabled = item.securityEnabled !== false;
      for (const member of item['members@delta'] ?? []) {
        const isGroup = member['@odata.type'] === '#microsoft.graph.group';
        const isUser = member['@odata.type'] === '#microsoft.graph.user';
        if (!isGroup && !isUser) continue; // devices, service principals, contacts: not provisioned to AWS
        const list = isGroup ? group.memberGroupIds : group.memberUserIds;
        const index = list.indexOf(member.id);
        if (member['@removed']) {
          if (index >= 0) list.splice(index, 1);
          if (previous && isUser)
            observed.push({
              at,
              kind: 'member-removed',
              userId: member.id,
              groupId: group.id,
              source: 'delta',
            });
        } else if (index < 0) {
          list.push(member.id);
          if (previous && isUser)
            observed.push({
              at,
              kind: 'member-added',
              userId: member.id,
              groupId: group.id,
              source: 'delta',
            });
        }
      }
    }

    return {
      users: [...userMap.values()],
      groups: [...groupMap.values()],
      delta: { users: users.deltaLink, groups: groups.deltaLink },
      fullRead: !previous,
      observed,
    };
  }
}

/** The signing certificate's expiry: Graph's preferredTokenSigningKeyEndDateTime, else the matching key credential. */
function samlCertificateExpiry(sp: any): string | undefined {
  if (sp.preferredTokenSigningKeyEndDateTime)
    return sp.preferredTokenSigningKeyEndDateTime;
  const keys: any[] = sp.keyCredentials ?? [];
  const thumbprint: string | undefined = sp.preferredTokenSigningKeyThumbprint;
  const matching = keys.filter(
    k => !thumbprint || k.customKeyIdentifier === thumbprint,
  );
  return (matching.length > 0 ? matching : keys)
    .map(k => k.endDateTime)
    .filter(Boolean)
    .sort()
    .pop();
}

/** Maps a directory audit entry to the change kinds the state model uses. */
function toChange(entry: any): EntraChange | undefined {
  const targets: any[] = entry.targetResources ?? [];
  const user = targets.find(t => t.type === 'User');
  const group = targets.find(t => t.type === 'Group');
  const base = {
    id: entry.id as string,
    at: entry.activityDateTime as string,
    source: 'audit' as const,
  };
  switch (entry.activityDisplayName) {
    case 'Add member to group':
      return user && group
        ? { ...base, kind: 'member-added', userId: user.id, groupId: group.id }
        : undefined;
    case 'Remove member from group':
      return user && group
        ? {
            ...base,
            kind: 'member-removed',
            userId: user.id,
            groupId: group.id,
          }
        : undefined;
    case 'Add user':
      return user
        ? { ...base, kind: 'user-created', userId: user.id }
        : undefined;
    case 'Delete user':
      return user
        ? { ...base, kind: 'user-deleted', userId: user.id }
        : undefined;
    case 'Disable account':
      return user
        ? { ...base, kind: 'user-disabled', userId: user.id }
        : undefined;
    case 'Enable account':
      return user
        ? { ...base, kind: 'user-enabled', userId: user.id }
        : undefined;
    case 'Update user': {
      const enabled = (user?.modifiedProperties ?? []).find(
        (p: any) => p.displayName === 'AccountEnabled',
      );
      if (!user || !enabled) return undefined;
      return {
        ...base,
        kind: /false/i.test(enabled.newValue ?? '')
          ? 'user-disabled'
          : 'user-enabled',
        userId: user.id,
      };
    }
    default:
      return undefined;
  }
}
