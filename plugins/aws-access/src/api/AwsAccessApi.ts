import { createApiRef } from '@backstage/core-plugin-api';
import type {
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
  ProvisionResult,
  ReportOptions,
  ReportRow,
  SyncRun,
  SyncStatus,
  SyncTriggerResponse,
  UserAccess,
  UserTimeline,
} from '@aws-access/plugin-aws-access-common';

/**
 * Client of the aws-access backend (`/api/aws-access`), shared by the legacy and the new frontend system.
 * Every method rejects with a `ResponseError` (from `@backstage/errors`) when the backend answers with an error.
 *
 * @public
 */
export interface AwsAccessApi {
  /** `GET /me`: the signed-in user's access. */
  getMyAccess(): Promise<UserAccess>;
  /** `GET /users/:entityRef`: a user's access (yourself always; others need `aws-access.user.read`). */
  getUserAccess(userEntityRef: string): Promise<UserAccess>;
  /** `GET /groups/:entityRef`: a group's assignments and its members' effective access. */
  getGroupAccess(groupEntityRef: string): Promise<GroupAccess>;
  /** `GET /accounts`. */
  getAccounts(): Promise<AccountSummary[]>;
  /** `GET /accounts/:accountId`: who can reach an account, and how. */
  getAccountAccess(accountId: string): Promise<AccountAccess>;
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
}

/** @public */
export const awsAccessApiRef = createApiRef<AwsAccessApi>({
  id: 'plugin.aws-access.service',
});
