import { NotFoundError } from '@backstage/errors';
import { reviewDecisions } from '@aws-access/plugin-aws-access-common';
import type { Request } from 'express';
import { z } from 'zod';
import type { Governance } from '../governance/Governance';
import { evidenceToCsv } from '../governance/reviewViews';
import type { ApiContext, AwsAccessRouter } from './ApiContext';
import { entityRefParam, parse } from './parameters';

const note = z.string().max(2000).optional();

const decision = z.string().transform((value, ctx) => {
  if (!(reviewDecisions as readonly string[]).includes(value)) {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(
        value,
      )} is not a decision (${reviewDecisions.join(', ')})`,
    });
    return z.NEVER;
  }
  return value as (typeof reviewDecisions)[number];
});

const campaignBody = z.object({
  name: z.string().min(1).max(200),
  groups: z.array(entityRefParam('group')).max(1000).optional(),
  dueAt: z.string().max(40),
  closingPolicy: z.enum(['keep', 'remove']).optional(),
});

const decisionBody = z.object({ decision, note });

const bulkBody = z.object({
  group: entityRefParam('group'),
  decision: decision.refine(d => d === 'keep', {
    message: 'only keep is decided in bulk; remove one item at a time',
  }),
  note,
});

const delegationBody = z.object({ to: entityRefParam('user'), note });

/**
 * Access reviews (governance.md §3, §5): campaigns for the platform team, items for reviewers (one call per
 * page), decisions, bulk keep, delegation and the evidence export. Every write is audited, each decision on its
 * own. Without `awsAccess.governance` every route answers 404.
 */
export function reviewRoutes(router: AwsAccessRouter, api: ApiContext) {
  const governance = (): Governance => {
    const configured = api.options.governance;
    if (!configured) {
      throw new NotFoundError(
        'Access reviews are off: governance is not configured (awsAccess.governance)',
      );
    }
    return configured;
  };
  const context = async (req: Request) => {
    const { reviews } = governance();
    const caller = await api.access.caller(req, { userOnly: true });
    return { reviews, rules: await reviews.rulesFor(caller) };
  };
  campaignRoutes(router, api, context);
  itemRoutes(router, api, context);
}

type ReviewContext = (req: Request) => Promise<{
  reviews: Governance['reviews'];
  rules: Awaited<ReturnType<Governance['reviews']['rulesFor']>>;
}>;

function campaignRoutes(
  router: AwsAccessRouter,
  api: ApiContext,
  context: ReviewContext,
) {
  router.get('/reviews', async (req, res) => {
    const role = parse(
      z.enum(['reviewer', 'all']).default('reviewer'),
      req.query.role,
      'query.role',
    );
    const { reviews, rules } = await context(req);
    res.json({ items: await reviews.list(rules, role) });
  });

  router.post('/reviews', async (req, res) => {
    const body = parse(campaignBody, req.body, 'body');
    const { reviews, rules } = await context(req);
    const index = await api.currentIndex();
    const event = await api.audit(req, {
      eventId: 'access-review-create',
      severityLevel: 'medium',
      meta: { name: body.name, dueAt: body.dueAt },
    });
    const campaign = await api.refusing(event, () =>
      reviews.create(rules, index, body),
    );
    await event.success({
      meta: { campaignId: campaign.id, items: campaign.progress.total },
    });
    res.status(201).json(campaign);
  });

  router.get('/reviews/overdue', async (req, res) => {
    const { reviews, rules } = await context(req);
    res.json({ items: await reviews.overdue(rules) });
  });

  router.get('/reviews/:id', async (req, res) => {
    const { reviews, rules } = await context(req);
    res.json(await reviews.get(rules, await api.currentIndex(), req.params.id));
  });

  router.get('/reviews/:id/evidence', async (req, res) => {
    const format = parse(
      z.enum(['json', 'csv']).default('json'),
      req.query.format,
      'query.format',
    );
    const { reviews, rules } = await context(req);
    const event = await api.audit(req, {
      eventId: 'access-review-evidence',
      severityLevel: 'medium',
      meta: { campaignId: req.params.id, format },
    });
    const evidence = await api.refusing(event, () =>
      reviews.evidence(rules, req.params.id),
    );
    await event.success({ meta: { rows: evidence.rows.length } });
    if (format === 'csv') {
      res
        .type('text/csv')
        .set(
          'Content-Disposition',
          `attachment; filename="access-review-${evidence.campaign.id}.csv"`,
        )
        .send(evidenceToCsv(evidence.rows));
    } else {
      res.json(evidence);
    }
  });
}

function itemRoutes(
  router: AwsAccessRouter,
  api: ApiContext,
  context: ReviewContext,
) {
  router.get('/reviews/:id/items', async (req, res) => {
    const reviewer = parse(
      z.enum(['me', 'all']).default('me'),
      req.query.reviewer,
      'query.reviewer',
    );
    const group = parse(
      entityRefParam('group').optional(),
      req.query.group,
      'query.group',
    );
    const { reviews, rules } = await context(req);
    const index = await api.currentIndex();
    res.json(
      await reviews.page(rules, index, req.params.id, { reviewer, group }),
    );
  });

  router.post('/reviews/:id/items/:itemId/decision', async (req, res) => {
    const body = parse(decisionBody, req.body, 'body');
    const { reviews, rules } = await context(req);
    const index = await api.currentIndex();
    const { id, itemId } = req.params;
    const event = await api.audit(req, {
      eventId: 'access-review-decision',
      severityLevel: body.decision === 'remove' ? 'high' : 'medium',
      meta: { campaignId: id, itemId, decision: body.decision },
    });
    const { item, from } = await api.refusing(event, () =>
      reviews.decide(rules, index, id, itemId, body),
    );
    await event.success({
      meta: {
        group: item.group.entityRef,
        member: item.member.entityRef,
        from,
        to: item.state,
      },
    });
    res.json(item);
  });

  bulkRoute(router, api, context);
  delegationRoute(router, api, context);
}

/** Bulk keep: each item decided and audited on its own; the answer's views are built once for all of them. */
function bulkRoute(
  router: AwsAccessRouter,
  api: ApiContext,
  context: ReviewContext,
) {
  router.post('/reviews/:id/decisions', async (req, res) => {
    const body = parse(bulkBody, req.body, 'body');
    const { reviews, rules } = await context(req);
    const index = await api.currentIndex();
    const { id } = req.params;
    const candidates = await reviews.bulkCandidates(rules, id, body.group);
    const decided = [];
    for (const candidate of candidates) {
      const event = await api.audit(req, {
        eventId: 'access-review-decision',
        severityLevel: 'medium',
        meta: { campaignId: id, itemId: candidate.id, decision: 'keep' },
      });
      const recorded = await api.refusing(event, () =>
        reviews.record(rules, index, id, candidate.id, body),
      );
      await event.success({
        meta: {
          group: recorded.decided.group.entityRef,
          member: recorded.decided.member.entityRef,
          from: recorded.from,
          to: recorded.decided.state,
          bulk: 'true',
        },
      });
      decided.push(recorded);
    }
    res.json({
      items: decided.length
        ? await reviews.views(
            rules,
            index,
            decided[0].campaign,
            decided.map(d => d.decided),
          )
        : [],
    });
  });
}

function delegationRoute(
  router: AwsAccessRouter,
  api: ApiContext,
  context: ReviewContext,
) {
  router.post('/reviews/:id/items/:itemId/delegate', async (req, res) => {
    const body = parse(delegationBody, req.body, 'body');
    const { reviews, rules } = await context(req);
    const index = await api.currentIndex();
    const { id, itemId } = req.params;
    const event = await api.audit(req, {
      eventId: 'access-review-delegate',
      severityLevel: 'medium',
      meta: { campaignId: id, itemId, to: body.to },
    });
    const item = await api.refusing(event, () =>
      reviews.delegate(rules, index, id, itemId, body.to),
    );
    await event.success({ meta: { group: item.group.entityRef } });
    res.json(item);
  });
}
