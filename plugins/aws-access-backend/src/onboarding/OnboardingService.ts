import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type {
  AccountCompliance,
  ApplyResult,
  AssignmentCallResult,
  OnboardingOverview,
  OnboardingPlan,
} from '@aws-access/plugin-aws-access-common';
import type {
  AccessSources,
  AssignmentWriter,
  AwsSource,
} from '../sources/ports';
import { RequestStats } from '../sources/requests/RequestStats';
import type { AccessIndex } from '../snapshot/AccessIndex';
import type { AccountRecord } from '../snapshot/model';
import type { SyncService } from '../sync/SyncService';
import type { BaselinePolicy } from './BaselinePolicy';

/**
 * Account onboarding: compliance with the baseline, a reviewed plan, and its application with the separate
 * write credentials, followed by a targeted refresh of the account so the result shows at once.
 */
export class OnboardingService {
  readonly #policy: BaselinePolicy;
  readonly #writer?: AssignmentWriter;
  readonly #sync: SyncService;
  readonly #aws: AwsSource;
  readonly #logger: LoggerService;

  static create(options: {
    policy: BaselinePolicy;
    sources: Pick<AccessSources, 'aws' | 'assignmentWriter'>;
    sync: SyncService;
    logger: LoggerService;
  }) {
    return new OnboardingService(options);
  }

  private constructor(options: {
    policy: BaselinePolicy;
    sources: Pick<AccessSources, 'aws' | 'assignmentWriter'>;
    sync: SyncService;
    logger: LoggerService;
  }) {
    this.#policy = options.policy;
    this.#writer = options.sources.assignmentWriter;
    this.#sync = options.sync;
    this.#aws = options.sources.aws;
    this.#logger = options.logger;
  }

  get canApply(): boolean {
    return Boolean(this.#writer);
  }

  #account(index: AccessIndex, accountId: string): AccountRecord {
    const account = index.accountsById.get(accountId);
    if (!account)
      throw new NotFoundError(
        `Account ${accountId} is not in the organization (or not synced yet)`,
      );
    return account;
  }

  overview(index: AccessIndex, now: Date): OnboardingOverview {
    return {
      rules: this.#policy.rules,
      problems: this.#policy.problems(index),
      accounts: index.snapshot.aws.accounts
        .map(account => this.#policy.evaluate(index, account, now))
        .sort(
          (a, b) =>
            Number(a.compliant) - Number(b.compliant) ||
            a.account.name.localeCompare(b.account.name),
        ),
      canApply: this.canApply,
    };
  }

  compliance(
    index: AccessIndex,
    accountId: string,
    now: Date,
  ): AccountCompliance {
    return this.#policy.evaluate(index, this.#account(index, accountId), now);
  }

  plan(
    index: AccessIndex,
    accountId: string,
    options: { removeForbidden: boolean },
  ): OnboardingPlan {
    return this.#policy.plan(index, this.#account(index, accountId), options);
  }

  async apply(options: {
    index: AccessIndex;
    accountId: string;
    planId: string;
    removeForbidden: boolean;
    confirmRemoval: boolean;
    onResult: (result: AssignmentCallResult) => Promise<void>;
    signal?: AbortSignal;
  }): Promise<ApplyResult> {
    if (!this.#writer) {
      throw new NotAllowedError(
        'Account onboarding is not configured: set awsAccess.write (see the plugin README)',
      );
    }
    const plan = this.plan(options.index, options.accountId, {
      removeForbidden: options.removeForbidden,
    });
    if (plan.planId !== options.planId) {
      throw new ConflictError(
        'The plan changed since it was reviewed (a sync brought new data); review the new plan and apply it',
      );
    }
    if (plan.delete.length > 0 && !options.confirmRemoval) {
      throw new InputError(
        `The plan removes ${plan.delete.length} assignment(s); confirm with confirmRemoval: true`,
      );
    }
    const stats = new RequestStats();
    const results = await this.#writer.apply({
      plan,
      stats,
      signal: options.signal,
      onResult: options.onResult,
    });
    this.#logger.info('Applied the onboarding baseline', {
      accountId: plan.accountId,
      planId: plan.planId,
      succeeded: results.filter(r => r.outcome === 'succeeded').length,
      failed: results.filter(r => r.outcome === 'failed').length,
      skipped: results.filter(r => r.outcome === 'skipped').length,
    });
    const snapshotVersion = await this.refreshAccount({
      accountId: plan.accountId,
      signal: options.signal,
    });
    return {
      accountId: plan.accountId,
      planId: plan.planId,
      results,
      snapshotVersion,
    };
  }

  /** Re-reads one account's assignments and commits them as a targeted snapshot. */
  async refreshAccount(options: {
    accountId: string;
    signal?: AbortSignal;
  }): Promise<number | undefined> {
    const { version } = await this.#sync.commitTargeted({
      reason: `account ${options.accountId}`,
      signal: options.signal,
      build: async (current, ctx) => {
        const fresh = await this.#aws.readAccountAssignments(ctx, {
          instanceArn: current.aws.instanceArn,
          accountId: options.accountId,
        });
        return {
          ...current,
          aws: {
            ...current.aws,
            assignments: [
              ...current.aws.assignments.filter(
                a => a.accountId !== options.accountId,
              ),
              ...fresh.assignments,
            ],
            provisionedPairs: [
              ...current.aws.provisionedPairs.filter(
                p => p.accountId !== options.accountId,
              ),
              ...fresh.permissionSetArns.map(permissionSetArn => ({
                accountId: options.accountId,
                permissionSetArn,
              })),
            ],
          },
        };
      },
    });
    return version;
  }
}
