import { createApiRef } from '@backstage/core-plugin-api';
import type {
  AccessPageQuery,
  AccessRequest,
  AccessRequestExportOptions,
  AccessRequestList,
  AccountAccess,
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
  CreateAccessRequest,
  CreateReviewCampaign,
  OverdueReviewItemList,
  ReviewCampaign,
  ReviewCampaignList,
  ReviewDecision,
  ReviewItem,
  ReviewItemList,
  ReviewItemPage,
  SyncRun,
  SyncStatus,
  SyncTriggerResponse,
  UserAccess,
  UserTimeline,
} from '@aws-access/plugin-aws-access-common';

/**
 * What a person can do with an access request (`POST /requests/:id/<action>`); the request's `actions` says which
 * of them the caller may do now.
 *
 * @public
 */
export type AccessRequestAction =
  | 'approve'
  | 'deny'
  | 'cancel'
  | 'revoke'
  | 'retry';

/**
 * Client of the aws-access backend (`/api/aws-access`), shared by the legacy and the new frontend system.
 * Every method rejects with a `ResponseError` (from `@backstage/errors`) when the backend answers with an error.
 *
 * @public
 */
export interface AwsAccessApi {
  /** `GET /me`: the signed-in user's access, one page of grants (the first without a query). */
  getMyAccess(query?: AccessPageQuery): Promise<UserAccess>;
  /** `GET /users/:entityRef`: a user's access, paged like `/me` (yourself always; others need `aws-access.user.read`). */
  getUserAccess(
    userEntityRef: string,
    query?: AccessPageQuery,
  ): Promise<UserAccess>;
  /** `GET /me/aws-cli-config`: the signed-in user's whole `~/.aws/config` (a profile per grant usable now). */
  getMyAwsCliConfig(): Promise<string>;
  /** `GET /users/:entityRef/aws-cli-config`: a user's `~/.aws/config` (yourself always; others need `aws-access.user.read`). */
  getUserAwsCliConfig(userEntityRef: string): Promise<string>;
  /** `GET /groups/:entityRef`: a group's assignments and one page of its members' effective access, with a summary. */
  getGroupAccess(
    groupEntityRef: string,
    query?: AccessPageQuery,
  ): Promise<GroupAccess>;
  /** `GET /groups/:entityRef/export`: every member's grants (the query's filters apply) as CSV text. */
  exportGroupAccessCsv(
    groupEntityRef: string,
    query?: AccessPageQuery,
  ): Promise<string>;
  /** `GET /accounts`. */
  getAccounts(): Promise<AccountSummary[]>;
  /** `GET /accounts/:accountId`: who can reach an account, and how (one page of people, the first without a query). */
  getAccountAccess(
    accountId: string,
    query?: AccessPageQuery,
  ): Promise<AccountAccess>;
  /** `GET /permission-sets`. */
  getPermissionSets(): Promise<PermissionSet[]>;
  /** `GET /permission-sets/:name`: a permission set and where it is assigned. */
  getPermissionSet(name: string): Promise<PermissionSetDetails>;
  /** `GET /sync/status`. */
  getSyncStatus(): Promise<SyncStatus>;
  /** `POST /sync`: start a sync run now (`aws-access.sync.trigger`); 202 `{ accepted: true }`, the run shows on `/sync/status`. */
  triggerSync(): Promise<SyncTriggerResponse>;
  /** `POST /sync/held/approve`: approve the snapshot the mass-delete brake held back (`aws-access.snapshot.approve`). */
  approveHeldSnapshot(): Promise<SyncRun>;
  /** `GET /drift` (`aws-access.all.read`). */
  getDrift(): Promise<DriftReport>;
  /** `GET /diagnose?user=&account=`: the troubleshooting walk for one user and account. */
  diagnose(options: { user: string; account: string }): Promise<Diagnosis>;
  /** `GET /report?format=json`: the rows the caller may see. */
  getReport(options?: ReportOptions): Promise<ReportRow[]>;
  /** `GET /report?format=csv`: the same rows as CSV text. */
  getReportCsv(options?: ReportOptions): Promise<string>;
  /** `POST /provision`: provision-on-demand for yourself (no user) or someone else (`aws-access.provision.any`). */
  provision(options?: { user?: string }): Promise<ProvisionResult>;
  /** `GET /me/timeline`. */
  getMyTimeline(): Promise<UserTimeline>;
  /** `GET /users/:entityRef/timeline`. */
  getUserTimeline(userEntityRef: string): Promise<UserTimeline>;
  /** `GET /onboarding/accounts`: baseline rules, config problems and every account's compliance (`aws-access.all.read`). */
  getOnboarding(): Promise<OnboardingOverview>;
  /** `GET /onboarding/accounts/:accountId`: one account against the baseline (`aws-access.all.read`). */
  getAccountCompliance(accountId: string): Promise<AccountCompliance>;
  /**
   * `POST /onboarding/accounts/:accountId/plan`: the exact calls that would bring the account to the baseline;
   * deletions of forbidden pairs only with `removeForbidden` (`aws-access.all.read`).
   */
  planAccountBaseline(options: {
    accountId: string;
    removeForbidden?: boolean;
  }): Promise<OnboardingPlan>;
  /**
   * `POST /onboarding/accounts/:accountId/apply`: applies the reviewed plan (`aws-access.assignment.write`, users
   * only). 409 when the plan changed since it was reviewed, 400 when a plan with deletions is not confirmed.
   */
  applyAccountBaseline(options: {
    accountId: string;
    planId: string;
    removeForbidden?: boolean;
    confirmRemoval?: boolean;
  }): Promise<ApplyResult>;
  /**
   * `GET /requestables`: the groups the caller may request, with what each gives. 404 when access requests are not
   * configured on this Backstage (`awsAccess.governance`).
   */
  getRequestables(): Promise<RequestableList>;
  /** `POST /requests`: ask for a group; 400 names the bad field in `error.field`, 409 when one is already open. */
  createRequest(request: CreateAccessRequest): Promise<AccessRequest>;
  /** `GET /requests?role=&state=`: yours (`mine`), those you may decide (`approver`), or all (`all`, the platform team). */
  listRequests(options: {
    role: RequestListRole;
    state?: RequestState;
  }): Promise<AccessRequestList>;
  /** `GET /requests/:id`: one request with its `history`. */
  getRequest(id: string): Promise<AccessRequest>;
  /** `POST /requests/:id/approve|deny|cancel|revoke|retry` with an optional note; answers with the request. */
  actOnRequest(options: {
    id: string;
    action: AccessRequestAction;
    note?: string;
  }): Promise<AccessRequest>;
  /** `GET /requests/export?from=&to=&format=`: the requests created in a period, as the CSV or JSON text. */
  exportRequests(options: AccessRequestExportOptions): Promise<string>;
  /** `GET /governance/lint`: the findings of the access request policy lint (the platform team). */
  getGovernanceLint(): Promise<PolicyLintReport>;
  /**
   * `GET /reviews?role=`: the review campaigns where the caller reviews items (`reviewer`), or all of them (`all`,
   * `aws-access.review.manage`). 404 when reviews are not configured (`awsAccess.governance`).
   */
  listReviewCampaigns(options?: {
    role?: 'reviewer' | 'all';
  }): Promise<ReviewCampaignList>;
  /** `POST /reviews`: starts a campaign (`aws-access.review.manage`); 400 names the bad field in `error.field`. */
  createReviewCampaign(campaign: CreateReviewCampaign): Promise<ReviewCampaign>;
  /** `GET /reviews/:id`: one campaign with its progress per group and, for the platform team, per reviewer. */
  getReviewCampaign(id: string): Promise<ReviewCampaign>;
  /**
   * `GET /reviews/:id/items?reviewer=&group=`: a campaign's items by group, each with what the membership gives in
   * AWS now and how the member got it; the caller's (`me`, default) or all (`all`, the platform team).
   */
  listReviewItems(options: {
    campaignId: string;
    reviewer?: 'me' | 'all';
    group?: string;
  }): Promise<ReviewItemPage>;
  /** `POST /reviews/:id/items/:itemId/decision`: `keep` or `remove` with an optional note; answers with the item. */
  decideReviewItem(options: {
    campaignId: string;
    itemId: string;
    decision: ReviewDecision;
    note?: string;
  }): Promise<ReviewItem>;
  /** `POST /reviews/:id/decisions`: keeps every pending item of a group the caller reviews; answers with them. */
  keepReviewGroup(options: {
    campaignId: string;
    group: string;
    note?: string;
  }): Promise<ReviewItemList>;
  /** `POST /reviews/:id/items/:itemId/delegate`: hands an item to another person (a user entity ref). */
  delegateReviewItem(options: {
    campaignId: string;
    itemId: string;
    to: string;
    note?: string;
  }): Promise<ReviewItem>;
  /** `GET /reviews/overdue`: items nobody decided by their campaign's due date (`aws-access.review.manage`). */
  listOverdueReviewItems(): Promise<OverdueReviewItemList>;
  /** `GET /reviews/:id/evidence?format=`: the campaign's evidence for auditors, as the CSV or JSON text. */
  exportReviewEvidence(options: {
    campaignId: string;
    format: 'csv' | 'json';
  }): Promise<string>;
}

/** @public */
export const awsAccessApiRef = createApiRef<AwsAccessApi>({
  id: 'plugin.aws-access.service',
});
