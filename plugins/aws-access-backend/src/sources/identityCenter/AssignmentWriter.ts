import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { DescribeAccountCommand } from '@aws-sdk/client-organizations';
import type { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import {
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  ListAccountAssignmentsCommand,
} from '@aws-sdk/client-sso-admin';
import type {
  AssignmentCall,
  AssignmentCallResult,
  OnboardingPlan,
} from '@aws-access/plugin-aws-access-common';
import { ConflictError, InputError } from '@backstage/errors';
import type { RequestBudget } from '../requests/RequestBudget';
import { sleep } from '../requests/RequestBudget';
import type { RequestStats } from '../requests/RequestStats';
import { SourceError } from '../requests/SourceError';
import { callWithRetries, classifyAwsError } from '../requests/retry';

export interface AssignmentWriterOptions {
  ssoAdmin: SSOAdminClient;
  organizations: OrganizationsClient;
  budget: RequestBudget;
  /** AWS allows 10 outstanding asynchronous assignment operations per instance. */
  maxOutstanding: number;
  pollIntervalMs?: number;
  /** How long one operation may stay IN_PROGRESS before we report it failed. */
  operationTimeoutMs?: number;
  /** ConflictException (another operation on the same assignment) is retried this many times. */
  conflictRetries?: number;
}

/** A counting semaphore: at most `size` holders at once. */
class Slots {
  #free: number;
  #waiting: Array<() => void> = [];
  constructor(size: number) {
    this.#free = size;
  }
  async acquire() {
    if (this.#free > 0) {
      this.#free--;
      return;
    }
    await new Promise<void>(resolve => this.#waiting.push(resolve));
  }
  release() {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}

/**
 * Applies account-assignment calls safely: only to an existing ACTIVE account, skipping what is already in
 * place (so re-running is a no-op), at most `maxOutstanding` operations in flight, each polled to SUCCEEDED or
 * FAILED, ConflictException retried, every outcome reported per call — nothing fails silently.
 */
export class AssignmentWriter {
  readonly #options: Required<AssignmentWriterOptions>;

  static create(options: AssignmentWriterOptions) {
    return new AssignmentWriter(options);
  }

  private constructor(options: AssignmentWriterOptions) {
    this.#options = {
      pollIntervalMs: 1000,
      operationTimeoutMs: 5 * 60_000,
      conflictRetries: 5,
      ...options,
    };
  }

  #send<T>(
    operation: string,
    stats: RequestStats,
    signal: AbortSignal | undefined,
    send: () => Promise<T>,
  ) {
    return callWithRetries(
      async () => {
        await this.#options.budget.acquire(signal);
        return send();
      },
      {
        source: 'sso-admin',
        operation,
        stats,
        classify: classifyAwsError,
        signal,
      },
    );
  }

  async apply(options: {
    plan: OnboardingPlan;
    stats: RequestStats;
    signal?: AbortSignal;
    onResult?: (result: AssignmentCallResult) => Promise<void>;
  }): Promise<AssignmentCallResult[]> {
    const { plan, stats, signal } = options;
    const account = await this.#send('DescribeAccount', stats, signal, () =>
      this.#options.organizations.send(
        new DescribeAccountCommand({ AccountId: plan.accountId }),
        { abortSignal: signal },
      ),
    ).catch(error => {
      if (
        error instanceof SourceError &&
        error.errorClass === 'AccountNotFoundException'
      ) {
        throw new InputError(
          `Account ${plan.accountId} does not exist in the organization: nothing was written`,
        );
      }
      throw error;
    });
    const state =
      (account.Account?.State as string | undefined) ?? account.Account?.Status;
    if (state !== 'ACTIVE') {
      throw new ConflictError(
        `Account ${plan.accountId} is ${
          state ?? 'in an unknown state'
        }, not ACTIVE: nothing was written`,
      );
    }

    const calls = [...plan.create, ...plan.delete];
    const existing = await this.#existingAssignments(calls, stats, signal);
    const slots = new Slots(this.#options.maxOutstanding);
    return Promise.all(
      calls.map(async call => {
        const key = `${call.input.PermissionSetArn}|${call.input.PrincipalType}|${call.input.PrincipalId}`;
        const present = existing.has(key);
        let result: AssignmentCallResult;
        if (call.operation === 'CreateAccountAssignment' && present) {
          result = {
            call,
            outcome: 'skipped',
            reason: 'already assigned',
            attempts: 0,
          };
        } else if (call.operation === 'DeleteAccountAssignment' && !present) {
          result = {
            call,
            outcome: 'skipped',
            reason: 'already removed',
            attempts: 0,
          };
        } else {
          await slots.acquire();
          try {
            result = await this.#execute(call, stats, signal);
          } finally {
            slots.release();
          }
        }
        await options.onResult?.(result);
        return result;
      }),
    );
  }

  /** What is assigned now on the touched (account, permission set) pairs: one paged read per pair. */
  async #existingAssignments(
    calls: AssignmentCall[],
    stats: RequestStats,
    signal?: AbortSignal,
  ): Promise<Set<string>> {
    const existing = new Set<string>();
    const pairs = [
      ...new Set(
        calls.map(
          c =>
            `${c.input.TargetId}|${c.input.PermissionSetArn}|${c.input.InstanceArn}`,
        ),
      ),
    ];
    for (const pair of pairs) {
      const [accountId, permissionSetArn, instanceArn] = pair.split('|');
      let nextToken: string | undefined;
      do {
        const token = nextToken;
        const page = await this.#send(
          'ListAccountAssignments',
          stats,
          signal,
          () =>
            this.#options.ssoAdmin.send(
              new ListAccountAssignmentsCommand({
                InstanceArn: instanceArn,
                AccountId: accountId,
                PermissionSetArn: permissionSetArn,
                NextToken: token,
                MaxResults: 100,
              }),
              { abortSignal: signal },
            ),
        );
        for (const a of page.AccountAssignments ?? [])
          existing.add(
            `${permissionSetArn}|${a.PrincipalType}|${a.PrincipalId}`,
          );
        nextToken = page.NextToken || undefined;
      } while (nextToken);
    }
    return existing;
  }

  async #execute(
    call: AssignmentCall,
    stats: RequestStats,
    signal?: AbortSignal,
  ): Promise<AssignmentCallResult> {
    const create = call.operation === 'CreateAccountAssignment';
    let attempts = 0;
    for (;;) {
      attempts++;
      try {
        const started = await this.#send(call.operation, stats, signal, () =>
          this.#options.ssoAdmin.send(
            create
              ? new CreateAccountAssignmentCommand(call.input)
              : new DeleteAccountAssignmentCommand(call.input),
            { abortSignal: signal },
          ),
        );
        const status = create
          ? (started as { AccountAssignmentCreationStatus?: any })
              .AccountAssignmentCreationStatus
          : (started as { AccountAssignmentDeletionStatus?: any })
              .AccountAssignmentDeletionStatus;
        return await this.#poll(call, status, attempts, stats, signal);
      } catch (error) {
        // Another operation on the same assignment is running (AWS is eventually consistent): wait and retry.
        const conflict =
          error instanceof SourceError &&
          error.errorClass === 'ConflictException';
        if (conflict && attempts <= this.#options.conflictRetries) {
          await sleep(this.#options.pollIntervalMs * attempts, signal);
          continue;
        }
        const reason =
          error instanceof SourceError
            ? `${error.errorClass}: ${error.message}`
            : String(error);
        return { call, outcome: 'failed', reason, attempts };
      }
    }
  }

  async #poll(
    call: AssignmentCall,
    initial: any,
    attempts: number,
    stats: RequestStats,
    signal?: AbortSignal,
  ): Promise<AssignmentCallResult> {
    const create = call.operation === 'CreateAccountAssignment';
    let status = initial;
    const requestId: string | undefined = status?.RequestId;
    const deadline = Date.now() + this.#options.operationTimeoutMs;
    while (status?.Status === 'IN_PROGRESS') {
      if (Date.now() > deadline) {
        return {
          call,
          outcome: 'failed',
          reason: `still IN_PROGRESS after ${
            this.#options.operationTimeoutMs / 1000
          }s; check request ${requestId}`,
          attempts,
          requestId,
        };
      }
      await sleep(this.#options.pollIntervalMs, signal);
      const { ssoAdmin } = this.#options;
      status = create
        ? (
            await this.#send(
              'DescribeAccountAssignmentCreationStatus',
              stats,
              signal,
              () =>
                ssoAdmin.send(
                  new DescribeAccountAssignmentCreationStatusCommand({
                    InstanceArn: call.input.InstanceArn,
                    AccountAssignmentCreationRequestId: requestId,
                  }),
                  { abortSignal: signal },
                ),
            )
          ).AccountAssignmentCreationStatus
        : (
            await this.#send(
              'DescribeAccountAssignmentDeletionStatus',
              stats,
              signal,
              () =>
                ssoAdmin.send(
                  new DescribeAccountAssignmentDeletionStatusCommand({
                    InstanceArn: call.input.InstanceArn,
                    AccountAssignmentDeletionRequestId: requestId,
                  }),
                  { abortSignal: signal },
                ),
            )
          ).AccountAssignmentDeletionStatus;
    }
    if (status?.Status === 'SUCCEEDED')
      return { call, outcome: 'succeeded', attempts, requestId };
    return {
      call,
      outcome: 'failed',
      reason: status?.FailureReason ?? `status ${status?.Status ?? 'unknown'}`,
      attempts,
      requestId,
    };
  }
}
