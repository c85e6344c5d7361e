import { InputError, NotFoundError } from '@backstage/errors';
import type {
  AccessRequest,
  Grant,
  RequestState,
} from '@aws-access/plugin-aws-access-common';
import {
  awsAccessAllReadPermission,
  requestStates,
} from '@aws-access/plugin-aws-access-common';
import type { Request } from 'express';
import { z } from 'zod';
import type { Governance } from '../governance/Governance';
import { lintPolicies, requestables } from '../governance/governanceViews';
import type { RequestAction } from '../governance/RequestService';
import { requestsToCsv } from '../governance/requestViews';
import type { AccessIndex } from '../snapshot/AccessIndex';
import type { ApiContext, AwsAccessRouter } from './ApiContext';
import { entityRefParam, parse } from './parameters';
import { userAccess } from './views/userAccess';

const ACTIONS: RequestAction[] = [
  'approve',
  'deny',
  'cancel',
  'revoke',
  'retry',
];

const submissionBody = z.object({
  group: entityRefParam('group'),
  justification: z.string().max(2000).optional(),
  duration: z.string().max(32).optional(),
  ticket: z.string().max(255).optional(),
});

const noteBody = z
  .object({ note: z.string().max(2000).optional() })
  .default({});

const statesParam = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (!value) return undefined;
    const states = value.split(',').map(s => s.trim());
    const unknown = states.find(
      s => !requestStates.includes(s as RequestState),
    );
    if (unknown !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(
          unknown,
        )} is not a request state (${requestStates.join(', ')})`,
      });
      return z.NEVER;
    }
    return states as RequestState[];
  });

/** A date (`2026-12-01`) or a timestamp, as the ISO timestamp the store compares. */
const instantParam = z.string().transform((value, ctx) => {
  const ms = /^\d{4}-\d{2}-\d{2}([T ].*)?$/.test(value)
    ? Date.parse(value)
    : NaN;
  if (Number.isNaN(ms)) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be an ISO 8601 date or timestamp (like 2026-12-01)',
    });
    return z.NEVER;
  }
  return new Date(ms).toISOString();
});

/**
 * Access requests (governance.md §5): requestables, submit, the decisions and moves, lists, export and the
 * policy lint. Requests are made by and for signed-in users only; every transition is audited. Without
 * `awsAccess.governance` every route answers 404.
 */
export function requestRoutes(router: AwsAccessRouter, api: ApiContext) {
  const access = governanceAccess(api);
  policyRoutes(router, api, access);
  requestReadRoutes(router, api, access);
  requestWriteRoutes(router, api, access);
}

/** What every governance route needs: the configured governance (404 without it) and the caller's rules. */
function governanceAccess(api: ApiContext) {
  const governance = (): Governance => {
    const configured = api.options.governance;
    if (!configured) {
      throw new NotFoundError(
        'Access requests are off: governance is not configured (awsAccess.governance)',
      );
    }
    return configured;
  };
  const context = async (req: Request) => {
    const { service } = governance();
    const caller = await api.access.caller(req, { userOnly: true });
    const index = await api.currentIndex();
    return { caller, index, rules: await service.rulesFor(caller, index) };
  };

  return { governance, context };
}

type GovernanceAccess = ReturnType<typeof governanceAccess>;

/** What a person may request, and the policy lint for the platform team. */
function policyRoutes(
  router: AwsAccessRouter,
  api: ApiContext,
  { governance, context }: GovernanceAccess,
) {
  router.get('/requestables', async (req, res) => {
    const { service, policies } = governance();
    const { caller, index, rules } = await context(req);
    const q = parse(z.string().max(200).optional(), req.query.q, 'query.q');
    const items = requestables({
      index,
      policies,
      mayRequest: await service.requestFilter(caller, rules),
      person: await api.callerPerson(caller, index),
      openRequests: await service.openRequests(rules),
      q,
    });
    res.json({ items });
  });

  router.get('/governance/lint', async (req, res) => {
    const { policies, directory } = governance();
    await api.requirePermission(
      await api.access.caller(req),
      awsAccessAllReadPermission,
      'read the governance policy lint',
    );
    res.json(await lintPolicies(await api.currentIndex(), policies, directory));
  });
}

/** Requests by role, one request with its history, and the auditors' export. */
function requestReadRoutes(
  router: AwsAccessRouter,
  api: ApiContext,
  { governance, context }: GovernanceAccess,
) {
  router.get('/requests', async (req, res) => {
    const { service } = governance();
    const role = parse(
      z.enum(['mine', 'approver', 'all']).default('mine'),
      req.query.role,
      'query.role',
    );
    const states = parse(statesParam, req.query.state, 'query.state');
    const { rules } = await context(req);
    res.json({ items: await service.list(rules, role, states) });
  });

  router.get('/requests/export', async (req, res) => {
    const { service } = governance();
    const from = parse(instantParam, req.query.from, 'query.from');
    const to = parse(instantParam, req.query.to, 'query.to');
    const format = parse(
      z.enum(['json', 'csv']).default('json'),
      req.query.format,
      'query.format',
    );
    if (from >= to)
      throw new InputError('Invalid query.to: must be after from');
    const { rules } = await context(req);
    const event = await api.audit(req, {
      eventId: 'access-request-export',
      severityLevel: 'medium',
      meta: { from, to, format },
    });
    const items = await api.refusing(event, () =>
      service.export(rules, from, to),
    );
    await event.success({ meta: { requests: items.length } });
    if (format === 'csv') {
      res
        .type('text/csv')
        .set(
          'Content-Disposition',
          'attachment; filename="access-requests.csv"',
        )
        .send(requestsToCsv(items));
    } else {
      res.json({ items });
    }
  });

  router.get('/requests/:id', async (req, res) => {
    const { service } = governance();
    const { rules } = await context(req);
    res.json(
      await service.get(rules, req.params.id, userRef =>
        requesterGrants(api, req, rules.index, userRef),
      ),
    );
  });
}

/** Submitting a request and every transition a person makes, each audited. */
function requestWriteRoutes(
  router: AwsAccessRouter,
  api: ApiContext,
  { governance, context }: GovernanceAccess,
) {
  router.post('/requests', async (req, res) => {
    const { service } = governance();
    const body = parse(submissionBody, req.body, 'body');
    const { caller, index, rules } = await context(req);
    const event = await api.audit(req, {
      eventId: 'access-request-submit',
      severityLevel: 'medium',
      meta: { group: body.group, duration: body.duration },
    });
    const request = await api.refusing(event, async () =>
      service.submit(
        caller,
        rules,
        index,
        await api.callerPerson(caller, index),
        body,
      ),
    );
    await event.success({ meta: { requestId: request.id, to: request.state } });
    res.status(201).json(request);
  });

  for (const action of ACTIONS) {
    router.post(`/requests/:id/${action}`, async (req, res) => {
      const { service } = governance();
      const { note } = parse(noteBody, req.body ?? {}, 'body');
      const { rules } = await context(req);
      const event = await api.audit(req, {
        eventId: `access-request-${action}`,
        severityLevel:
          action === 'approve' || action === 'revoke' ? 'high' : 'medium',
        meta: { requestId: req.params.id },
      });
      const result = await api.refusing(event, () =>
        service.act(rules, req.params.id, action, note),
      );
      await event.success({
        meta: transitionMeta(result.from, result.request),
      });
      res.json(result.request);
    });
  }
}

function transitionMeta(from: RequestState, request: AccessRequest) {
  return { group: request.group.entityRef, from, to: request.state };
}

/**
 * The requester's current grants for someone deciding their request: another person's access, so audited like
 * every read of someone else's access.
 */
async function requesterGrants(
  api: ApiContext,
  req: Request,
  index: AccessIndex,
  userRef: string,
): Promise<Grant[]> {
  const { identities, staleAfterMs } = api.options;
  const person = await identities
    .resolveSubject(index, userRef)
    .catch(() => undefined);
  const event = await api.audit(req, {
    eventId: 'user-access-read',
    severityLevel: 'medium',
    meta: { subject: userRef, purpose: 'access-request-decision' },
  });
  await event.success();
  return person
    ? userAccess(index, person, api.now(), staleAfterMs).grants
    : [];
}
