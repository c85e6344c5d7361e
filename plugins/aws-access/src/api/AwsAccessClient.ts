import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  AccessRequest,
  AccessRequestExportOptions,
  AccessRequestList,
  AccountAccess,
  CreateAccessRequest,
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

  getMyAccess(): Promise<UserAccess> {
    return this.#json('/me');
  }

  getUserAccess(userEntityRef: string): Promise<UserAccess> {
    return this.#json(`/users/${encodeURIComponent(userEntityRef)}`);
  }

  getGroupAccess(groupEntityRef: string): Promise<GroupAccess> {
    return this.#json(`/groups/${encodeURIComponent(groupEntityRef)}`);
  }

  async getAccounts(): Promise<AccountSummary[]> {
    const body = await this.#json<{ accounts: AccountSummary[] }>('/accounts');
    return body.accounts;
  }

  getAccountAccess(accountId: string): Promise<AccountAccess> {
    return this.#json(`/accounts/${encodeURIComponent(accountId)}`);
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
