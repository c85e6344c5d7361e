import type { Reply } from '../http';
import type { EntraGroup } from '../state/EntraDirectory';
import type { GraphContext, RouteDef } from './context';
import { badRequest, notFound } from './errors';

/*
 * Membership writes: POST /groups/{id}/members/$ref and DELETE /groups/{id}/members/{memberId}/$ref.
 * Shapes from Microsoft Graph's v1.0 reference (microsoft-graph-docs-contrib, api-reference/v1.0/api/
 * group-post-members.md and group-delete-members.md): 204 without a body; adding an existing member is 400
 * Request_BadRequest "One or more added object references already exist for the following modified properties:
 * 'members'."; an unknown object or a non-member is 404 Request_ResourceNotFound. A write goes through
 * EntraDirectory like a control-API change: delta journal (`members@delta`), directory audit log, and SCIM scope.
 */

/** Application permissions that allow membership writes (least privileged first), per the reference. */
export const MEMBERSHIP_WRITE_ROLES = [
  'GroupMember.ReadWrite.All',
  'Group.ReadWrite.All',
  'Directory.ReadWrite.All',
] as const;

const noContent = (): Reply => ({
  kind: 'response',
  status: 204,
  headers: {},
  body: '',
});

/** The group addressed by object id; Graph resolves no display names. */
function targetGroup(ctx: GraphContext): EntraGroup {
  const found = ctx.world.entra.group(ctx.params.id);
  if (!found || found.id !== ctx.params.id.toLowerCase())
    throw notFound(ctx.params.id);
  return found;
}

/** The JSON object body of a write; Graph's OData reader refuses anything else. */
export function jsonBody(ctx: GraphContext): Record<string, unknown> {
  const text = ctx.request.body.toString('utf8').trim();
  if (!text)
    throw badRequest(
      "An unexpected 'EndOfInput' node was found when reading from the JSON reader. A 'StartObject' node was expected.",
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest(
      'Invalid JSON. A token was not recognized in the JSON content.',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw badRequest(
      "An unexpected 'StartArray' node was found when reading from the JSON reader. A 'StartObject' node was expected.",
    );
  return parsed as Record<string, unknown>;
}

/**
 * The object id in `@odata.id`: `https://graph.microsoft.com/v1.0/directoryObjects/{id}` (or `/users/{id}`,
 * `/groups/{id}`), on Graph's host or this emulator's.
 */
function referencedId(
  ctx: GraphContext,
  body: Record<string, unknown>,
): string {
  const ref = body['@odata.id'];
  if (typeof ref !== 'string' || ref === '')
    throw badRequest(
      "The request body must contain a '@odata.id' property with the URL of the directory object to add.",
    );
  let url: URL;
  try {
    url = new URL(ref);
  } catch {
    throw badRequest(`Invalid URL format specified in @odata.id: '${ref}'.`);
  }
  const hostOk =
    url.host.toLowerCase() === 'graph.microsoft.com' ||
    url.origin === ctx.request.origin;
  const match =
    /^\/(?:v1\.0|beta)\/(?:directoryObjects|users|groups)\/([^/]+)$/i.exec(
      url.pathname,
    );
  if (!hostOk || !match)
    throw badRequest(`Invalid URL format specified in @odata.id: '${ref}'.`);
  return decodeURIComponent(match[1]).toLowerCase();
}

function addMemberRef(ctx: GraphContext): Reply {
  const group = targetGroup(ctx);
  const memberId = referencedId(ctx, jsonBody(ctx));
  const { entra } = ctx.world;
  const member = entra.object(memberId);
  if (!member) throw notFound(memberId);
  if (memberId === group.id)
    throw badRequest('An object cannot be added as a member of itself.');
  const added = entra.addMember(group.id, memberId, {
    timeMs: ctx.world.clock.nowMs(),
    audit: true,
  });
  if (!added)
    throw badRequest(
      "One or more added object references already exist for the following modified properties: 'members'.",
    );
  return noContent();
}

function removeMemberRef(ctx: GraphContext): Reply {
  const group = targetGroup(ctx);
  const memberId = ctx.params.memberId.toLowerCase();
  const removed = ctx.world.entra.removeMember(group.id, memberId, {
    timeMs: ctx.world.clock.nowMs(),
    audit: true,
  });
  if (!removed) throw notFound(ctx.params.memberId);
  return noContent();
}

export const membershipRoutes: RouteDef[] = [
  {
    method: 'POST',
    pattern: '/v1.0/groups/{id}/members/$ref',
    requires: MEMBERSHIP_WRITE_ROLES,
    handler: addMemberRef,
  },
  {
    method: 'DELETE',
    pattern: '/v1.0/groups/{id}/members/{memberId}/$ref',
    requires: MEMBERSHIP_WRITE_ROLES,
    handler: removeMemberRef,
  },
];
