import type { Reply } from '../http';
import { jsonReply } from '../http';
import type { OnDemandSubject } from '../scim/ScimBridge';
import type { GraphContext, RouteDef } from './context';
import { single } from './context';
import { badRequest, notFound } from './errors';
import { requireServicePrincipal } from './servicePrincipals';

/*
 * The provisioning job (`/servicePrincipals/{id}/synchronization/jobs`): status, schedule, quarantine and last
 * executions; `provisionOnDemand` for one user or group; `start`/`pause`/`restart`.
 */

function requireJob(ctx: GraphContext) {
  requireServicePrincipal(ctx);
  if (ctx.params.jobId !== ctx.world.job.id) throw notFound(ctx.params.jobId);
  return ctx.world.job;
}

function noContent(): Reply {
  return { kind: 'response', status: 204, headers: {}, body: '' };
}

/** The id of the AWS connector's one synchronization rule (users and groups to customappsso). */
export const AWS_SYNCHRONIZATION_RULE_ID =
  '03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8';

/** Validates `{ parameters: [{ ruleId, subjects: [{ objectId, objectTypeName, links? }] }] }`. */
function onDemandSubject(body: unknown): OnDemandSubject {
  const parameters = (body as { parameters?: unknown })?.parameters;
  if (!Array.isArray(parameters) || parameters.length !== 1) {
    throw badRequest(
      "The request must contain exactly one entry in 'parameters'.",
      'InvalidProvisionOnDemandRequest',
    );
  }
  const { ruleId, subjects } = parameters[0] as {
    ruleId?: unknown;
    subjects?: unknown;
  };
  if (typeof ruleId !== 'string' || ruleId === '')
    throw badRequest(
      "'ruleId' is required.",
      'InvalidProvisionOnDemandRequest',
    );
  // Like Entra, only the rule of the job's schema is accepted (clients read it from .../schema).
  if (ruleId !== AWS_SYNCHRONIZATION_RULE_ID)
    throw badRequest(
      `The rule '${ruleId}' is not part of the synchronization schema of this job.`,
      'InvalidProvisionOnDemandRequest',
    );
  if (!Array.isArray(subjects) || subjects.length !== 1) {
    throw badRequest(
      'Exactly one subject must be provisioned on demand at a time.',
      'InvalidProvisionOnDemandRequest',
    );
  }
  const subject = subjects[0] as {
    objectId?: unknown;
    objectTypeName?: unknown;
    links?: { members?: { objectId?: string }[] };
  };
  if (
    typeof subject.objectId !== 'string' ||
    (subject.objectTypeName !== 'User' && subject.objectTypeName !== 'Group')
  ) {
    throw badRequest(
      "Each subject needs 'objectId' and 'objectTypeName' ('User' or 'Group').",
      'InvalidProvisionOnDemandRequest',
    );
  }
  const members = subject.links?.members ?? [];
  if (members.length > 5)
    throw badRequest(
      'At most 5 group members can be provisioned on demand.',
      'InvalidProvisionOnDemandRequest',
    );
  return {
    objectId: subject.objectId.toLowerCase(),
    objectTypeName: subject.objectTypeName,
    ...(subject.objectTypeName === 'Group' && {
      memberIds: members.map(m => String(m.objectId).toLowerCase()),
    }),
  };
}

export const synchronizationRoutes: RouteDef[] = [
  {
    method: 'GET',
    pattern: '/v1.0/servicePrincipals/{id}/synchronization/jobs/{jobId}/schema',
    handler: ctx => {
      const job = requireJob(ctx);
      return jsonReply(200, {
        '@odata.context': `${ctx.request.origin}/v1.0/$metadata#servicePrincipals('${ctx.params.id}')/synchronization/jobs('${job.id}')/schema/$entity`,
        id: job.id,
        version: 'Date:2024-01-01T00:00:00Z~Version:1',
        synchronizationRules: [
          {
            id: AWS_SYNCHRONIZATION_RULE_ID,
            name: 'USER_GROUP_OUTBOUND',
            editable: true,
            sourceDirectoryName: 'Azure Active Directory',
            targetDirectoryName: 'customappsso',
            objectMappings: [
              {
                enabled: true,
                name: 'Provision Microsoft Entra ID Users',
                sourceObjectName: 'User',
                targetObjectName:
                  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
              },
              {
                enabled: true,
                name: 'Provision Microsoft Entra ID Groups',
                sourceObjectName: 'Group',
                targetObjectName: 'urn:ietf:params:scim:schemas:core:2.0:Group',
              },
            ],
          },
        ],
        directories: [],
      });
    },
  },
  {
    method: 'GET',
    pattern: '/v1.0/servicePrincipals/{id}/synchronization/jobs',
    handler: ctx => {
      requireServicePrincipal(ctx);
      return jsonReply(200, {
        '@odata.context': `${ctx.request.origin}/v1.0/$metadata#servicePrincipals('${ctx.params.id}')/synchronization/jobs`,
        value: [ctx.world.job.toGraph()],
      });
    },
  },
  {
    method: 'GET',
    pattern: '/v1.0/servicePrincipals/{id}/synchronization/jobs/{jobId}',
    handler: ctx =>
      single(
        ctx,
        `servicePrincipals('${ctx.params.id}')/synchronization/jobs`,
        requireJob(ctx).toGraph(),
      ),
  },
  {
    method: 'POST',
    pattern:
      '/v1.0/servicePrincipals/{id}/synchronization/jobs/{jobId}/provisionOnDemand',
    handler: ctx => {
      requireJob(ctx);
      let body: unknown;
      try {
        body = JSON.parse(ctx.request.body.toString('utf8') || '{}');
      } catch {
        throw badRequest('The request body is not valid JSON.');
      }
      const subject = onDemandSubject(body);
      const entra = ctx.world.entra;
      const exists =
        subject.objectTypeName === 'User'
          ? entra.users.get(subject.objectId)
          : entra.groups.get(subject.objectId);
      if (!exists) throw notFound(subject.objectId);
      const result = ctx.runtime.scim.provisionOnDemand(subject);
      const succeeded = result.status === 'Succeeded';
      const outcome = {
        Succeeded: 'Success',
        Skipped: 'Skipped',
        Quarantined: 'Failure',
      }[result.status];
      const details = [
        {
          provisioningSteps: [
            {
              name: 'EntryImport',
              type: 'Import',
              status: 'Success',
              description: `Retrieved ${
                result.source?.displayName ?? subject.objectId
              } from Microsoft Entra ID`,
            },
            {
              name: 'EntrySynchronizationScoping',
              type: 'Scoping',
              status: result.status === 'Skipped' ? 'Skipped' : 'Success',
              description: result.reason ?? 'The object is in scope',
            },
            {
              name: 'EntryExport',
              type: 'Export',
              status: outcome,
              description: succeeded
                ? `${result.changes.length} change(s) exported to AWS IAM Identity Center`
                : result.reason ?? '',
            },
          ],
          statusInfo: {
            '@odata.type': succeeded ? 'StatusSuccess' : 'StatusInfo',
            status: outcome,
          },
          sourceIdentity: {
            id: subject.objectId,
            type: subject.objectTypeName,
            name: result.source?.displayName,
          },
          changes: result.changes,
          cycleId: result.cycleId,
        },
      ];
      return jsonReply(200, {
        '@odata.context': `${ctx.request.origin}/v1.0/$metadata#microsoft.graph.stringKeyStringValuePair`,
        '@odata.type': '#microsoft.graph.stringKeyStringValuePair',
        key: 'Microsoft.Identity.Health.CPP.Common.DataContracts.SyncFabric.StatusInfo',
        value: JSON.stringify(details),
      });
    },
  },
  {
    method: 'POST',
    pattern: '/v1.0/servicePrincipals/{id}/synchronization/jobs/{jobId}/start',
    handler: ctx => {
      // Start resumes a paused job and clears a quarantine.
      requireJob(ctx).configure({
        status: 'Active',
        nowMs: ctx.world.clock.nowMs(),
      });
      return noContent();
    },
  },
  {
    method: 'POST',
    pattern: '/v1.0/servicePrincipals/{id}/synchronization/jobs/{jobId}/pause',
    handler: ctx => {
      requireJob(ctx).configure({
        status: 'Paused',
        nowMs: ctx.world.clock.nowMs(),
      });
      return noContent();
    },
  },
  {
    method: 'POST',
    pattern:
      '/v1.0/servicePrincipals/{id}/synchronization/jobs/{jobId}/restart',
    handler: ctx => {
      const job = requireJob(ctx);
      job.configure({ status: 'Active', nowMs: ctx.world.clock.nowMs() });
      job.nextCycleMs = ctx.world.clock.nowMs();
      return noContent();
    },
  },
];
