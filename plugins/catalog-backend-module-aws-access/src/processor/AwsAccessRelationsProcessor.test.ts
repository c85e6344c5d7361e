import type { Entity } from '@backstage/catalog-model';
import type { LocationSpec } from '@backstage/plugin-catalog-common';
import type {
  CatalogProcessorCache,
  CatalogProcessorResult,
} from '@backstage/plugin-catalog-node';
import type { CatalogProjection } from '@aws-access/plugin-aws-access-common';
import type { AwsAccessService } from '@aws-access/plugin-aws-access-node';
import { createCapturingLogger } from '@aws-access/test-utils';
import {
  READONLY_ACCOUNT_REFS,
  SEED_GROUP_IDS,
  SEED_PERMISSION_SET_ARNS,
  SEED_USER_IDS,
  seedProjection,
} from '../__fixtures__/seedProjection';
import { ProjectionStore } from '../provider/ProjectionStore';
import type { MappingOptions } from '../provider/projection';
import { AwsAccessRelationsProcessor } from './AwsAccessRelationsProcessor';

const location: LocationSpec = { type: 'test', target: 'test' };

const mapping: MappingOptions = {
  providerId: 'default',
  mode: 'link',
  ownerTag: 'owner',
  defaultOwner: 'group:default/platform-team',
  relations: 'all',
  linkAccountsFromUpstream: false,
};

function group(name: string, entraId?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name,
      annotations: entraId ? { 'graph.microsoft.com/group-id': entraId } : {},
    },
    spec: { type: 'team', children: [] },
  };
}

function user(name: string, entraId?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: {
      name,
      annotations: entraId ? { 'graph.microsoft.com/user-id': entraId } : {},
    },
    spec: { memberOf: [] },
  };
}

function fakeCache(): CatalogProcessorCache & { state: Record<string, any> } {
  const state: Record<string, any> = {};
  return {
    state,
    get: async (key: string) => state[key],
    set: async (key: string, value: any) => {
      state[key] = value;
    },
  } as CatalogProcessorCache & { state: Record<string, any> };
}

function setup(
  options: {
    projection?: CatalogProjection | (() => Promise<CatalogProjection>);
    mapping?: Partial<MappingOptions>;
  } = {},
) {
  const getCatalogProjection = jest.fn<Promise<CatalogProjection>, []>();
  if (typeof options.projection === 'function') {
    getCatalogProjection.mockImplementation(options.projection);
  } else {
    getCatalogProjection.mockResolvedValue(
      options.projection ?? seedProjection(),
    );
  }
  const awsAccess = {
    getCatalogProjection,
    getSyncStatus: jest.fn(),
  } as unknown as AwsAccessService;
  let now = 1_000_000;
  const store = new ProjectionStore({
    awsAccess,
    logger: createCapturingLogger(),
    mapping: { ...mapping, ...options.mapping },
    now: () => now,
  });
  const processor = new AwsAccessRelationsProcessor({
    store,
    logger: createCapturingLogger(),
  });

  async function process(
    entity: Entity,
    cache: CatalogProcessorCache = fakeCache(),
  ) {
    const results: CatalogProcessorResult[] = [];
    await processor.postProcessEntity(
      entity,
      location,
      r => results.push(r),
      cache,
    );
    const relations = results
      .filter(r => r.type === 'relation')
      .map(r => {
        const { source, type, target } = (
          r as Extract<CatalogProcessorResult, { type: 'relation' }>
        ).relation;
        return `${source.kind}:${source.namespace}/${source.name} ${type} ${target.kind}:${target.namespace}/${target.name}`;
      });
    const refreshKeys = results
      .filter(r => r.type === 'refresh')
      .map(
        r => (r as Extract<CatalogProcessorResult, { type: 'refresh' }>).key,
      );
    return { relations, refreshKeys };
  }

  return {
    processor,
    store,
    getCatalogProjection,
    process,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('AwsAccessRelationsProcessor', () => {
  it('should relate a group to its accounts and permission sets in both directions', async () => {
    const { process } = setup();
    const { relations, refreshKeys } = await process(
      group(
        'aws-developers-readonly',
        SEED_GROUP_IDS['AWS-Developers-ReadOnly'],
      ),
    );
    const self = 'group:default/aws-developers-readonly';
    expect(refreshKeys).toEqual([
      `aws-access:group:${SEED_GROUP_IDS['AWS-Developers-ReadOnly']}`,
    ]);
    expect(relations.sort()).toEqual(
      [
        ...READONLY_ACCOUNT_REFS.flatMap(account => [
          `${self} hasAccessTo ${account}`,
          `${account} accessibleBy ${self}`,
        ]),
        `${self} grantsPermissionSet resource:default/aws-ps-developerreadonly`,
        `resource:default/aws-ps-developerreadonly permissionSetGrantedTo ${self}`,
      ].sort(),
    );
  });

  it('should use the entity ref of the processed entity, whatever the provider named it', async () => {
    const { process } = setup();
    const { relations } = await process(
      group('custom-readonly-name', SEED_GROUP_IDS['AWS-Developers-ReadOnly']),
    );
    expect(relations).toContain(
      'group:default/custom-readonly-name hasAccessTo resource:default/payments-prod',
    );
  });

  it('should relate a user with a direct user assignment in both directions, and no one else', async () => {
    const projection = seedProjection();
    projection.assignments.push({
      accountId: '200000000009',
      permissionSetArn: SEED_PERMISSION_SET_ARNS.DeveloperPowerUser,
      principal: {
        type: 'USER',
        identityCenterId: 'idc-user-priya',
        entraId: SEED_USER_IDS['priya@example.com'],
        displayName: 'Priya Nair',
      },
    });
    const { process } = setup({ projection });
    const priya = await process(
      user('priya_example.com', SEED_USER_IDS['priya@example.com']),
    );
    expect(priya.relations).toEqual([
      'user:default/priya_example.com hasAccessTo resource:default/ml-platform',
      'resource:default/ml-platform accessibleBy user:default/priya_example.com',
    ]);
    expect(priya.refreshKeys).toEqual([
      `aws-access:user:${SEED_USER_IDS['priya@example.com']}`,
    ]);

    // access through groups is not repeated on users (the graph shows user → memberOf → group → hasAccessTo)
    const aamir = await process(
      user('aamir_example.com', SEED_USER_IDS['aamir@example.com']),
    );
    expect(aamir.relations).toEqual([]);
  });

  it('should produce no relations for unmanaged principals, nested groups or unknown Entra ids', async () => {
    const { process } = setup();
    // the break-glass group has no Entra source: a same-named catalog group gets nothing
    expect((await process(group('breakglass-admins'))).relations).toEqual([]);
    // SCIM does not flatten nesting: Data-Team has no access of its own
    expect(
      (await process(group('data-team', SEED_GROUP_IDS['Data-Team'])))
        .relations,
    ).toEqual([]);
    // a different Entra group that happens to have the same name is not matched by name
    expect(
      (await process(group('aws-developers-readonly', 'another-tenant-id')))
        .relations,
    ).toEqual([]);
  });

  it('should match entities without the msgraph annotation by ref', async () => {
    const { process } = setup();
    const { relations, refreshKeys } = await process(
      group('aws-data-analysts'),
    );
    expect(refreshKeys).toEqual([
      'aws-access:entity:group:default/aws-data-analysts',
    ]);
    expect(relations).toEqual([
      'group:default/aws-data-analysts hasAccessTo resource:default/data-lake',
      'resource:default/data-lake accessibleBy group:default/aws-data-analysts',
      'group:default/aws-data-analysts grantsPermissionSet resource:default/aws-ps-dataanalyst',
      'resource:default/aws-ps-dataanalyst permissionSetGrantedTo group:default/aws-data-analysts',
    ]);
  });

  it('should leave other entities alone', async () => {
    const { process, getCatalogProjection } = setup();
    const component: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'x' },
      spec: {
        type: 'service',
        owner: 'group:default/a',
        lifecycle: 'production',
      },
    };
    expect(await process(component)).toEqual({
      relations: [],
      refreshKeys: [],
    });
    expect(getCatalogProjection).not.toHaveBeenCalled();
  });

  it('should re-emit the relations it emitted last when no projection is available', async () => {
    const first = setup();
    const cache = fakeCache();
    const entity = group(
      'aws-developers-readonly',
      SEED_GROUP_IDS['AWS-Developers-ReadOnly'],
    );
    const before = await first.process(entity, cache);
    expect(before.relations).toHaveLength(12);
    expect(cache.state.relations).toMatchObject({ snapshotVersion: 1 });

    // after a restart with the backend down
    const second = setup({
      projection: () => Promise.reject(new Error('503')),
    });
    const after = await second.process(entity, cache);
    expect(after.relations).toEqual(before.relations);
  });

  it('should prefer the cached relations of a newer snapshot over an older projection in memory', async () => {
    const cache = fakeCache();
    const entity = group(
      'aws-developers-readonly',
      SEED_GROUP_IDS['AWS-Developers-ReadOnly'],
    );
    const newer = seedProjection({ snapshotVersion: 9 });
    newer.assignments = newer.assignments.filter(
      a => a.accountId !== '200000000005',
    );
    const fresh = await setup({ projection: newer }).process(entity, cache);
    expect(fresh.relations).toHaveLength(10);

    // another replica still holds version 8
    const stale = await setup({
      projection: seedProjection({ snapshotVersion: 8 }),
    }).process(entity, cache);
    expect(stale.relations).toEqual(fresh.relations);
  });

  it('should refresh an old projection in the background and keep serving the current one', async () => {
    const { process, getCatalogProjection, advance } = setup();
    const entity = group(
      'aws-developers-readonly',
      SEED_GROUP_IDS['AWS-Developers-ReadOnly'],
    );
    await process(entity);
    await process(entity);
    expect(getCatalogProjection).toHaveBeenCalledTimes(1);

    const v2 = seedProjection({ snapshotVersion: 2 });
    v2.assignments = v2.assignments.filter(a => a.accountId !== '200000000005');
    getCatalogProjection.mockResolvedValue(v2);
    advance(121_000);
    expect((await process(entity)).relations).toHaveLength(12); // still v1 while v2 loads
    // v2 is built in slices that give the event loop turns: served once it is built.
    for (let turn = 0; turn < 1000; turn++) {
      if ((await process(entity)).relations.length !== 12) break;
      await new Promise(resolve => setImmediate(resolve));
    }
    expect((await process(entity)).relations).toHaveLength(10);
    expect(getCatalogProjection).toHaveBeenCalledTimes(2);
  });

  it('should add account relations on upstream cloud-account Resources when linking accounts', async () => {
    const { process } = setup({ mapping: { linkAccountsFromUpstream: true } });
    const upstreamAccount: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'payments-prod-from-orgs',
        annotations: { 'amazonaws.com/account-id': '200000000003' },
      },
      spec: { type: 'cloud-account', owner: 'unknown' },
    };
    const account = await process(upstreamAccount);
    expect(account.refreshKeys).toEqual(['aws-access:account:200000000003']);
    expect(account.relations).toEqual(
      expect.arrayContaining([
        'group:default/aws-developers-readonly hasAccessTo resource:default/payments-prod-from-orgs',
        'resource:default/payments-prod-from-orgs accessibleBy group:default/aws-developers-readonly',
      ]),
    );
    // readonly, poweruser, admin and the requestable payments-prod-admin: both directions each
    expect(account.relations).toHaveLength(8);

    // the group side then only carries the permission set relations
    const readOnly = await process(
      group(
        'aws-developers-readonly',
        SEED_GROUP_IDS['AWS-Developers-ReadOnly'],
      ),
    );
    expect(readOnly.relations).toEqual([
      'group:default/aws-developers-readonly grantsPermissionSet resource:default/aws-ps-developerreadonly',
      'resource:default/aws-ps-developerreadonly permissionSetGrantedTo group:default/aws-developers-readonly',
    ]);
  });
});
