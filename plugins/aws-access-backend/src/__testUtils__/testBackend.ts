import type {
  BackstageCredentials,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ServerPermissionClient } from '@backstage/plugin-permission-node';
import type { Entity } from '@backstage/catalog-model';
import type { Permission } from '@backstage/plugin-permission-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_MICROSOFT_EMAIL,
  ANNOTATION_MICROSOFT_GRAPH_USER_ID,
  awsAccessProvisionSelfPermission,
  awsAccessReportReadPermission,
  awsAccessRequestApprovePermission,
  awsAccessRequestCreatePermission,
  entraGroupEntityRef,
  entraUserEntityRef,
  RESOURCE_TYPE_CLOUD_ACCOUNT,
} from '@aws-access/plugin-aws-access-common';
import type { Emulators } from '@aws-access/emulators';
import { emulatorConfigData } from '@aws-access/test-utils';
import { awsAccessPlugin } from '../plugin';

/** Catalog users and groups as the msgraph module would ingest them from the emulated tenant. */
export function catalogEntitiesOf(emulators: Emulators): Entity[] {
  const { users, groups } = emulators.scenario.entra;
  const byUpn = new Map(users.map(u => [u.upn, u]));
  const refOf = (upn: string) => {
    const user = byUpn.get(upn)!;
    return entraUserEntityRef({ mail: user.mail, userPrincipalName: user.upn });
  };
  return [
    ...users.map(user => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: {
        name: refOf(user.upn).replace('user:default/', ''),
        annotations: {
          [ANNOTATION_MICROSOFT_GRAPH_USER_ID]: user.id,
          [ANNOTATION_MICROSOFT_EMAIL]: user.mail,
        },
      },
      spec: {
        profile: { displayName: user.displayName, email: user.mail },
        memberOf: [],
      },
    })),
    ...groups.map(group => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: {
        name: entraGroupEntityRef({
          displayName: group.name,
          securityEnabled: group.securityEnabled,
          mailNickname: group.mailNickname,
        }).replace('group:default/', ''),
      },
      spec: { type: 'team', children: [] },
    })),
  ];
}

/** The cloud-account Resources the catalog module would emit, owned as the seed's `owner` tags say. */
export function cloudAccountEntities(emulators: Emulators): Entity[] {
  return emulators.scenario.identityCenter.accounts.flatMap(account =>
    account.tags?.owner
      ? [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Resource',
            metadata: {
              name: account.name,
              annotations: { [ANNOTATION_AWS_ACCOUNT_ID]: account.id },
            },
            spec: {
              type: RESOURCE_TYPE_CLOUD_ACCOUNT,
              owner: account.tags.owner,
            },
          },
        ]
      : [],
  );
}

/** The user's direct groups, as sign-in resolves ownership from catalog memberOf relations. */
export function ownershipOf(
  emulators: Emulators,
  userEntityRef: string,
): string[] {
  const { users, groups } = emulators.scenario.entra;
  const user = users.find(
    u =>
      entraUserEntityRef({ mail: u.mail, userPrincipalName: u.upn }) ===
      userEntityRef,
  );
  const memberOf = user
    ? groups
        .filter(g => g.members.includes(user.upn))
        .map(g =>
          entraGroupEntityRef({
            displayName: g.name,
            securityEnabled: g.securityEnabled,
            mailNickname: g.mailNickname,
          }),
        )
    : [];
  return [userEntityRef, ...memberOf];
}

/**
 * A permission decision like the demo's policy: the platform group may do everything, group reads are
 * conditional on the caller's groups, engineers may ask for their own provisioning, the rest is denied.
 */
function decide(permission: Permission, claims: string[]) {
  if (claims.includes('group:default/platform-team'))
    return { result: AuthorizeResult.ALLOW };
  if (permission.name === 'aws-access.group.read') {
    return {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'aws-access',
      resourceType: 'aws-access-group',
      conditions: {
        rule: 'IS_GROUP_MEMBER',
        resourceType: 'aws-access-group',
        params: { claims },
      },
    };
  }
  // As the sample policy: anyone may ask and approve as far as the governance policy allows.
  if (
    permission.name === awsAccessProvisionSelfPermission.name ||
    permission.name === awsAccessReportReadPermission.name ||
    permission.name === awsAccessRequestCreatePermission.name ||
    permission.name === awsAccessRequestApprovePermission.name
  )
    return { result: AuthorizeResult.ALLOW };
  return { result: AuthorizeResult.DENY };
}

/**
 * Service principals are decided as the real permissions service decides them (Backstage's
 * ServerPermissionClient): allowed, unless the service's access restrictions leave the permission out.
 */
const servicePermissions = ServerPermissionClient.fromConfig(
  new ConfigReader({ permission: { enabled: true } }),
  { auth: mockServices.auth(), discovery: mockServices.discovery() },
);
const isServicePrincipal = (credentials: BackstageCredentials) =>
  (credentials.principal as { type?: string }).type === 'service';

/**
 * A permissions service that decides users with `decideUser` and services as Backstage does (access
 * restrictions only).
 */
export function permissionsDecidingUsersBy(
  decideUser: (
    permission: Permission,
    credentials: BackstageCredentials,
  ) => { result: AuthorizeResult },
) {
  return mockServices.permissions.mock({
    authorize: async (requests, how) =>
      isServicePrincipal(how.credentials)
        ? servicePermissions.authorize(requests, how)
        : requests.map(r => decideUser(r.permission, how.credentials) as any),
    authorizeConditional: async (requests, how) =>
      isServicePrincipal(how.credentials)
        ? servicePermissions.authorizeConditional(requests, how)
        : requests.map(r => decideUser(r.permission, how.credentials) as any),
  }).factory;
}

/** The aws-access plugin in a test backend, pointed at the emulators, with the catalog and permissions mocked. */
export async function startAccessBackend(
  emulators: Emulators,
  options: {
    skipInitialSync?: boolean;
    /** A scheduler from `mockServices.scheduler()`, so the test can trigger tasks (`triggerTask`). */
    scheduler?: SchedulerService;
    configOverrides?: Record<string, unknown>;
    extraFeatures?: any[];
    /** More catalog entities (cloud-account Resources, for example). */
    extraEntities?: Entity[];
    /** A decision of its own for some permissions and callers; undefined falls back to the demo's. */
    decideFirst?: (permission: Permission, claims: string[]) => unknown;
    /** The catalog's users and groups; by default the scenario's Entra tenant as msgraph would ingest it. */
    catalogEntities?: Entity[];
    /** A user's ownership claims; by default the scenario's Entra groups. */
    ownership?: (userEntityRef: string) => string[];
  } = {},
) {
  const ownership =
    options.ownership ?? ((ref: string) => ownershipOf(emulators, ref));
  const claimsOf = (credentials: BackstageCredentials) =>
    credentials.principal && (credentials.principal as any).type === 'user'
      ? ownership((credentials.principal as any).userEntityRef)
      : [];
  const auditEvents: Array<{
    eventId: string;
    meta?: unknown;
    outcome: string;
  }> = [];
  const backend = await startTestBackend({
    features: [
      awsAccessPlugin,
      mockServices.rootConfig.factory({
        data: emulatorConfigData(emulators, {
          schedule: { frequency: { hours: 1 }, timeout: { minutes: 5 } },
          pollInterval: { milliseconds: 50 },
          ...options.configOverrides,
        }),
      }),
      // The mock scheduler's instance is its own factory's source.
      (options.scheduler
        ? (options.scheduler as unknown as typeof mockServices.scheduler)
        : mockServices.scheduler
      ).factory({ skipTaskRunOnStartup: options.skipInitialSync }),
      catalogServiceMock.factory({
        entities: [
          ...(options.catalogEntities ?? catalogEntitiesOf(emulators)),
          ...(options.extraEntities ?? []),
        ],
      }),
      mockServices.userInfo.mock({
        getUserInfo: async credentials => ({
          userEntityRef: (credentials.principal as any).userEntityRef,
          ownershipEntityRefs: claimsOf(credentials),
        }),
      }).factory,
      permissionsDecidingUsersBy(
        (permission, credentials) =>
          (options.decideFirst?.(permission, claimsOf(credentials)) ??
            decide(permission, claimsOf(credentials))) as {
            result: AuthorizeResult;
          },
      ),
      mockServices.auditor.mock({
        createEvent: async options_ => ({
          success: async (result?: { meta?: object }) => {
            auditEvents.push({
              eventId: options_.eventId,
              meta: { ...options_.meta, ...result?.meta },
              outcome: 'success',
            });
          },
          fail: async (result?: { meta?: object }) => {
            auditEvents.push({
              eventId: options_.eventId,
              meta: { ...options_.meta, ...result?.meta },
              outcome: 'fail',
            });
          },
        }),
      }).factory,
      ...(options.extraFeatures ?? []),
    ],
  });
  return Object.assign(backend, { auditEvents });
}
