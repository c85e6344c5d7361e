import type { Reply } from '../http';
import { jsonReply } from '../http';
import { guidFrom, hexFrom } from '../ids';
import type { World } from '../state/World';
import type { GraphContext, RouteDef } from './context';
import { collection, single } from './context';
import { notFound } from './errors';
import { project } from './odata';

/*
 * The AWS enterprise application's service principal: found by appId, with its SAML signing certificates
 * (keyCredentials, preferredTokenSigningKey…) and the users and groups assigned to it (appRoleAssignedTo).
 */

const SP_DEFAULT = [
  'id',
  'appId',
  'displayName',
  'accountEnabled',
  'appDisplayName',
  'appOwnerOrganizationId',
  'appRoleAssignmentRequired',
  'appRoles',
  'createdDateTime',
  'keyCredentials',
  'loginUrl',
  'notificationEmailAddresses',
  'preferredSingleSignOnMode',
  'preferredTokenSigningKeyThumbprint',
  'replyUrls',
  'samlSingleSignOnSettings',
  'servicePrincipalNames',
  'servicePrincipalType',
  'tags',
];

export function userRoleId(world: World): string {
  return guidFrom(world.app.appId, 'appRole', 'User');
}

export function servicePrincipalResource(
  world: World,
): Record<string, unknown> {
  const { app } = world;
  const expires = new Date(app.samlCertificateExpiresMs);
  const starts = new Date(app.samlCertificateExpiresMs - 3 * 365 * 86400_000);
  const thumbprint = hexFrom(
    40,
    app.appId,
    'saml',
    expires.toISOString(),
  ).toUpperCase();
  const key = (usage: 'Sign' | 'Verify') => ({
    customKeyIdentifier: thumbprint,
    displayName: 'CN=Microsoft Azure Federated SSO Certificate',
    endDateTime: expires.toISOString(),
    key: null,
    keyId: guidFrom(app.appId, 'key', usage, expires.toISOString()),
    startDateTime: starts.toISOString(),
    type: 'AsymmetricX509Cert',
    usage,
  });
  return {
    id: app.servicePrincipalId,
    appId: app.appId,
    displayName: app.displayName,
    appDisplayName: app.displayName,
    accountEnabled: true,
    appOwnerOrganizationId: guidFrom('aws-gallery-publisher'),
    appRoleAssignmentRequired: true,
    appRoles: [
      {
        allowedMemberTypes: ['User'],
        description: 'User',
        displayName: 'User',
        id: userRoleId(world),
        isEnabled: true,
        origin: 'Application',
        value: null,
      },
      {
        allowedMemberTypes: ['User'],
        description: 'msiam_access',
        displayName: 'msiam_access',
        id: guidFrom(app.appId, 'appRole', 'msiam_access'),
        isEnabled: true,
        origin: 'Application',
        value: null,
      },
    ],
    createdDateTime: new Date(
      world.clock.nowMs() - 400 * 86400_000,
    ).toISOString(),
    keyCredentials: [key('Sign'), key('Verify')],
    loginUrl: app.accessPortalUrl,
    notificationEmailAddresses: [`admin@${world.domain}`],
    preferredSingleSignOnMode: 'saml',
    preferredTokenSigningKeyThumbprint: thumbprint,
    preferredTokenSigningKeyEndDateTime: expires.toISOString(),
    replyUrls: [
      `https://${world.scenario.identityCenter.region}.signin.aws.amazon.com/platform/saml/acs/${app.servicePrincipalId}`,
    ],
    samlSingleSignOnSettings: { relayState: null },
    servicePrincipalNames: [
      app.appId,
      `https://${world.scenario.identityCenter.region}.signin.aws.amazon.com/platform/saml/${world.scenario.identityCenter.identityStoreId}`,
    ],
    servicePrincipalType: 'Application',
    tags: [
      'WindowsAzureActiveDirectoryIntegratedApp',
      'WindowsAzureActiveDirectoryCustomSingleSignOnApplication',
    ],
  };
}

/** `appRoleAssignedTo` entries: every group and user assigned to the AWS app. */
function assignments(world: World): Record<string, unknown>[] {
  const { app, entra } = world;
  const entry = (principal: {
    id: string;
    name: string;
    type: 'User' | 'Group';
    assignedMs: number;
  }) => ({
    id: Buffer.from(hexFrom(32, app.servicePrincipalId, principal.id), 'hex')
      .toString('base64url')
      .slice(0, 43),
    deletedDateTime: null,
    appRoleId: userRoleId(world),
    createdDateTime: new Date(principal.assignedMs).toISOString(),
    principalDisplayName: principal.name,
    principalId: principal.id,
    principalType: principal.type,
    resourceDisplayName: app.displayName,
    resourceId: app.servicePrincipalId,
  });
  const out: Record<string, unknown>[] = [];
  for (const group of entra.groups.values()) {
    if (group.assignedToAwsApp)
      out.push(
        entry({
          id: group.id,
          name: group.name,
          type: 'Group',
          assignedMs: group.assignedMs ?? group.createdMs,
        }),
      );
  }
  for (const user of entra.liveUsers()) {
    if (user.assignedToAwsApp)
      out.push(
        entry({
          id: user.id,
          name: user.displayName,
          type: 'User',
          assignedMs: user.createdMs,
        }),
      );
  }
  return out;
}

const ASSIGNMENT_FIELDS = [
  'id',
  'deletedDateTime',
  'appRoleId',
  'createdDateTime',
  'principalDisplayName',
  'principalId',
  'principalType',
  'resourceDisplayName',
  'resourceId',
];

export function appRoleAssignments(
  ctx: GraphContext,
  options: { principalId?: string },
): Reply {
  return collection(
    ctx,
    () =>
      assignments(ctx.world).filter(
        a => !options.principalId || a.principalId === options.principalId,
      ),
    {
      entitySet: 'appRoleAssignments',
      defaults: { '': ASSIGNMENT_FIELDS },
      known: { names: ASSIGNMENT_FIELDS, typeName: 'appRoleAssignment' },
      directory: false,
      cacheKey: 'appRoleAssignments',
    },
  );
}

export function requireServicePrincipal(ctx: GraphContext): void {
  if (ctx.params.id.toLowerCase() !== ctx.world.app.servicePrincipalId)
    throw notFound(ctx.params.id);
}

export const servicePrincipalRoutes: RouteDef[] = [
  {
    method: 'GET',
    pattern: '/v1.0/servicePrincipals',
    handler: ctx =>
      collection(ctx, () => [servicePrincipalResource(ctx.world)], {
        entitySet: 'servicePrincipals',
        defaults: { '': SP_DEFAULT },
        directory: true,
      }),
  },
  {
    method: 'GET',
    pattern: '/v1.0/servicePrincipals/{id}',
    handler: ctx => {
      requireServicePrincipal(ctx);
      return single(
        ctx,
        'servicePrincipals',
        project(
          servicePrincipalResource(ctx.world),
          ctx.query.select,
          SP_DEFAULT,
        ),
      );
    },
  },
  {
    method: 'GET',
    pattern: '/v1.0/servicePrincipals/{id}/appRoleAssignedTo',
    handler: ctx => {
      requireServicePrincipal(ctx);
      return appRoleAssignments(ctx, {});
    },
  },
  {
    method: 'GET',
    pattern: '/v1.0/servicePrincipals/{id}/keyCredentials',
    handler: ctx => {
      requireServicePrincipal(ctx);
      return jsonReply(200, {
        value: servicePrincipalResource(ctx.world).keyCredentials,
      });
    },
  },
];
