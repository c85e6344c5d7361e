import { randomUUID } from 'node:crypto';
import { jsonReply } from '../http';
import type { PimExpiration, PimSchedule } from '../state/PimForGroups';
import { durationMs, PimConflict } from '../state/PimForGroups';
import type { GraphContext, RouteDef } from './context';
import { collection } from './context';
import { badRequest, GraphError } from './errors';
import { jsonBody } from './membership';

/*
 * PIM for Groups (member assignments): POST /identityGovernance/privilegedAccess/group/assignmentScheduleRequests
 * and the assignmentSchedules / assignmentScheduleInstances lists. Shapes from Microsoft Graph's v1.0 reference
 * (microsoft-graph-docs-contrib, api-reference/v1.0/api/privilegedaccessgroup-post-assignmentschedulerequests.md,
 * -list-assignmentschedules.md, -list-assignmentscheduleinstances.md): 201 with the request (`status`
 * `Provisioned`, `targetScheduleId` `{groupId}_member_{id}`); `adminRemove` succeeds with `status` `Revoked` (as
 * Graph's adminRemove examples answer: the assignment is revoked, not the request); lists need `$filter` on groupId or principalId. Error
 * codes as PIM reports them (`RoleAssignmentExists: The Role assignment already exists.`, seen against the real
 * API in hashicorp/terraform-provider-azuread#1306; `InvalidRoleAssignmentRequest: The role assignment request is
 * invalid.`, #1464).
 */

const BASE = '/v1.0/identityGovernance/privilegedAccess/group';

/** Application permissions PIM for Groups accepts (least privileged first). */
const WRITE_ROLES = [
  'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup',
  'PrivilegedAccess.ReadWrite.AzureADGroup',
] as const;
const READ_ROLES = [
  'PrivilegedAssignmentSchedule.Read.AzureADGroup',
  ...WRITE_ROLES,
  'PrivilegedAccess.Read.AzureADGroup',
] as const;

const invalidRequest = () =>
  new GraphError(
    400,
    'InvalidRoleAssignmentRequest',
    'The role assignment request is invalid.',
  );

const iso = (ms: number) => new Date(ms).toISOString();

function text(
  body: Record<string, unknown>,
  key: string,
  required: boolean,
): string | null {
  const value = body[key];
  if (value === undefined || value === null) {
    if (required) throw invalidRequest();
    return null;
  }
  if (typeof value !== 'string' || (required && value === ''))
    throw badRequest(
      `Cannot convert the literal '${JSON.stringify(
        value,
      )}' to the expected type 'Edm.String'.`,
    );
  return value;
}

const noExpiration = (): PimExpiration => ({
  type: 'noExpiration',
  duration: null,
  endDateTime: null,
});

/** `scheduleInfo`: when the assignment starts (default now) and how it ends. */
function schedule(
  body: Record<string, unknown>,
  nowMs: number,
): { startMs: number; expiration: PimExpiration } {
  const info = body.scheduleInfo;
  if (info === undefined || info === null)
    return { startMs: nowMs, expiration: noExpiration() };
  if (typeof info !== 'object' || Array.isArray(info)) throw invalidRequest();
  const { startDateTime, expiration } = info as Record<string, unknown>;
  let startMs = nowMs;
  if (startDateTime !== undefined && startDateTime !== null) {
    startMs =
      typeof startDateTime === 'string' ? Date.parse(startDateTime) : NaN;
    if (Number.isNaN(startMs)) throw invalidRequest();
  }
  if (expiration === undefined || expiration === null)
    return { startMs, expiration: noExpiration() };
  if (typeof expiration !== 'object' || Array.isArray(expiration))
    throw invalidRequest();
  const { type, duration, endDateTime } = expiration as Record<string, unknown>;
  if (type === 'noExpiration') return { startMs, expiration: noExpiration() };
  if (type === 'afterDuration') {
    if (typeof duration !== 'string' || durationMs(duration) === undefined)
      throw invalidRequest();
    return {
      startMs,
      expiration: { type, duration, endDateTime: null },
    };
  }
  if (type === 'afterDateTime') {
    if (
      typeof endDateTime !== 'string' ||
      Number.isNaN(Date.parse(endDateTime)) ||
      Date.parse(endDateTime) <= startMs
    )
      throw invalidRequest();
    return {
      startMs,
      expiration: {
        type,
        duration: null,
        endDateTime: iso(Date.parse(endDateTime)),
      },
    };
  }
  throw invalidRequest();
}

function createRequest(ctx: GraphContext) {
  const body = jsonBody(ctx);
  const accessId = text(body, 'accessId', true);
  const action = text(body, 'action', true);
  const principalId = text(body, 'principalId', true)!.toLowerCase();
  const groupId = text(body, 'groupId', true)!.toLowerCase();
  if (accessId !== 'member' && accessId !== 'owner') throw invalidRequest();
  if (
    accessId === 'owner' ||
    (action !== 'adminAssign' && action !== 'adminRemove')
  )
    // Ownership assignments and self-service actions are not emulated; say so rather than pretend.
    throw new GraphError(
      400,
      'InvalidRoleAssignmentRequest',
      `The emulator implements PIM for Groups member assignments with adminAssign and adminRemove only (got accessId '${accessId}', action '${action}').`,
    );
  const { world } = ctx;
  const group = world.entra.groups.get(groupId);
  const principal = world.entra.object(principalId);
  if (!group || !principal || principal.type !== 'user')
    throw new GraphError(
      404,
      'ResourceNotFound',
      `The resource '${!group ? groupId : principalId}' is not found.`,
    );
  const nowMs = world.clock.nowMs();
  const id = randomUUID();
  const ticket = (body.ticketInfo ?? {}) as Record<string, unknown>;
  const input = {
    id,
    groupId,
    principalId,
    justification: text(body, 'justification', false),
    customData: text(body, 'customData', false),
    ticketInfo: {
      ticketNumber: text(ticket, 'ticketNumber', false),
      ticketSystem: text(ticket, 'ticketSystem', false),
    },
    ...schedule(body, nowMs),
    createdMs: nowMs,
    appId: ctx.appId,
  };
  try {
    const stored =
      action === 'adminAssign'
        ? world.pim.assign(input, nowMs)
        : world.pim.remove(input, nowMs);
    return jsonReply(201, {
      '@odata.context': `${ctx.request.origin}/v1.0/$metadata#identityGovernance/privilegedAccess/group/assignmentScheduleRequests/$entity`,
      id: stored.id,
      status: stored.status,
      completedDateTime: iso(nowMs),
      createdDateTime: iso(stored.createdMs),
      approvalId: null,
      customData: stored.customData,
      createdBy: {
        application: { id: stored.appId, displayName: null },
        device: null,
        user: null,
      },
      action: stored.action,
      isValidationOnly: false,
      justification: stored.justification,
      scheduleInfo: {
        startDateTime: iso(stored.startMs),
        recurrence: null,
        expiration: stored.expiration,
      },
      ticketInfo: stored.ticketInfo,
      accessId: 'member',
      principalId: stored.principalId,
      groupId: stored.groupId,
      targetScheduleId: stored.targetScheduleId,
    });
  } catch (error) {
    if (error instanceof PimConflict)
      throw new GraphError(400, error.code, error.message);
    throw error;
  }
}

/** The lists answer only a `$filter` that scopes them to a group or a principal. */
function requireScope(ctx: GraphContext) {
  if (!/\b(groupId|principalId)\s+eq\s/i.test(ctx.query.filterText ?? ''))
    throw badRequest(
      "The $filter query parameter with 'groupId eq' or 'principalId eq' is required.",
      'BadRequest',
    );
}

function scheduleResource(s: PimSchedule) {
  return {
    id: s.id,
    createdDateTime: iso(s.createdMs),
    modifiedDateTime: null,
    createdUsing: s.createdUsing || null,
    status: 'Provisioned',
    scheduleInfo: {
      startDateTime: iso(s.startMs),
      recurrence: null,
      expiration: s.expiration,
    },
    accessId: 'member',
    principalId: s.principalId,
    groupId: s.groupId,
    memberType: 'direct',
    assignmentType: 'assigned',
  };
}

function instanceResource(s: PimSchedule) {
  return {
    id: s.id.replace('_member_', '_member_instance_'),
    startDateTime: iso(s.startMs),
    endDateTime: s.endMs === undefined ? null : iso(s.endMs),
    accessId: 'member',
    principalId: s.principalId,
    groupId: s.groupId,
    memberType: 'direct',
    assignmentType: 'assigned',
    assignmentScheduleId: s.id,
  };
}

const SCHEDULE_PROPERTIES = Object.keys(
  scheduleResource({
    id: '',
    groupId: '',
    principalId: '',
    startMs: 0,
    expiration: noExpiration(),
    createdMs: 0,
    createdUsing: '',
    active: true,
  }),
);

export const pimRoutes: RouteDef[] = [
  {
    method: 'POST',
    pattern: `${BASE}/assignmentScheduleRequests`,
    requires: WRITE_ROLES,
    handler: createRequest,
  },
  {
    method: 'GET',
    pattern: `${BASE}/assignmentSchedules`,
    requires: READ_ROLES,
    handler: ctx => {
      requireScope(ctx);
      return collection(
        ctx,
        () => ctx.world.pim.schedules().map(scheduleResource),
        {
          entitySet:
            'identityGovernance/privilegedAccess/group/assignmentSchedules',
          defaults: { '': SCHEDULE_PROPERTIES },
          directory: false,
        },
      );
    },
  },
  {
    method: 'GET',
    pattern: `${BASE}/assignmentScheduleInstances`,
    requires: READ_ROLES,
    handler: ctx => {
      requireScope(ctx);
      // Instances are the assignments in force now; a future one has none yet.
      return collection(
        ctx,
        () =>
          ctx.world.pim
            .schedules()
            .filter(s => s.active)
            .map(instanceResource),
        {
          entitySet:
            'identityGovernance/privilegedAccess/group/assignmentScheduleInstances',
          defaults: {
            '': [
              'startDateTime',
              'endDateTime',
              'accessId',
              'principalId',
              'groupId',
              'memberType',
              'assignmentType',
              'assignmentScheduleId',
            ],
          },
          directory: false,
        },
      );
    },
  },
];
