import type {
  IdentityChange,
  IdentitySide,
  ProvisioningLogEntry,
} from '../../snapshot/model';
import type {
  IdentitySource,
  IdentityUserRead,
  ReadContext,
  SourceContext,
} from '../ports';
import { SourceError } from '../requests/SourceError';
import type { GraphRequests } from './GraphRequests';
import { readDirectory } from './entraDirectory';
import {
  samlCertificateExpiry,
  toChange,
  toProvisioningJob,
  toProvisioningLogEntry,
} from './entraRecords';

export interface EntraReaderOptions {
  graph: GraphRequests;
  tenantId: string;
  appId: string;
  auditLookbackMs: number;
}

/** Entries newer than what we have are read with this overlap, for entries that arrive late. */
const LATE_ENTRY_OVERLAP_MS = 5 * 60_000;

/**
 * Microsoft Entra ID as the identity source: the AWS enterprise app (service principal, who is assigned, SAML
 * certificate), its provisioning job and logs, directory changes, and every user and group of the tenant, kept
 * current with delta queries (entraDirectory.ts). Any failed page fails the read.
 */
export class EntraReader implements IdentitySource {
  readonly #graph: GraphRequests;
  readonly #tenantId: string;
  readonly #appId: string;
  readonly #auditLookbackMs: number;

  static create(options: EntraReaderOptions) {
    return new EntraReader(options);
  }

  private constructor(options: EntraReaderOptions) {
    this.#graph = options.graph;
    this.#tenantId = options.tenantId;
    this.#appId = options.appId;
    this.#auditLookbackMs = options.auditLookbackMs;
  }

  async read(ctx: ReadContext, previous?: IdentitySide): Promise<IdentitySide> {
    const servicePrincipal = await this.#readServicePrincipal(ctx);
    const [scope, jobs, directory, provisioningLog, changes] =
      await Promise.all([
        this.#graph.all<{ principalId: string; principalType: string }>(
          `/servicePrincipals/${servicePrincipal.id}/appRoleAssignedTo?$top=999`,
          'appRoleAssignedTo',
          ctx,
        ),
        this.#graph.all<any>(
          `/servicePrincipals/${servicePrincipal.id}/synchronization/jobs`,
          'synchronization/jobs',
          ctx,
        ),
        readDirectory(this.#graph, ctx, previous),
        this.#readProvisioningLog(ctx, servicePrincipal.id, previous),
        this.#readDirectoryChanges(ctx, previous),
      ]);
    return {
      source: 'entra',
      tenantId: this.#tenantId,
      app: {
        appId: this.#appId,
        servicePrincipalId: servicePrincipal.id,
        displayName: servicePrincipal.displayName,
        samlCertificateExpires: servicePrincipal.samlCertificateExpires,
        ...(servicePrincipal.loginUrl && {
          loginUrl: servicePrincipal.loginUrl,
        }),
      },
      provisioningScope: scope
        .filter(a => a.principalType === 'Group' || a.principalType === 'User')
        .map(a => ({
          principalId: a.principalId,
          principalType: a.principalType as 'Group' | 'User',
        })),
      users: directory.users,
      groups: directory.groups,
      provisioning: toProvisioningJob(jobs[0]),
      provisioningLog,
      changes: [
        ...changes,
        ...this.#keptObservations(ctx, previous),
        ...directory.observed,
      ],
      cursor: directory.delta,
    };
  }

  async #readServicePrincipal(ctx: ReadContext) {
    const page = await this.#graph.get<{ value?: any[] }>(
      `/servicePrincipals?$filter=appId eq '${
        this.#appId
      }'&$select=id,appId,displayName,loginUrl,keyCredentials,preferredTokenSigningKeyThumbprint,preferredTokenSigningKeyEndDateTime`,
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
      loginUrl: typeof sp.loginUrl === 'string' ? sp.loginUrl : undefined,
    };
  }

  /** Where an incremental log read starts: the newest entry we have (with overlap), never before the lookback. */
  #since(previousList: Array<{ at: string }> | undefined, ctx: ReadContext) {
    const lookback = new Date(
      ctx.now.getTime() - this.#auditLookbackMs,
    ).toISOString();
    const newest = previousList
      ?.map(e => e.at)
      .sort()
      .pop();
    const from = newest
      ? new Date(Date.parse(newest) - LATE_ENTRY_OVERLAP_MS).toISOString()
      : lookback;
    return { from: from > lookback ? from : lookback, lookback };
  }

  readProvisioningLog(
    ctx: ReadContext,
    previous: IdentitySide,
  ): Promise<ProvisioningLogEntry[]> {
    return this.#readProvisioningLog(
      ctx,
      previous.app.servicePrincipalId,
      previous,
    );
  }

  async #readProvisioningLog(
    ctx: ReadContext,
    servicePrincipalId: string,
    previous?: IdentitySide,
  ): Promise<ProvisioningLogEntry[]> {
    const { from, lookback } = this.#since(previous?.provisioningLog, ctx);
    const entries = await this.#graph.all<any>(
      `/auditLogs/provisioning?$filter=activityDateTime ge ${from} and servicePrincipal/id eq '${servicePrincipalId}'&$top=500`,
      'auditLogs/provisioning',
      ctx,
    );
    const merged = new Map(
      (previous?.provisioningLog ?? [])
        .filter(e => e.at >= lookback)
        .map(e => [e.id, e]),
    );
    for (const entry of entries)
      merged.set(entry.id, toProvisioningLogEntry(entry));
    return [...merged.values()].sort((a, b) => a.at.localeCompare(b.at));
  }

  /**
   * What earlier delta rounds observed (changes the audit log may not say), kept for the audit lookback like audit
   * entries: a read that sees nothing new leaves them as they were.
   */
  #keptObservations(ctx: ReadContext, previous?: IdentitySide) {
    const { lookback } = this.#since(undefined, ctx);
    return (previous?.changes ?? []).filter(c => !c.id && c.at >= lookback);
  }

  async #readDirectoryChanges(
    ctx: ReadContext,
    previous?: IdentitySide,
  ): Promise<IdentityChange[]> {
    const audited = previous?.changes.filter(c => c.id) ?? [];
    const { from, lookback } = this.#since(audited, ctx);
    const entries = await this.#graph.all<any>(
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

  /** One user's current state and direct groups, for a targeted refresh. */
  async readUser(
    ctx: SourceContext,
    userId: string,
  ): Promise<IdentityUserRead | undefined> {
    const user = await this.#graph.call('users/{id}', ctx, () =>
      this.#graph.client
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
    let next:
      | string
      | undefined = `/users/${userId}/memberOf?$select=id&$top=999`;
    while (next) {
      const link: string = next;
      const page: any = await this.#graph.call('users/{id}/memberOf', ctx, () =>
        this.#graph.client.api(link).get(),
      );
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
