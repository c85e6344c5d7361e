import type {
  AuditorService,
  AuditorServiceEvent,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type { ProvisionResult } from '@aws-access/plugin-aws-access-common';
import {
  awsAccessAllReadPermission,
  awsAccessAssignmentWritePermission,
  awsAccessProvisionAnyPermission,
  awsAccessProvisionSelfPermission,
  awsAccessSnapshotApprovePermission,
  awsAccessSyncTriggerPermission,
  awsAccessUserReadPermission,
} from '@aws-access/plugin-aws-access-common';
import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { AccessControl, Caller } from '../auth/AccessControl';
import type { IdentityResolver } from '../auth/IdentityResolver';
import type { OnboardingService } from '../onboarding/OnboardingService';
import type { ProvisioningService } from '../provisioning/ProvisioningService';
import { TooManyRequestsError } from '../provisioning/ProvisioningService';
import type { SnapshotCache } from '../sync/SnapshotCache';
import { NoSnapshotError } from '../sync/SnapshotCache';
import type { SyncService } from '../sync/SyncService';
import {
  accountAccess,
  accountSummaries,
  catalogProjection,
  driftReport,
  groupAccess,
  permissionSetDetails,
  reportRows,
  toPermissionSet,
  userAccess,
} from './views/accessViews';
import { reportToCsv } from './views/csv';
import { diagnose } from './views/diagnose';
import { userTimeline } from './views/timeline';
import { buildSyncStatus, describeSyncState } from './views/syncStatus';
import type { SnapshotStore } from '../store/SnapshotStore';
import type { AccessIndex, Person } from '../snapshot/AccessIndex';

export const SYNC_TASK_ID = 'aws-access-sync';

export interface RouterOptions {
  logger: LoggerService;
  auditor: AuditorService;
  scheduler: SchedulerService;
  access: AccessControl;
  identities: IdentityResolver;
  cache: SnapshotCache;
  store: SnapshotStore;
  sync: SyncService;
  provisioning: ProvisioningService;
  onboarding: OnboardingService;
  staleAfterMs: number;
  now?: () => Date;
}

const entityRefParam = (kind: 'user' | 'group') =>
  z.string().transform((value, ctx) => {
    try {
      const ref = parseEntityRef(value, {
        defaultKind: kind,
        defaultNamespace: 'default',
      });
      if (ref.kind.toLocaleLowerCase('en-US') !== kind) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a ${kind} entity ref, got kind ${ref.kind}`,
        });
        return z.NEVER;
      }
      return stringifyEntityRef(ref);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: `is not an entity ref (${(error as Error).message})`,
      });
      return z.NEVER;
    }
  });
const accountIdParam = z
  .string()
  .regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
const permissionSetNameParam = z
  .string()
  .regex(
    /^[\w+=,.@-]{1,32}$/,
    'must be a permission set name (1-32 of letters, digits, +=,.@_-)',
  );

/** Parses input with zod; failures are 400 InputError naming the parameter. */
function parse<T>(schema: z.ZodType<T>, value: unknown, name: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where =
      issue.path.length > 0 ? `${name}.${issue.path.join('.')}` : name;
    throw new InputError(`Invalid ${where}: ${issue.message}`);
  }
  return result.data;
}

/**
 * The aws-access REST API. Handlers only parse input, establish who is asking, check permission, call a view
 * over the served snapshot and respond; see openapi.yaml.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    access,
    identities,
    cache,
    store,
    sync,
    provisioning,
    onboarding,
    auditor,
    scheduler,
    staleAfterMs,
  } = options;
  const now = options.now ?? (() => new Date());
  const router = Router();
  router.use(express.json());

  const currentIndex = () => cache.current(() => describeSyncState(store));

  /** Runs a step that may refuse the request (a permission check), failing the audit event if it does. */
  async function auditedStep<T>(
    event: AuditorServiceEvent,
    step: () => Promise<T>,
  ): Promise<T> {
    try {
      return await step();
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  /** The person behind an entity ref the caller asked about; their own always, others with permission. */
  async function personFor(
    caller: Caller,
    index: AccessIndex,
    userRef: string,
    req: Request,
  ): Promise<{ person: Person; self: boolean }> {
    const self = caller.userEntityRef === userRef;
    if (!self) {
      // Denied attempts to read someone else are audited too.
      const event = await auditor.createEvent({
        eventId: 'user-access-read',
        severityLevel: 'medium',
        request: req,
        meta: { subject: userRef },
      });
      await auditedStep(event, () =>
        access.require(
          caller,
          awsAccessUserReadPermission,
          `read ${userRef}'s AWS access`,
        ),
      );
      await event.success();
    }
    return { person: await identities.resolve(index, userRef), self };
  }

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/me', async (req, res) => {
    const caller = await access.caller(req, { userOnly: true });
    const index = await currentIndex();
    const person = await identities.resolve(index, caller.userEntityRef!);
    res.json(userAccess(index, person, now(), staleAfterMs));
  });

  router.get('/users/:entityRef', async (req, res) => {
    const userRef = parse(
      entityRefParam('user'),
      req.params.entityRef,
      'entityRef',
    );
    const caller = await access.caller(req);
    const index = await currentIndex();
    const { person } = await personFor(caller, index, userRef, req);
    res.json(userAccess(index, person, now(), staleAfterMs));
  });

  router.get('/me/timeline', async (req, res) => {
    const caller = await access.caller(req, { userOnly: true });
    const index = await currentIndex();
    res.json(
      userTimeline(
        index,
        await identities.resolve(index, caller.userEntityRef!),
      ),
    );
  });

  router.get('/users/:entityRef/timeline', async (req, res) => {
    const userRef = parse(
      entityRefParam('user'),
      req.params.entityRef,
      'entityRef',
    );
    const caller = await access.caller(req);
    const index = await currentIndex();
    const { person } = await personFor(caller, index, userRef, req);
    res.json(userTimeline(index, person));
  });

  router.post('/provision', async (req, res) => {
    const body = parse(
      z.object({ user: entityRefParam('user').optional() }).default({}),
      req.body ?? {},
      'body',
    );
    const caller = await access.caller(req, { userOnly: true });
    const target = body.user ?? caller.userEntityRef!;
    const self = target === caller.userEntityRef;
    const event = await auditor.createEvent({
      eventId: 'provision-on-demand',
      severityLevel: 'high',
      request: req,
      meta: { subject: target },
    });
    const { index, person } = await auditedStep(event, async () => {
      await access.require(
        caller,
        self
          ? awsAccessProvisionSelfPermission
          : awsAccessProvisionAnyPermission,
        self
          ? 'request provisioning for yourself'
          : `provision or deprovision ${target}`,
      );
      const current = await currentIndex();
      return {
        index: current,
        person: await identities.resolve(current, target),
      };
    });
    const outcome = await provisioning.provision({ index, person });
    await (outcome.outcome === 'failure'
      ? event.fail({
          error: new Error(outcome.message),
          meta: { action: outcome.action },
        })
      : event.success({
          meta: { action: outcome.action, outcome: outcome.outcome },
        }));
    const fresh = await cache.current(() => describeSyncState(store));
    const after = fresh.personByKey(person.key) ?? person;
    const result: ProvisionResult = {
      user: fresh.accessUser(after),
      action: outcome.action,
      outcome: outcome.outcome,
      message: outcome.message,
      access: userAccess(fresh, after, now(), staleAfterMs),
    };
    res.json(result);
  });

  router.get('/groups/:entityRef', async (req, res) => {
    const groupRef = parse(
      entityRefParam('group'),
      req.params.entityRef,
      'entityRef',
    );
    const caller = await access.caller(req);
    const event = await auditor.createEvent({
      eventId: 'group-access-read',
      severityLevel: 'low',
      request: req,
      meta: { subject: groupRef },
    });
    if (!(await access.groupReader(caller))(groupRef)) {
      await event.fail({ error: new NotAllowedError('not a member') });
      throw new NotAllowedError(
        `You may read the AWS access of your own groups only; ${groupRef} is not one of them`,
      );
    }
    const index = await currentIndex();
    const group = index.entraGroupsByRef.get(groupRef);
    if (!group)
      throw new NotFoundError(
        `${groupRef} is not an Entra group the last sync saw`,
      );
    await event.success();
    res.json(groupAccess(index, group, now(), staleAfterMs));
  });

  router.get('/accounts', async (req, res) => {
    await access.caller(req);
    const index = await currentIndex();
    res.json({ accounts: accountSummaries(index) });
  });

  router.get('/accounts/:accountId', async (req, res) => {
    const accountId = parse(accountIdParam, req.params.accountId, 'accountId');
    const caller = await access.caller(req);
    const index = await currentIndex();
    const account = index.accountsById.get(accountId);
    if (!account)
      throw new NotFoundError(
        `Account ${accountId} is not in the organization`,
      );
    const self = caller.userEntityRef
      ? await identities
          .resolve(index, caller.userEntityRef)
          .catch(() => undefined)
      : undefined;
    const visible = await access.personFilter(caller, index, self);
    res.json(accountAccess(index, account, now(), staleAfterMs, visible));
  });

  router.get('/permission-sets', async (req, res) => {
    await access.caller(req);
    const index = await currentIndex();
    res.json({
      permissionSets: index.snapshot.aws.permissionSets
        .map(ps => toPermissionSet(index, ps))
        .sort((a, b) => a.name.localeCompare(b.name)),
    });
  });

  router.get('/permission-sets/:name', async (req, res) => {
    const name = parse(permissionSetNameParam, req.params.name, 'name');
    await access.caller(req);
    const index = await currentIndex();
    const ps = index.permissionSetsByName.get(name);
    if (!ps) throw new NotFoundError(`Permission set ${name} does not exist`);
    res.json(permissionSetDetails(index, ps));
  });

  router.get('/sync/status', async (req, res) => {
    await access.caller(req);
    res.json(await buildSyncStatus({ store, cache, now: now(), staleAfterMs }));
  });

  router.post('/sync', async (req, res) => {
    const caller = await access.caller(req);
    const event = await auditor.createEvent({
      eventId: 'sync-trigger',
      severityLevel: 'medium',
      request: req,
    });
    if (!caller.isService)
      await auditedStep(event, () =>
        access.require(caller, awsAccessSyncTriggerPermission, 'start a sync'),
      );
    try {
      await scheduler.triggerTask(SYNC_TASK_ID);
    } catch (error) {
      await event.fail({ error: error as Error });
      if ((error as Error).name === 'ConflictError')
        throw new ConflictError('A sync is already running');
      throw error;
    }
    await event.success();
    res.status(202).json({
      accepted: true,
      message: 'A sync starts within seconds; follow it on /sync/status',
    });
  });

  router.post('/sync/held/approve', async (req, res) => {
    const caller = await access.caller(req, { userOnly: true });
    const event = await auditor.createEvent({
      eventId: 'snapshot-approve',
      severityLevel: 'high',
      request: req,
    });
    await auditedStep(event, () =>
      access.require(
        caller,
        awsAccessSnapshotApprovePermission,
        'approve a held snapshot',
      ),
    );
    const run = await sync.approveHeld();
    if (!run) {
      await event.fail({ error: new NotFoundError('nothing held') });
      throw new NotFoundError('No snapshot is held back');
    }
    await event.success({ meta: { snapshotVersion: run.snapshotVersion } });
    res.json({ run });
  });

  router.get('/drift', async (req, res) => {
    const caller = await access.caller(req);
    await access.require(
      caller,
      awsAccessAllReadPermission,
      'read drift across the organization',
    );
    const index = await currentIndex();
    res.json(driftReport(index, now(), staleAfterMs));
  });

  router.get('/diagnose', async (req, res) => {
    const query = parse(
      z.object({ user: entityRefParam('user'), account: accountIdParam }),
      req.query,
      'query',
    );
    const caller = await access.caller(req);
    const index = await currentIndex();
    if (caller.userEntityRef !== query.user) {
      const event = await auditor.createEvent({
        eventId: 'user-access-diagnose',
        severityLevel: 'medium',
        request: req,
        meta: { subject: query.user },
      });
      await auditedStep(event, () =>
        access.require(
          caller,
          awsAccessAllReadPermission,
          `diagnose ${query.user}'s access`,
        ),
      );
      await event.success();
    }
    const person = await identities.resolve(index, query.user);
    const account = index.accountsById.get(query.account);
    if (!account)
      throw new NotFoundError(
        `Account ${query.account} is not in the organization`,
      );
    res.json(diagnose(index, person, account, now()));
  });

  router.get('/report', async (req, res) => {
    const query = parse(
      z.object({
        format: z.enum(['csv', 'json']).default('json'),
        group: entityRefParam('group').optional(),
      }),
      req.query,
      'query',
    );
    const caller = await access.caller(req);
    const index = await currentIndex();
    const self = caller.userEntityRef
      ? await identities
          .resolve(index, caller.userEntityRef)
          .catch(() => undefined)
      : undefined;
    let visible = await access.personFilter(caller, index, self);
    if (query.group) {
      const group = index.entraGroupsByRef.get(query.group);
      if (!group)
        throw new NotFoundError(
          `${query.group} is not an Entra group the last sync saw`,
        );
      const members = new Set(index.transitiveUserIds(group));
      const inner = visible;
      visible = person => members.has(person.key) && inner(person);
    }
    const rows = reportRows(index, now(), visible);
    await auditor
      .createEvent({
        eventId: 'access-report',
        severityLevel: 'medium',
        request: req,
        meta: { format: query.format, group: query.group, rows: rows.length },
      })
      .then(e => e.success());
    if (query.format === 'csv') {
      res
        .type('text/csv')
        .set(
          'Content-Disposition',
          `attachment; filename="aws-access-report-v${index.version}.csv"`,
        )
        .send(reportToCsv(rows));
      return;
    }
    res.json({ snapshotVersion: index.version, rows });
  });

  router.get('/onboarding/accounts', async (req, res) => {
    const caller = await access.caller(req);
    await access.require(
      caller,
      awsAccessAllReadPermission,
      'review account onboarding',
    );
    res.json(onboarding.overview(await currentIndex(), now()));
  });

  router.get('/onboarding/accounts/:accountId', async (req, res) => {
    const accountId = parse(accountIdParam, req.params.accountId, 'accountId');
    const caller = await access.caller(req);
    await access.require(
      caller,
      awsAccessAllReadPermission,
      'review account onboarding',
    );
    res.json(onboarding.compliance(await currentIndex(), accountId, now()));
  });

  router.post('/onboarding/accounts/:accountId/plan', async (req, res) => {
    const accountId = parse(accountIdParam, req.params.accountId, 'accountId');
    const body = parse(
      z
        .object({ removeForbidden: z.boolean().default(false) })
        .default({ removeForbidden: false }),
      req.body ?? {},
      'body',
    );
    const caller = await access.caller(req);
    await access.require(
      caller,
      awsAccessAllReadPermission,
      'plan account onboarding',
    );
    res.json(onboarding.plan(await currentIndex(), accountId, body));
  });

  router.post('/onboarding/accounts/:accountId/apply', async (req, res) => {
    const accountId = parse(accountIdParam, req.params.accountId, 'accountId');
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
    // The request is audited as a whole (refused or not); each AWS call it makes has its own event below.
    const applyEvent = await auditor.createEvent({
      eventId: 'account-onboarding-apply',
      severityLevel: 'high',
      request: req,
      meta: { accountId, planId: body.planId },
    });
    await auditedStep(applyEvent, () =>
      access.require(
        caller,
        awsAccessAssignmentWritePermission,
        'create or delete account assignments',
      ),
    );
    const result = await auditedStep(applyEvent, async () =>
      onboarding.apply({
        index: await currentIndex(),
        accountId,
        ...body,
        onResult: async callResult => {
          const event = await auditor.createEvent({
            eventId:
              callResult.call.operation === 'CreateAccountAssignment'
                ? 'account-assignment-create'
                : 'account-assignment-delete',
            severityLevel: 'high',
            request: req,
            meta: {
              actor: caller.userEntityRef,
              accountId,
              permissionSetArn: callResult.call.input.PermissionSetArn,
              principal: `${callResult.call.input.PrincipalType}:${callResult.call.input.PrincipalId}`,
              outcome: callResult.outcome,
              reason: callResult.reason,
            },
          });
          await (callResult.outcome === 'failed'
            ? event.fail({ error: new Error(callResult.reason ?? 'failed') })
            : event.success());
        },
      }),
    );
    const failed = result.results.filter(r => r.outcome === 'failed').length;
    await (failed > 0
      ? applyEvent.fail({
          error: new Error(
            `${failed} of ${result.results.length} assignment calls failed`,
          ),
          meta: { calls: result.results.length },
        })
      : applyEvent.success({
          meta: {
            calls: result.results.length,
            snapshotVersion: result.snapshotVersion,
          },
        }));
    res.json(result);
  });

  router.get('/catalog/projection', async (req, res) => {
    const caller = await access.caller(req);
    if (!caller.isService)
      await access.require(
        caller,
        awsAccessAllReadPermission,
        'read the catalog projection',
      );
    const index = await currentIndex();
    res.json(catalogProjection(index));
  });

  // Before the first snapshot: 503 with Retry-After, so clients and the catalog module back off.
  router.use(
    (error: unknown, req: Request, res: Response, next: NextFunction) => {
      // A body that is not JSON (or, parsed strictly, not an object or array) fails before any handler: as an
      // InputError naming the body, like every other bad input.
      if (
        (error as { type?: string } | undefined)?.type === 'entity.parse.failed'
      ) {
        next(new InputError(`Invalid body: ${(error as Error).message}`));
        return;
      }
      if (error instanceof NoSnapshotError) res.set('Retry-After', '30');
      if (error instanceof TooManyRequestsError) {
        // The Backstage error handler has no 429: answer it here, in the same shape.
        res
          .status(429)
          .set('Retry-After', String(error.retryAfterSeconds))
          .json({
            error: { name: error.name, message: error.message },
            request: { method: req.method, url: req.originalUrl },
            response: { statusCode: 429 },
          });
        return;
      }
      next(error);
    },
  );

  return router;
}
