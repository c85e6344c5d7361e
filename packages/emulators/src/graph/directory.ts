import { jsonReply } from '../http';
import type { EntraGroup, EntraUser } from '../state/EntraDirectory';
import type { GraphContext, GraphHandler, RouteDef } from './context';
import { collection, single } from './context';
import { badRequest, GraphError, notFound } from './errors';
import { checkSelect, project } from './odata';
import { appRoleAssignments } from './servicePrincipals';
import {
  directoryObject,
  GROUP_DEFAULT,
  GROUP_PROPERTIES,
  groupResource,
  USER_DEFAULT,
  USER_PROPERTIES,
  userResource,
} from './resources';

/*
 * Users, groups and their relationships: /users, /groups, members, transitiveMembers, memberOf,
 * transitiveMemberOf, owners, manager, /organization. Deleted users are gone from all of them.
 */

const MIXED_DEFAULTS = {
  '#microsoft.graph.user': USER_DEFAULT,
  '#microsoft.graph.group': GROUP_DEFAULT,
};
const MIXED_KNOWN = {
  names: [...new Set([...USER_PROPERTIES, ...GROUP_PROPERTIES])],
  typeName: 'directoryObject',
};

function user(ctx: GraphContext): EntraUser {
  const found = ctx.world.entra.user(ctx.params.id);
  if (!found || found.deletedMs !== undefined) throw notFound(ctx.params.id);
  return found;
}

function group(ctx: GraphContext): EntraGroup {
  const found = ctx.world.entra.group(ctx.params.id);
  // Display names are not keys in Graph; only object ids address groups.
  if (!found || found.id !== ctx.params.id.toLowerCase())
    throw notFound(ctx.params.id);
  return found;
}

function withManager(
  ctx: GraphContext,
  resource: Record<string, unknown>,
  source: EntraUser,
): Record<string, unknown> {
  const expand = ctx.query.expand;
  if (!expand) return resource;
  if (!/^manager(\(.*\))?$/i.test(expand.trim())) {
    throw badRequest(
      `Could not find a property named '${
        expand.split('(')[0]
      }' on type 'microsoft.graph.user'.`,
    );
  }
  const manager = source.managerId
    ? ctx.world.entra.user(source.managerId)
    : undefined;
  return {
    ...resource,
    manager: manager
      ? {
          '@odata.type': '#microsoft.graph.user',
          ...project(userResource(manager), undefined, USER_DEFAULT),
        }
      : null,
  };
}

function objects(
  ctx: GraphContext,
  ids: Iterable<string>,
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const id of ids) {
    const object = directoryObject(ctx.world, id);
    if (object) out.push(object);
  }
  return out;
}

const photoNotFound: GraphHandler = () => {
  throw new GraphError(
    404,
    'ImageNotFound',
    "Exception of type 'Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException' was thrown.",
  );
};

function mixed(
  entitySet: string,
  ids: (ctx: GraphContext) => Iterable<string>,
  cacheKey?: string,
): GraphHandler {
  return ctx =>
    collection(ctx, () => objects(ctx, ids(ctx)), {
      entitySet,
      defaults: MIXED_DEFAULTS,
      known: MIXED_KNOWN,
      directory: true,
      ...(cacheKey && { cacheKey }),
    });
}

const organization = (ctx: GraphContext) => ({
  id: ctx.world.tenantId,
  displayName: ctx.world.organizationName,
  tenantType: 'AAD',
  createdDateTime: '2019-01-01T00:00:00Z',
  countryLetterCode: 'US',
  verifiedDomains: [
    {
      capabilities: 'Email, OfficeCommunicationsOnline',
      isDefault: true,
      isInitial: false,
      name: ctx.world.domain,
      type: 'Managed',
    },
  ],
});

export const directoryRoutes: RouteDef[] = [
  {
    method: 'GET',
    pattern: '/v1.0/organization',
    handler: ctx =>
      jsonReply(200, {
        '@odata.context': `${ctx.request.origin}/v1.0/$metadata#organization`,
        value: [organization(ctx)],
      }),
  },
  {
    method: 'GET',
    pattern: '/v1.0/organization/{id}',
    handler: ctx => {
      if (ctx.params.id.toLowerCase() !== ctx.world.tenantId)
        throw notFound(ctx.params.id);
      return single(ctx, 'organization', organization(ctx));
    },
  },

  {
    method: 'GET',
    pattern: '/v1.0/users',
    handler: ctx => {
      const users = () =>
        ctx.world.entra
          .liveUsers()
          .map(u => withManager(ctx, userResource(u), u));
      return collection(ctx, users, {
        entitySet: 'users',
        defaults: {
          '': ctx.query.expand ? [...USER_DEFAULT, 'manager'] : USER_DEFAULT,
        },
        known: { names: USER_PROPERTIES, typeName: 'user' },
        directory: true,
        orderbyBasic: ['displayname', 'userprincipalname'],
        ...(!ctx.query.expand && { cacheKey: 'users' }),
      });
    },
  },
  {
    method: 'GET',
    pattern: '/v1.0/users/{id}',
    handler: ctx => {
      checkSelect(ctx.query.select, USER_PROPERTIES, 'user');
      const found = user(ctx);
      const defaults = ctx.query.expand
        ? [...USER_DEFAULT, 'manager']
        : USER_DEFAULT;
      return single(
        ctx,
        'users',
        project(
          withManager(ctx, userResource(found), found),
          ctx.query.select,
          defaults,
        ),
      );
    },
  },
  {
    method: 'GET',
    pattern: '/v1.0/users/{id}/manager',
    handler: ctx => {
      const source = user(ctx);
      const manager = source.managerId
        ? ctx.world.entra.user(source.managerId)
        : undefined;
      if (!manager || manager.deletedMs !== undefined)
        throw notFound('manager');
      return single(ctx, 'directoryObjects', {
        '@odata.type': '#microsoft.graph.user',
        ...project(userResource(manager), ctx.query.select, USER_DEFAULT),
      });
    },
  },
  {
    method: 'GET',
    pattern: '/v1.0/users/{id}/memberOf',
    handler: mixed('directoryObjects', ctx =>
      ctx.world.entra.memberOf(user(ctx).id),
    ),
  },
  {
    method: 'GET',
    pattern: '/v1.0/users/{id}/transitiveMemberOf',
    handler: mixed('directoryObjects', ctx =>
      ctx.world.entra.transitiveMemberOf(user(ctx).id),
    ),
  },
  {
    method: 'GET',
    pattern: '/v1.0/users/{id}/appRoleAssignments',
    handler: ctx => appRoleAssignments(ctx, { principalId: user(ctx).id }),
  },
  {
    method: 'GET',
    pattern: '/v1.0/users/{id}/photo/$value',
    handler: photoNotFound,
  },
  { method: 'GET', pattern: '/v1.0/users/{id}/photos', handler: photoNotFound },

  {
    method: 'GET',
    pattern: '/v1.0/groups',
    handler: ctx =>
      collection(
        ctx,
        () =>
          ctx.world.entra.groups
            .values()
            .map(g => groupResource(g, ctx.world.domain)),
        {
          entitySet: 'groups',
          defaults: { '': GROUP_DEFAULT },
          known: { names: GROUP_PROPERTIES, typeName: 'group' },
          directory: true,
          orderbyBasic: ['displayname'],
          cacheKey: 'groups',
        },
      ),
  },
  {
    method: 'GET',
    pattern: '/v1.0/groups/{id}',
    handler: ctx => {
      checkSelect(ctx.query.select, GROUP_PROPERTIES, 'group');
      return single(
        ctx,
        'groups',
        project(
          groupResource(group(ctx), ctx.world.domain),
          ctx.query.select,
          GROUP_DEFAULT,
        ),
      );
    },
  },
  {
    method: 'GET',
    pattern: '/v1.0/groups/{id}/members',
    handler: mixed(
      'directoryObjects',
      ctx => ctx.world.entra.members.targets(group(ctx).id),
      'members',
    ),
  },
  {
    method: 'GET',
    pattern: '/v1.0/groups/{id}/transitiveMembers',
    handler: mixed(
      'directoryObjects',
      ctx => ctx.world.entra.transitiveMembers(group(ctx).id).map(m => m.id),
      'transitiveMembers',
    ),
  },
  {
    method: 'GET',
    pattern: '/v1.0/groups/{id}/owners',
    handler: mixed('directoryObjects', ctx => group(ctx).owners),
  },
  {
    method: 'GET',
    pattern: '/v1.0/groups/{id}/memberOf',
    handler: mixed('directoryObjects', ctx =>
      ctx.world.entra.memberOf(group(ctx).id),
    ),
  },
  {
    method: 'GET',
    pattern: '/v1.0/groups/{id}/transitiveMemberOf',
    handler: mixed('directoryObjects', ctx =>
      ctx.world.entra.transitiveMemberOf(group(ctx).id),
    ),
  },
  {
    method: 'GET',
    pattern: '/v1.0/groups/{id}/appRoleAssignments',
    handler: ctx => appRoleAssignments(ctx, { principalId: group(ctx).id }),
  },
  {
    method: 'GET',
    pattern: '/v1.0/groups/{id}/photo/$value',
    handler: photoNotFound,
  },
  {
    method: 'GET',
    pattern: '/v1.0/groups/{id}/photos',
    handler: photoNotFound,
  },
];
