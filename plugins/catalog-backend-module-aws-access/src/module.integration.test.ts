import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import type { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  TestDatabases,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import type { EventsService } from '@backstage/plugin-events-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import type { CatalogProjection } from '@aws-access/plugin-aws-access-common';
import type { AwsAccessService } from '@aws-access/plugin-aws-access-node';
import { awsAccessServiceRef } from '@aws-access/plugin-aws-access-node';
import { createCapturingLogger, eventually } from '@aws-access/test-utils';
import {
  CATALOG_RULES,
  catalogApi,
  relationTargets,
} from './__testUtils__/catalogApi';
import {
  FakeMsGraphOrgEntityProvider,
  readWithMsGraph,
  seedTenant,
} from './__testUtils__/fakeMicrosoftGraph';
import {
  READONLY_ACCOUNT_REFS,
  seedProjection,
} from './__fixtures__/seedProjection';
import { catalogModuleAwsAccessProvider } from './module';
import { AWS_ACCESS_SNAPSHOT_COMMITTED_TOPIC } from '@aws-access/plugin-aws-access-common';

/*
 * The module inside a real catalog backend (SQLite and PostgreSQL), read back through the catalog REST API.
 * The aws-access backend is a fake `awsAccessServiceRef` that serves a projection mirroring the seed org.
 */

jest.setTimeout(90_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const TASK_ID = 'AwsAccessEntityProvider:default:refresh';

/** Serves whatever projection the test sets; fails like the -node client does (503, connection errors). */
class FakeAwsAccess implements AwsAccessService {
  planAccountBaseline = jest.fn();
  applyAccountBaseline = jest.fn();
  projection?: CatalogProjection;
  failure?: Error;
  calls = 0;

  async getCatalogProjection(): Promise<CatalogProjection> {
    this.calls += 1;
    if (this.failure) {
      throw this.failure;
    }
    if (!this.projection) {
      throw new Error('Request failed with 503 Service Unavailable');
    }
    return JSON.parse(JSON.stringify(this.projection));
  }

  async getSyncStatus(): Promise<never> {
    throw new Error('not used');
  }
}

async function startCatalog(
  databaseId: TestDatabaseId,
  options: {
    awsAccess: FakeAwsAccess;
    providerConfig: Record<string, unknown>;
    withMsGraph?: boolean;
  },
) {
  const knex = await databases.init(databaseId);
  const scheduler = mockServices.scheduler();
  const logger = createCapturingLogger();
  let events: EventsService | undefined;

  const testHooks = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'aws-access-test-hooks',
    register(reg) {
      reg.registerInit({
        deps: {
          events: eventsServiceRef,
          processing: catalogProcessingExtensionPoint,
          logger: coreServices.logger,
        },
        async init(deps) {
          events = deps.events;
          if (options.withMsGraph) {
            deps.processing.addEntityProvider(
              new FakeMsGraphOrgEntityProvider(seedTenant(), deps.logger),
            );
          }
        },
      });
    },
  });

  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleAwsAccessProvider,
      testHooks,
      createServiceFactory({
        service: awsAccessServiceRef,
        deps: {},
        factory: () => options.awsAccess,
      }),
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => logger,
      }),
      mockServices.database.factory({ knex }),
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: () => scheduler,
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          backend: { baseUrl: 'http://localhost:7007' },
          catalog: {
            rules: CATALOG_RULES,
            providers: {
              awsAccess: {
                // Every relation, to check them all; the shipped default is none.
                relations: 'all',
                // Each announcement refreshes at once, to check what each one does; the default paces them.
                eventRefreshMinInterval: { seconds: 0 },
                ...options.providerConfig,
                schedule: {
                  frequency: { minutes: 30 },
                  timeout: { minutes: 2 },
                },
              },
            },
          },
        },
      }),
    ],
  });

  // the mock scheduler runs tasks only when triggered: the first refresh, as the schedule would do at start
  await scheduler.triggerTask(TASK_ID);

  const api = {
    ...catalogApi(backend.server),
    /** Refs of every entity this module's provider emitted. */
    async projected(): Promise<string[]> {
      const all = await api.entities('kind=resource');
      const principals = [
        ...(await api.entities('kind=group')),
        ...(await api.entities('kind=user')),
      ];
      return [...all, ...principals]
        .filter(e =>
          e.metadata.annotations?.[
            'backstage.io/managed-by-location'
          ]?.startsWith('aws-access:default/'),
        )
        .map(e => stringifyEntityRef(e))
        .sort();
    },
  };

  return {
    backend,
    api,
    logger,
    scheduler,
    publish: (snapshotVersion: number) =>
      events!.publish({
        topic: AWS_ACCESS_SNAPSHOT_COMMITTED_TOPIC,
        eventPayload: { snapshotVersion },
      }),
    refreshNow: () => scheduler.triggerTask(TASK_ID),
  };
}

const conflictWarnings = (logger: ReturnType<typeof createCapturingLogger>) =>
  logger.records.filter(r => /conflicting entityRef/i.test(r.message));

describe.each(databases.eachSupportedId())(
  'catalog integration (%s)',
  databaseId => {
    it('should project the seed org in emit mode and never lose entities on failures or held snapshots', async () => {
      const awsAccess = new FakeAwsAccess();
      awsAccess.projection = seedProjection({ snapshotVersion: 1 });
      const { backend, api, logger, publish, refreshNow } = await startCatalog(
        databaseId,
        {
          awsAccess,
          providerConfig: { mode: 'emit' },
        },
      );

      try {
        // --- the 12 accounts, 5 permission sets, the groups and users, with msgraph's refs
        await eventually(async () => {
          expect(
            await api.entities('kind=resource,spec.type=cloud-account'),
          ).toHaveLength(12);
          expect(
            await api.entities('kind=resource,spec.type=aws-permission-set'),
          ).toHaveLength(5);
        });
        const msgraph = await readWithMsGraph(
          seedTenant(),
          createCapturingLogger(),
        );
        const msgraphUserRefs = msgraph.users
          .map(u => stringifyEntityRef(u))
          .sort();
        await eventually(async () => {
          const users = (await api.entities('kind=user'))
            .map(u => stringifyEntityRef(u))
            .sort();
          expect(users).toEqual(msgraphUserRefs);
          const groups = (await api.entities('kind=group')).map(g =>
            stringifyEntityRef(g),
          );
          expect(groups.sort()).toEqual([
            'group:default/aws-data-analysts',
            'group:default/aws-developers-admin',
            'group:default/aws-developers-poweruser',
            'group:default/aws-developers-readonly',
            'group:default/aws-payments-prod-admin',
            'group:default/data-team',
          ]);
        });

        // --- relations: the read-only group reaches exactly its five accounts, both directions
        await eventually(async () => {
          const readOnly = await api.entity(
            'group:default/aws-developers-readonly',
          );
          expect(relationTargets(readOnly, 'hasAccessTo')).toEqual(
            READONLY_ACCOUNT_REFS,
          );
          expect(relationTargets(readOnly, 'grantsPermissionSet')).toEqual([
            'resource:default/aws-ps-developerreadonly',
          ]);
          expect(relationTargets(readOnly, 'hasMember')).toContain(
            'user:default/aamir_example.com',
          );
          const paymentsProd = await api.entity(
            'resource:default/payments-prod',
          );
          expect(relationTargets(paymentsProd, 'accessibleBy')).toEqual([
            'group:default/aws-developers-admin',
            'group:default/aws-developers-poweruser',
            'group:default/aws-developers-readonly',
            'group:default/aws-payments-prod-admin',
          ]);
          const ps = await api.entity(
            'resource:default/aws-ps-developerreadonly',
          );
          expect(relationTargets(ps, 'permissionSetGrantedTo')).toEqual([
            'group:default/aws-developers-poweruser',
            'group:default/aws-developers-readonly',
          ]);
        });
        const before = await api.projected();
        expect(before).toHaveLength(12 + 5 + 6 + 8);

        // --- a failed fetch (scheduled run, then an announced snapshot) changes nothing
        awsAccess.failure = new Error(
          'Request failed with 503 Service Unavailable',
        );
        const callsBefore = awsAccess.calls;
        await refreshNow();
        await publish(2);
        expect(awsAccess.calls).toBe(callsBefore + 2);
        expect(await api.projected()).toEqual(before);

        // --- mass-delete held: the backend keeps serving the previous snapshot (same version); even if what it
        //     serves differs, a snapshot version we already applied changes nothing
        awsAccess.failure = undefined;
        const held = seedProjection({ snapshotVersion: 1 });
        held.accounts = held.accounts.slice(0, 8); // 33 % fewer accounts
        awsAccess.projection = held;
        await refreshNow();
        expect(await api.projected()).toEqual(before);
        expect(
          relationTargets(
            await api.entity('group:default/aws-developers-readonly'),
            'hasAccessTo',
          ),
        ).toEqual(READONLY_ACCOUNT_REFS);

        // --- an empty projection with a newer version changes nothing either
        awsAccess.projection = seedProjection({
          snapshotVersion: 2,
          accounts: [],
          assignments: [],
        });
        await publish(2);
        expect(await api.projected()).toEqual(before);

        // --- a newer snapshot is applied as a delta: sandbox-2 closed, analytics added, read-only loses web-prod
        const v3 = seedProjection({ snapshotVersion: 3 });
        v3.accounts = v3.accounts.filter(a => a.name !== 'sandbox-2');
        v3.accounts.push({
          ...v3.accounts[0],
          id: '200000000010',
          name: 'analytics',
          arn: 'arn:aws:organizations::100000000001:account/o-a1b2c3d4e5/200000000010',
          tags: { owner: 'data-team' },
        });
        v3.assignments = v3.assignments.filter(
          a =>
            !(
              a.principal.displayName === 'AWS-Developers-ReadOnly' &&
              a.accountId === '200000000005'
            ),
        );
        const adminOnManagement = v3.assignments.find(
          a => a.principal.displayName === 'AWS-Developers-Admin',
        )!;
        v3.assignments.push({
          ...adminOnManagement,
          accountId: '200000000010',
        });
        awsAccess.projection = v3;
        await publish(3);
        // the removal is immediate; the new entity appears once the catalog has processed it
        expect(await api.projected()).not.toContain(
          'resource:default/sandbox-2',
        );
        await eventually(async () => {
          const after = await api.projected();
          expect(after).toContain('resource:default/analytics');
          expect(after).toHaveLength(before.length);
        });
        await eventually(async () => {
          const readOnly = await api.entity(
            'group:default/aws-developers-readonly',
          );
          expect(relationTargets(readOnly, 'hasAccessTo')).toEqual(
            READONLY_ACCOUNT_REFS.filter(
              r => r !== 'resource:default/web-prod',
            ),
          );
          const analytics = await api.entity('resource:default/analytics');
          expect((analytics.spec as { owner: string }).owner).toBe(
            'group:default/data-team',
          );
          expect(relationTargets(analytics, 'accessibleBy')).toEqual([
            'group:default/aws-developers-admin',
          ]);
        });

        expect(conflictWarnings(logger)).toEqual([]);
        expect(logger.records).toContainEqual(
          expect.objectContaining({
            level: 'info',
            meta: expect.objectContaining({
              snapshotVersion: 3,
              mutation: 'delta',
              added: 1,
              removed: 1,
            }),
          }),
        );
      } finally {
        await backend.stop();
      }
    });

    it('should link to msgraph users and groups in link mode without conflicting refs', async () => {
      const awsAccess = new FakeAwsAccess();
      awsAccess.projection = seedProjection({ snapshotVersion: 1 });
      const { backend, api, logger } = await startCatalog(databaseId, {
        awsAccess,
        providerConfig: { mode: 'link' },
        withMsGraph: true,
      });

      try {
        await eventually(async () => {
          expect(
            await api.entities('kind=resource,spec.type=cloud-account'),
          ).toHaveLength(12);
          expect(
            await api.entities('kind=resource,spec.type=aws-permission-set'),
          ).toHaveLength(5);
          // all users and groups are msgraph's (8 groups + the organization root, 8 enabled users)
          const principals = [
            ...(await api.entities('kind=group')),
            ...(await api.entities('kind=user')),
          ];
          expect(principals).toHaveLength(17);
          for (const entity of principals) {
            expect(
              entity.metadata.annotations?.['backstage.io/managed-by-location'],
            ).toMatch(/^msgraph:default\//);
          }
        });
        await eventually(async () => {
          const readOnly = await api.entity(
            'group:default/aws-developers-readonly',
          );
          expect(relationTargets(readOnly, 'hasAccessTo')).toEqual(
            READONLY_ACCOUNT_REFS,
          );
          expect(relationTargets(readOnly, 'grantsPermissionSet')).toEqual([
            'resource:default/aws-ps-developerreadonly',
          ]);
          const webProd = await api.entity('resource:default/web-prod');
          expect(relationTargets(webProd, 'accessibleBy')).toEqual([
            'group:default/aws-developers-admin',
            'group:default/aws-developers-poweruser',
            'group:default/aws-developers-readonly',
          ]);
          // groups without AWS assignments get none
          const backendTeam = await api.entity('group:default/backend-team');
          expect(relationTargets(backendTeam, 'hasAccessTo')).toEqual([]);
        });
        expect(conflictWarnings(logger)).toEqual([]);
      } finally {
        await backend.stop();
      }
    });
  },
);

describe('catalog integration: conflict detection (control)', () => {
  it('should see the conflicting-ref warnings that emit mode causes next to msgraph', async () => {
    const awsAccess = new FakeAwsAccess();
    awsAccess.projection = seedProjection({ snapshotVersion: 1 });
    const { backend, api, logger } = await startCatalog('SQLITE_3', {
      awsAccess,
      providerConfig: { mode: 'emit' },
      withMsGraph: true,
    });
    try {
      await eventually(async () => {
        expect(
          await api.entities('kind=resource,spec.type=cloud-account'),
        ).toHaveLength(12);
        expect(conflictWarnings(logger).length).toBeGreaterThan(0);
      });
      // the first writer (msgraph) keeps its entities
      const readOnly = await api.entity(
        'group:default/aws-developers-readonly',
      );
      expect(
        readOnly.metadata.annotations?.['backstage.io/managed-by-location'],
      ).toMatch(/^msgraph:/);
    } finally {
      await backend.stop();
    }
  });
});
