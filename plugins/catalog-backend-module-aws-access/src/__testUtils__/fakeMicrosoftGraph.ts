import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
} from '@backstage/catalog-model';
import type {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import type { MicrosoftGraphClient } from '@backstage/plugin-catalog-backend-module-msgraph';
import { readMicrosoftGraphOrg } from '@backstage/plugin-catalog-backend-module-msgraph';
import type {
  ProjectedEntraGroup,
  ProjectedEntraUser,
} from '@aws-access/plugin-aws-access-common';
import {
  SEED_GROUP_IDS,
  SEED_TENANT_ID,
  SEED_USER_IDS,
  seedProjection,
} from '../__fixtures__/seedProjection';

/*
 * A tenant as Microsoft Graph would serve it, and the upstream msgraph module's own reader
 * (`readMicrosoftGraphOrg`, with its default transformers and hierarchy building) run against it through a fake
 * `MicrosoftGraphClient`. Used to check that emit mode names and shapes entities exactly like msgraph, and to
 * stand in for the msgraph provider in link-mode integration tests.
 */

export interface FakeTenant {
  tenantId: string;
  organizationName: string;
  users: ProjectedEntraUser[];
  groups: ProjectedEntraGroup[];
}

/** The seed tenant: the projection's groups and users plus the groups not assigned to AWS. */
export function seedTenant(): FakeTenant {
  const projection = seedProjection();
  const uid = (upn: keyof typeof SEED_USER_IDS) => SEED_USER_IDS[upn];
  return {
    tenantId: SEED_TENANT_ID,
    organizationName: 'Example Corp',
    users: projection.entraUsers,
    groups: [
      ...projection.entraGroups,
      {
        id: '22222222-0000-4000-8000-000000000004',
        displayName: 'Platform-Team',
        mailNickname: 'Platform-Team',
        securityEnabled: true,
        assignedToApp: false,
        memberUserIds: [uid('olu@example.com'), uid('sara@example.com')],
        memberGroupIds: [],
      },
      {
        id: '22222222-0000-4000-8000-000000000005',
        displayName: 'Backend-Team',
        mailNickname: 'Backend-Team',
        securityEnabled: true,
        assignedToApp: false,
        memberUserIds: [
          uid('aamir@example.com'),
          uid('shen.li@example.com'),
          uid('alex@example.com'),
          uid('maria@example.com'),
          uid('priya@example.com'),
        ],
        memberGroupIds: [],
      },
    ],
  };
}

async function* iterate<T>(items: T[]): AsyncIterable<T> {
  for (const item of items) {
    yield item;
  }
}

function toGraphUser(user: ProjectedEntraUser) {
  return {
    id: user.id,
    displayName: user.displayName,
    userPrincipalName: user.userPrincipalName,
    mail: user.mail ?? null,
    accountEnabled: user.accountEnabled,
    jobTitle: user.jobTitle ?? null,
    department: user.department ?? null,
  };
}

function toGraphGroup(group: ProjectedEntraGroup) {
  return {
    id: group.id,
    displayName: group.displayName,
    description: group.description ?? null,
    mail: group.mail ?? null,
    mailNickname: group.mailNickname ?? null,
    securityEnabled: group.securityEnabled,
  };
}

/** A `MicrosoftGraphClient` that serves the tenant (only what `readMicrosoftGraphOrg` calls). */
export function fakeGraphClient(tenant: FakeTenant): MicrosoftGraphClient {
  const usersById = new Map(tenant.users.map(u => [u.id, u]));
  const groupsById = new Map(tenant.groups.map(g => [g.id, g]));
  const client = {
    getUsers: () => iterate(tenant.users.map(toGraphUser)),
    getGroups: () => iterate(tenant.groups.map(toGraphGroup)),
    getGroupMembers: (groupId: string) => {
      const group = groupsById.get(groupId);
      const members = [
        ...(group?.memberUserIds ?? [])
          .filter(id => usersById.has(id))
          .map(id => ({
            '@odata.type': '#microsoft.graph.user',
            ...toGraphUser(usersById.get(id)!),
          })),
        ...(group?.memberGroupIds ?? [])
          .filter(id => groupsById.has(id))
          .map(id => ({
            '@odata.type': '#microsoft.graph.group',
            ...toGraphGroup(groupsById.get(id)!),
          })),
      ];
      return iterate(members);
    },
    getOrganization: async (tenantId: string) => ({
      id: tenantId,
      displayName: tenant.organizationName,
    }),
    getUserPhotoWithSizeLimit: async () => undefined,
  };
  return client as unknown as MicrosoftGraphClient;
}

/** Users and Groups exactly as the msgraph module reads them (default transformers, no photos). */
export function readWithMsGraph(tenant: FakeTenant, logger: LoggerService) {
  return readMicrosoftGraphOrg(fakeGraphClient(tenant), tenant.tenantId, {
    loadUserPhotos: false,
    logger,
  });
}

/** The msgraph provider's `withLocations` (location annotations `msgraph:<id>/<object id>`). */
function withMsGraphLocations(providerId: string, entity: Entity): Entity {
  const annotations = entity.metadata.annotations ?? {};
  const uid =
    annotations['graph.microsoft.com/user-id'] ||
    annotations['graph.microsoft.com/group-id'] ||
    annotations['graph.microsoft.com/tenant-id'] ||
    entity.metadata.name;
  const location = `msgraph:${providerId}/${encodeURIComponent(uid)}`;
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        ...annotations,
      },
    },
  };
}

/**
 * Stands in for `MicrosoftGraphOrgEntityProvider:default`: same name, same locationKey, same full mutation of the
 * entities `readMicrosoftGraphOrg` returns. Call `read()` to run it.
 */
export class FakeMsGraphOrgEntityProvider implements EntityProvider {
  #connection?: EntityProviderConnection;

  constructor(
    private readonly tenant: FakeTenant,
    private readonly logger: LoggerService,
  ) {}

  getProviderName() {
    return 'MicrosoftGraphOrgEntityProvider:default';
  }

  async connect(connection: EntityProviderConnection) {
    this.#connection = connection;
    await this.read();
  }

  async read() {
    const { users, groups } = await readWithMsGraph(this.tenant, this.logger);
    await this.#connection!.applyMutation({
      type: 'full',
      entities: [...users, ...groups].map(entity => ({
        locationKey: 'msgraph-org-provider:default',
        entity: withMsGraphLocations('default', entity),
      })),
    });
  }
}

export { SEED_GROUP_IDS };
