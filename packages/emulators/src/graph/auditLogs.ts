import type { GraphContext, RouteDef } from './context';
import { collection, single } from './context';
import { notFound } from './errors';

/*
 * /auditLogs/directoryAudits (Entra's record of user and membership changes, newest first) and
 * /auditLogs/provisioning (one provisioningObjectSummary per change a SCIM cycle made). Both take $filter with
 * `activityDateTime ge|gt …`, `$top` and paging.
 */

const DIRECTORY_AUDIT_FIELDS = [
  'id',
  'category',
  'correlationId',
  'result',
  'resultReason',
  'activityDisplayName',
  'activityDateTime',
  'loggedByService',
  'operationType',
  'initiatedBy',
  'targetResources',
  'additionalDetails',
];

const PROVISIONING_FIELDS = [
  'id',
  'activityDateTime',
  'tenantId',
  'jobId',
  'cycleId',
  'changeId',
  'provisioningAction',
  'durationInMilliseconds',
  'provisioningStatusInfo',
  'provisioningSteps',
  'modifiedProperties',
  'servicePrincipal',
  'sourceSystem',
  'targetSystem',
  'initiatedBy',
  'sourceIdentity',
  'targetIdentity',
];

const asRecords = (items: readonly object[]) =>
  items as unknown as Record<string, unknown>[];

export const auditLogRoutes: RouteDef[] = [
  {
    method: 'GET',
    pattern: '/v1.0/auditLogs/directoryAudits',
    handler: (ctx: GraphContext) =>
      collection(ctx, () => asRecords(ctx.world.entra.audits.list()), {
        entitySet: 'auditLogs/directoryAudits',
        defaults: { '': DIRECTORY_AUDIT_FIELDS },
        known: { names: DIRECTORY_AUDIT_FIELDS, typeName: 'directoryAudit' },
        directory: false,
      }),
  },
  {
    method: 'GET',
    pattern: '/v1.0/auditLogs/directoryAudits/{id}',
    handler: ctx => {
      const entry = ctx.world.entra.audits
        .list()
        .find(a => a.id === ctx.params.id);
      if (!entry) throw notFound(ctx.params.id);
      return single(
        ctx,
        'auditLogs/directoryAudits',
        entry as unknown as Record<string, unknown>,
      );
    },
  },
  {
    method: 'GET',
    pattern: '/v1.0/auditLogs/provisioning',
    handler: ctx =>
      collection(ctx, () => asRecords(ctx.world.provisioningLog.list()), {
        entitySet: 'auditLogs/provisioning',
        defaults: { '': PROVISIONING_FIELDS },
        known: {
          names: PROVISIONING_FIELDS,
          typeName: 'provisioningObjectSummary',
        },
        directory: false,
      }),
  },
];
