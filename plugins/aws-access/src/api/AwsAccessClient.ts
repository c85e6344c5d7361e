import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  AccessPageQuery,
  AccessRequest,
  AccessRequestExportOptions,
  AccessRequestList,
  AccountAccess,
  CreateAccessRequest,
  CreateReviewCampaign,
  AccountCompliance,
  AccountSummary,
  ApplyResult,
  Diagnosis,
  DriftReport,
  GroupAccess,
  OnboardingOverview,
  OnboardingPlan,
  PermissionSet,
  PermissionSetDetails,
  PolicyLintReport,
  ProvisionResult,
  ReportOptions,
  ReportRow,
  OverdueReviewItemList,
  ReviewCampaign,
  ReviewCampaignList,
  ReviewDecision,
  ReviewItem,
  ReviewItemList,
  ReviewItemPage,
  RequestListRole,
  RequestState,
  RequestableList,
  SyncRun,
  SyncRunResponse,
  SyncStatus,
  SyncTriggerResponse,
  UserAccess,
  UserTimeline,
} from '@aws-access/plugin-aws-access-common';
import type { AccessRequestAction, AwsAccessApi } from './AwsAccessApi';

const PLUGIN_ID = 'aws-access';

/**
 * Talks to `/api/aws-access` through the app's DiscoveryApi and FetchApi (Backstage token attached by FetchApi).
 *
 * @public
 */
export class AwsAccessClient implements AwsAccessApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  getMyAccess(query?: AccessPageQuery): Promise<UserAccess> {
    return this.#json(`/me${pageQuery(query)}`);
  }

  getUserAccess(
    userEntityRef: string,
    query?: AccessPageQuery,
  ): Promise<UserAccess> {
    return this.#json(
      `/users/${encodeURIComponent(userEntityRef)}${pageQuery(query)}`,
    );
  }

  getGroupAccess(
    groupEntityRef: string,
    query?: AccessPageQuery,
  ): Promise<GroupAccess> {
    return this.#json(
      `/groups/${encodeURIComponent(groupEntityRef)}${pageQuery(query)}`,
    );
  }

  async getMyAwsCliConfig(): Promise<string> {
    const response = await this.#fetch('/me/aws-cli-config', {
      headers: { accept: 'text/plain' },
    });
    return response.text();
  }

  async getUserAwsCliConfig(userEntityRef: string): Promise<string> {
    const response = await this.#fetch(
      `/users/${encodeURIComponent(userEntityRef)}/aws-cli-config`,
      { headers: { accept: 'text/plain' } },
    );
    return response.text();
  }

  async exportGroupAccessCsv(
    groupEntityRef: string,
    query?: AccessPageQuery,
  ): Promise<string> {
    const response = await this.#fetch(
      `/groups/${encodeURIComponent(groupEntityRef)}/export${pageQuery(query)}`,
      { headers: { accept: 'text/csv' } },
    );
    return response.text();
  }

  async getAccounts(): Promise<AccountSummary[]> {
    const body = await this.#json<{ accounts: AccountSummary[] }>('/accounts');
    return body.accounts;
  }

  getAccountAccess(
    accountId: string,
    query?: AccessPageQuery,
  ): Promise<AccountAccess> {
    return this.#json(
      `/accounts/${encodeURIComponent(accountId)}${pageQuery(query)}`,
    );
  }

  async getPermissionSets(): Promise<PermissionSet[]> {
    const body = await this.#json<{ permissionSets: PermissionSet[] }>(
      '/permission-sets',
    );
    return body.permissionSets;
  }

  getPermissionSet(name: string): Promise<PermissionSetDetails> {
    return this.#json(`/permission-sets/${encodeURIComponent(name)}`);
  }

  getSyncStatus(): Promise<SyncStatus> {
    return this.#json('/sync/status');
  }

  triggerSync(): Promise<SyncTriggerResponse> {
    return this.#json<SyncTriggerResponse>('/sync', { method: 'POST' });
  }

  async approveHeldSnapshot(): Promise<SyncRun> {
    const body = await this.#json<SyncRunResponse>('/sync/held/approve', {
      method: 'POST',
    });
    return body.run;
  }

  getDrift(): Promise<DriftReport> {
    return this.#json('/drift');
  }

  diagnose(options: { user: string; account: string }): Promise<Diagnosis> {
    const query = new URLSearchParams({
      user: options.user,
      account: options.account,
    });
    return this.#json(`/diagnose?${query}`);
  }

  async getReport(options?: ReportOptions): Promise<ReportRow[]> {
    const body = await this.#json<{ rows: ReportRow[] }>(
      `/report?${reportQuery('json', options)}`,
    );
    return body.rows;
  }

  async getReportCsv(options?: ReportOptions): Promise<string> {
    const response = await this.#fetch(
      `/report?${reportQuery('csv', options)}`,
      {
        headers: { accept: 'text/csv' },
      },
    );
    return response.text();
  }

  provision(options?: { user?: string }): Promise<ProvisionResult> {
    return this.#post(
      '/provision',
      options?.user ? { user: options.user } : {},
    );
  }

  getMyTimeline(): Promise<UserTimeline> {
    return this.#json('/me/timeline');
  }

  getUserTimeline(userEntityRef: string): Promise<UserTimeline> {
    return this.#json(`/users/${encodeURIComponent(userEntityRef)}/timeline`);
  }

  getOnboarding(): Promise<OnboardingOverview> {
    return this.#json('/onboarding/accounts');
  }

  getAccountCompliance(accountId: string): Promise<AccountCompliance> {
    return this.#json(`/onboarding/accounts/${encodeURIComponent(accountId)}`);
  }

  planAccountBaseline(options: {
    accountId: string;
    removeForbidden?: boolean;
  }): Promise<OnboardingPlan> {
    return this.#post(
      `/onboarding/accounts/${encodeURIComponent(options.accountId)}/plan`,
      { removeForbidden: options.removeForbidden ?? false },
    );
  }

  applyAccountBaseline(options: {
    accountId: string;
    planId: string;
    removeForbidden?: boolean;
    confirmRemoval?: boolean;
  }): Promise<ApplyResult> {
    return this.#post(
      `/onboarding/accounts/${encodeURIComponent(options.accountId)}/apply`,
      {
        planId: options.planId,
        removeForbidden: options.removeForbidden ?? false,
        confirmRemoval: options.confirmRemoval ?? false,
      },
    );
  }

  getRequestables(): Promise<RequestableList> {
    return this.#json('/requestables');
  }

  createRequest(request: CreateAccessRequest): Promise<AccessRequest> {
    return this.#post('/requests', request);
  }

  listRequests(options: {
    role: RequestListRole;
    state?: RequestState;
  }): Promise<AccessRequestList> {
    const query = new URLSearchParams({ role: options.role });
    if (options.state) {
      query.set('state', options.state);
    }
    return this.#json(`/requests?${query}`);
  }

  getRequest(id: string): Promise<AccessRequest> {
    return this.#json(`/requests/${encodeURIComponent(id)}`);
  }

  actOnRequest(options: {
    id: string;
    action: AccessRequestAction;
    note?: string;
  }): Promise<AccessRequest> {
    return this.#post(
      `/requests/${encodeURIComponent(options.id)}/${options.action}`,
      options.note ? { note: options.note } : {},
    );
  }

  async exportRequests(options: AccessRequestExportOptions): Promise<string> {
    const query = new URLSearchParams({
      from: options.from,
      to: options.to,
      format: options.format,
    });
    const response = await this.#fetch(`/requests/export?${query}`, {
      headers: {
        accept: options.format === 'csv' ? 'text/csv' : 'application/json',
      },
    });
    return response.text();
  }

  getGovernanceLint(): Promise<PolicyLintReport> {
    return this.#json('/governance/lint');
  }

  listReviewCampaigns(options?: {
    role?: 'reviewer' | 'all';
  }): Promise<ReviewCampaignList> {
    const query = new URLSearchParams({ role: options?.role ?? 'reviewer' });
    return this.#json(`/reviews?${query}`);
  }

  createReviewCampaign(
    campaign: CreateReviewCampaign,
  ): Promise<ReviewCampaign> {
    return this.#post('/reviews', campaign);
  }

  getReviewCampaign(id: string): Promise<ReviewCampaign> {
    return this.#json(`/reviews/${encodeURIComponent(id)}`);
  }

  listReviewItems(options: {
    campaignId: string;
    reviewer?: 'me' | 'all';
    group?: string;
  }): Promise<ReviewItemPage> {
    const query = new URLSearchParams({ reviewer: options.reviewer ?? 'me' });
    if (options.group) {
      query.set('group', options.group);
    }
    return this.#json(`${reviewPath(options.campaignId)}/items?${query}`);
  }

  decideReviewItem(options: {
    campaignId: string;
    itemId: string;
    decision: ReviewDecision;
    note?: string;
  }): Promise<ReviewItem> {
    const { campaignId, itemId, decision, note } = options;
    return this.#post(
      `${reviewItemPath(campaignId, itemId)}/decision`,
      note ? { decision, note } : { decision },
    );
  }

  keepReviewGroup(options: {
    campaignId: string;
    group: string;
    note?: string;
  }): Promise<ReviewItemList> {
    const { campaignId, group, note } = options;
    return this.#post(
      `${reviewPath(campaignId)}/decisions`,
      note ? { group, decision: 'keep', note } : { group, decision: 'keep' },
    );
  }

  delegateReviewItem(options: {
    campaignId: string;
    itemId: string;
    to: string;
    note?: string;
  }): Promise<ReviewItem> {
    const { campaignId, itemId, to, note } = options;
    return this.#post(
      `${reviewItemPath(campaignId, itemId)}/delegate`,
      note ? { to, note } : { to },
    );
  }

  listOverdueReviewItems(): Promise<OverdueReviewItemList> {
    return this.#json('/reviews/overdue');
  }

  async exportReviewEvidence(options: {
    campaignId: string;
    format: 'csv' | 'json';
  }): Promise<string> {
    const query = new URLSearchParams({ format: options.format });
    const response = await this.#fetch(
      `${reviewPath(options.campaignId)}/evidence?${query}`,
      {
        headers: {
          accept: options.format === 'csv' ? 'text/csv' : 'application/json',
        },
      },
    );
    return response.text();
  }

  async #fetch(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.#discoveryApi.getBaseUrl(PLUGIN_ID);
    const response = await this.#fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }

  async #json<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await this.#fetch(path, init);
    return (await response.json()) as T;
  }

  #post<T>(path: string, body: object): Promise<T> {
    return this.#json(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }
}

function reviewPath(campaignId: string): string {
  return `/reviews/${encodeURIComponent(campaignId)}`;
}

function reviewItemPath(campaignId: string, itemId: string): string {
  return `${reviewPath(campaignId)}/items/${encodeURIComponent(itemId)}`;
}

function reportQuery(
  format: 'csv' | 'json',
  options?: ReportOptions,
): URLSearchParams {
  const query = new URLSearchParams({ format });
  if (options?.group) {
    query.set('group', options.group);
  }
  return query;
}

/** A paging query as the backend reads it (`?limit=…&state=a,b`), or nothing when there is none. */
function pageQuery(query?: AccessPageQuery): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === '') continue;
    params.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
