import type {
  ApplyResult,
  OnboardingPlan,
} from '@aws-access/plugin-aws-access-common';
import type { AwsAccessService } from '@aws-access/plugin-aws-access-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';

/**
 * The action's id in templates.
 *
 * @public
 */
export const APPLY_BASELINE_ACTION_ID = 'aws-access:account:apply-baseline';

/** What the steps below write to: the action context's logger. */
type StepLogger = Pick<LoggerService, 'info' | 'warn' | 'error'>;

const EXAMPLES = [
  {
    description: 'Review, then apply the baseline of a new account',
    example: [
      'steps:',
      '  - id: baseline',
      '    action: aws-access:account:apply-baseline',
      '    input:',
      '      accountId: ${{ parameters.accountId }}',
      '      mode: apply',
    ].join('\n'),
  },
];

/** The plan step's log: the summary line, every call, then every pair the plan could not include. */
function logPlan(logger: StepLogger, plan: OnboardingPlan) {
  logger.info(
    `Baseline plan ${plan.planId} for ${plan.accountName} (${plan.accountId}): ${plan.create.length} to create, ${plan.delete.length} to delete`,
  );
  for (const call of [...plan.create, ...plan.delete]) {
    logger.info(`  ${call.operation} ${call.description}`);
  }
  for (const blocked of plan.blocked) {
    logger.warn(
      `  cannot plan ${blocked.group} → ${blocked.permissionSet}: ${blocked.reason}`,
    );
  }
}

/** The apply step's log: one line per call, failed ones as errors. */
function logResults(logger: StepLogger, result: ApplyResult) {
  for (const call of result.results) {
    const line = `  ${call.call.operation} ${call.call.description}: ${
      call.outcome
    }${call.reason ? ` (${call.reason})` : ''}`;
    if (call.outcome === 'failed') logger.error(line);
    else logger.info(line);
  }
}

function countOutcome(
  result: ApplyResult,
  outcome: ApplyResult['results'][number]['outcome'],
): number {
  return result.results.filter(r => r.outcome === outcome).length;
}

/** Any failed call fails the step, naming the calls that failed. */
function throwIfAnyFailed(result: ApplyResult) {
  const failed = result.results.filter(r => r.outcome === 'failed');
  if (failed.length > 0) {
    throw new Error(
      `${failed.length} of ${
        result.results.length
      } assignment calls failed: ${failed
        .map(f => f.call.description)
        .join(', ')}`,
    );
  }
}

/**
 * `aws-access:account:apply-baseline`: plans the onboarding baseline of an AWS account and, in `apply` mode,
 * applies it as the user who runs the template (who needs `aws-access.assignment.write`). Every call's outcome
 * is logged; any failed call fails the step.
 *
 * @public
 */
export function createApplyBaselineAction(options: {
  awsAccess: AwsAccessService;
}) {
  return createTemplateAction({
    id: APPLY_BASELINE_ACTION_ID,
    description:
      'Brings an AWS account to the onboarding baseline (awsAccess.baseline): plans the exact account assignments, and applies them in apply mode.',
    examples: EXAMPLES,
    schema: {
      input: {
        accountId: z =>
          z
            .string()
            .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
            .describe('The account to onboard'),
        mode: z =>
          z
            .enum(['plan', 'apply'])
            .default('plan')
            .describe('plan: only show the calls; apply: make them'),
        removeForbidden: z =>
          z
            .boolean()
            .default(false)
            .describe('Also remove assignments the baseline forbids'),
        confirmRemoval: z =>
          z
            .boolean()
            .default(false)
            .describe('Required (true) when the plan removes assignments'),
      },
      output: {
        planId: z => z.string(),
        creates: z => z.number(),
        deletes: z => z.number(),
        blocked: z => z.number(),
        succeeded: z => z.number().optional(),
        skipped: z => z.number().optional(),
      },
    },
    async handler(ctx) {
      const { accountId, mode, removeForbidden, confirmRemoval } = ctx.input;
      const credentials = await ctx.getInitiatorCredentials();
      const plan = await options.awsAccess.planAccountBaseline({
        accountId,
        removeForbidden,
        credentials,
      });
      logPlan(ctx.logger, plan);
      ctx.output('planId', plan.planId);
      ctx.output('creates', plan.create.length);
      ctx.output('deletes', plan.delete.length);
      ctx.output('blocked', plan.blocked.length);
      if (mode === 'plan' || ctx.isDryRun) return;

      const result = await options.awsAccess.applyAccountBaseline({
        accountId,
        planId: plan.planId,
        removeForbidden,
        confirmRemoval,
        credentials,
      });
      logResults(ctx.logger, result);
      ctx.output('succeeded', countOutcome(result, 'succeeded'));
      ctx.output('skipped', countOutcome(result, 'skipped'));
      throwIfAnyFailed(result);
    },
  });
}
