import type { DescribeAccountCommandOutput } from '@aws-sdk/client-organizations';
import { DescribeAccountCommand } from '@aws-sdk/client-organizations';
import type {
  AccountAssignmentOperationStatus,
  ListAccountAssignmentsCommandOutput,
} from '@aws-sdk/client-sso-admin';
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
import type { AssignmentWriter, SourceContext } from '../ports';
import { sleep } from '../requests/RequestBudget';
import { SourceError } from '../requests/SourceError';
import type { AwsRequests } from './AwsRequests';

export interface AssignmentWriterOptions {
  /** Requests with the write credentials, through the Identity Center budget the sync shares. */
  aws: AwsRequests;
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
  /** Runs `fn` holding a slot. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}

/**
 * Applies account-assignment calls safely: only to an existing ACTIVE account, skipping what is already in
 * place (so re-running is a no-op), at most `maxOutstanding` operations in flight, each polled to SUCCEEDED or
 * FAILED, ConflictException retried, every outcome reported per call — nothing fails silently.
 */
export class IdentityCenterAssignmentWriter implements AssignmentWriter {
  readonly #options: Required<AssignmentWriterOptions>;

  static create(options: AssignmentWriterOptions) {
    return new IdentityCenterAssignmentWriter(options);
  }

  private constructor(options: AssignmentWriterOptions) {
    this.#options = {
      pollIntervalMs: 1000,
      operationTimeoutMs: 5 * 60_000,
      conflictRetries: 5,
      ...options,
    };
  }

  async apply(
    options: Parameters<AssignmentWriter['apply']>[0],
  ): Promise<AssignmentCallResult[]> {
    const { plan } = options;
    const ctx: SourceContext = { stats: options.stats, signal: options.signal };
    await this.#requireActiveAccount(ctx, plan);
    const calls = [...plan.create, ...plan.delete];
    const existing = await this.#existingAssignments(calls, ctx);
    const slots = new Slots(this.#options.maxOutstanding);
    return Promise.all(
      calls.map(async call => {
        const present = existing.has(assignmentKey(call));
        const result =
          skipped(call, present) ??
          (await slots.run(() => this.#execute(call, ctx)));
        await options.onResult?.(result);
        return result;
      }),
    );
  }

  /** Writes only to an existing ACTIVE account: anything else refuses the whole plan before any write. */
  async #requireActiveAccount(ctx: SourceContext, plan: OnboardingPlan) {
    const account = await this.#options.aws
      .send<DescribeAccountCommandOutput>(
        'organizations',
        ctx,
        new DescribeAccountCommand({ AccountId: plan.accountId }),
      )
      .catch(error => {
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
  }

  /** What is assigned now on the touched (account, permission set) pairs: one paged read per pair. */
  async #existingAssignments(
    calls: AssignmentCall[],
    ctx: SourceContext,
  ): Promise<Set<string>> {
    const existing = new Set<string>();
    const pairs = new Map(
      calls.map(({ input }) => [
        `${input.TargetId}|${input.PermissionSetArn}|${input.InstanceArn}`,
        input,
      ]),
    );
    for (const input of pairs.values()) {
      const assignments = await this.#options.aws.list(
        'ssoAdmin',
        ctx,
        token =>
          new ListAccountAssignmentsCommand({
            InstanceArn: input.InstanceArn,
            AccountId: input.TargetId,
            PermissionSetArn: input.PermissionSetArn,
            NextToken: token,
            MaxResults: 100,
          }),
        (out: ListAccountAssignmentsCommandOutput) =>
          out.AccountAssignments ?? [],
      );
      for (const a of assignments)
        existing.add(
          `${input.PermissionSetArn}|${a.PrincipalType}|${a.PrincipalId}`,
        );
    }
    return existing;
  }

  async #execute(
    call: AssignmentCall,
    ctx: SourceContext,
  ): Promise<AssignmentCallResult> {
    const create = call.operation === 'CreateAccountAssignment';
    for (let attempts = 1; ; attempts++) {
      try {
        const started = await this.#options.aws.send<any>(
          'ssoAdmin',
          ctx,
          create
            ? new CreateAccountAssignmentCommand(call.input)
            : new DeleteAccountAssignmentCommand(call.input),
        );
        const status: AccountAssignmentOperationStatus | undefined = create
          ? started.AccountAssignmentCreationStatus
          : started.AccountAssignmentDeletionStatus;
        return await this.#poll(call, status, attempts, ctx);
      } catch (error) {
        // Another operation on the same assignment is running (AWS is eventually consistent): wait and retry.
        const conflict =
          error instanceof SourceError &&
          error.errorClass === 'ConflictException';
        if (conflict && attempts <= this.#options.conflictRetries) {
          await sleep(this.#options.pollIntervalMs * attempts, ctx.signal);
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

  /** The operation's status now (assignment operations are asynchronous). */
  async #status(
    call: AssignmentCall,
    requestId: string | undefined,
    ctx: SourceContext,
  ): Promise<AccountAssignmentOperationStatus | undefined> {
    const { InstanceArn } = call.input;
    if (call.operation === 'CreateAccountAssignment') {
      const out = await this.#options.aws.send<any>(
        'ssoAdmin',
        ctx,
        new DescribeAccountAssignmentCreationStatusCommand({
          InstanceArn,
          AccountAssignmentCreationRequestId: requestId,
        }),
      );
      return out.AccountAssignmentCreationStatus;
    }
    const out = await this.#options.aws.send<any>(
      'ssoAdmin',
      ctx,
      new DescribeAccountAssignmentDeletionStatusCommand({
        InstanceArn,
        AccountAssignmentDeletionRequestId: requestId,
      }),
    );
    return out.AccountAssignmentDeletionStatus;
  }

  /** Polls an operation until it leaves IN_PROGRESS, or reports it failed after the operation timeout. */
  async #poll(
    call: AssignmentCall,
    initial: AccountAssignmentOperationStatus | undefined,
    attempts: number,
    ctx: SourceContext,
  ): Promise<AssignmentCallResult> {
    let status = initial;
    const requestId = status?.RequestId;
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
      await sleep(this.#options.pollIntervalMs, ctx.signal);
      status = await this.#status(call, requestId, ctx);
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

function assignmentKey(call: AssignmentCall): string {
  return `${call.input.PermissionSetArn}|${call.input.PrincipalType}|${call.input.PrincipalId}`;
}

/** The result of a call that has nothing to do: creating what is assigned, or deleting what is gone. */
function skipped(
  call: AssignmentCall,
  present: boolean,
): AssignmentCallResult | undefined {
  if (call.operation === 'CreateAccountAssignment' && present)
    return {
      call,
      outcome: 'skipped',
      reason: 'already assigned',
      attempts: 0,
    };
  if (call.operation === 'DeleteAccountAssignment' && !present)
    return { call, outcome: 'skipped', reason: 'already removed', attempts: 0 };
  return undefined;
}
