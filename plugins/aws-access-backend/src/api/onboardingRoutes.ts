import type { AuditorServiceEvent } from '@backstage/backend-plugin-api';
import type {
  ApplyResult,
  AssignmentCallResult,
} from '@aws-access/plugin-aws-access-common';
import {
  awsAccessAllReadPermission,
  awsAccessAssignmentWritePermission,
} from '@aws-access/plugin-aws-access-common';
import type { Request } from 'express';
import { z } from 'zod';
import type { Caller } from '../auth/AccessControl';
import type { ApiContext, AwsAccessRouter } from './ApiContext';
import { accountIdParam, parse } from './parameters';

/** Account onboarding: compliance with the baseline, a reviewed plan, and applying it (every AWS call audited). */
export function onboardingRoutes(router: AwsAccessRouter, api: ApiContext) {
  const { access, onboarding } = api.options;
  const accountIdOf = (req: Request) =>
    parse(accountIdParam, req.params.accountId, 'accountId');
  const requireReview = async (req: Request, what: string) =>
    api.requirePermission(
      await access.caller(req),
      awsAccessAllReadPermission,
      what,
    );

  router.get('/onboarding/accounts', async (req, res) => {
    await requireReview(req, 'review account onboarding');
    res.json(onboarding.overview(await api.currentIndex(), api.now()));
  });

  router.get('/onboarding/accounts/:accountId', async (req, res) => {
    const accountId = accountIdOf(req);
    await requireReview(req, 'review account onboarding');
    res.json(
      onboarding.compliance(await api.currentIndex(), accountId, api.now()),
    );
  });

  router.post('/onboarding/accounts/:accountId/plan', async (req, res) => {
    const accountId = accountIdOf(req);
    const body = parse(
      z
        .object({ removeForbidden: z.boolean().default(false) })
        .default({ removeForbidden: false }),
      req.body ?? {},
      'body',
    );
    await requireReview(req, 'plan account onboarding');
    res.json(onboarding.plan(await api.currentIndex(), accountId, body));
  });

  router.post('/onboarding/accounts/:accountId/apply', async (req, res) => {
    const accountId = accountIdOf(req);
    const body = parse(
      z.object({
        planId: z.string().min(1),
        removeForbidden: z.boolean().default(false),
        confirmRemoval: z.boolean().default(false),
      }),
      req.body ?? {},
      'body',
    );
    // Changes to AWS always need a user with the write permission, never a service token alone.
    const caller = await access.caller(req, { userOnly: true });
    // The request is audited as a whole (refused or not); each AWS call it makes has its own event.
    const event = await api.authorize(req, caller, {
      permission: awsAccessAssignmentWritePermission,
      what: 'create or delete account assignments',
      audit: {
        eventId: 'account-onboarding-apply',
        severityLevel: 'high',
        meta: { accountId, planId: body.planId },
      },
    });
    const result = await api.refusing(event, async () =>
      onboarding.apply({
        index: await api.currentIndex(),
        accountId,
        ...body,
        onResult: callResult => auditCall(api, req, caller, callResult),
      }),
    );
    await concludeApply(event, result);
    res.json(result);
  });
}

/** One CreateAccountAssignment or DeleteAccountAssignment call, as its own audit event. */
async function auditCall(
  api: ApiContext,
  req: Request,
  caller: Caller,
  callResult: AssignmentCallResult,
) {
  const { call } = callResult;
  const event = await api.audit(req, {
    eventId:
      call.operation === 'CreateAccountAssignment'
        ? 'account-assignment-create'
        : 'account-assignment-delete',
    severityLevel: 'high',
    meta: {
      actor: caller.userEntityRef,
      accountId: call.input.TargetId,
      permissionSetArn: call.input.PermissionSetArn,
      principal: `${call.input.PrincipalType}:${call.input.PrincipalId}`,
      outcome: callResult.outcome,
      reason: callResult.reason,
    },
  });
  await (callResult.outcome === 'failed'
    ? event.fail({ error: new Error(callResult.reason ?? 'failed') })
    : event.success());
}

/** The apply succeeded when every call did (or had nothing to do). */
async function concludeApply(event: AuditorServiceEvent, result: ApplyResult) {
  const failed = result.results.filter(r => r.outcome === 'failed').length;
  await (failed > 0
    ? event.fail({
        error: new Error(
          `${failed} of ${result.results.length} assignment calls failed`,
        ),
        meta: { calls: result.results.length },
      })
    : event.success({
        meta: {
          calls: result.results.length,
          snapshotVersion: result.snapshotVersion,
        },
      }));
}
