import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import type { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- end-to-end test: the real backend plugin serves the projection
import awsAccessPlugin from '@aws-access/plugin-aws-access-backend';
import {
  HOSTILE_SCENARIO,
  createCapturingLogger,
  emulatorCaTrusted,
  emulatorConfigData,
  eventually,
  startTestEmulators,
} from '@aws-access/test-utils';
import request from 'supertest';
import { catalogApi } from './__testUtils__/catalogApi';
import { catalogModuleAwsAccessProvider } from './module';

/*
 * Issue 11 in the catalog, on SQLite and PostgreSQL: the real aws-access backend syncing hostile upstream data
 * from the emulators (examples/scenarios/hostile-org.yaml), a real catalog with this module in emit mode.
 *   - Hostile names: the batch is applied; look-alike account names are told apart, the two groups that
 *     normalize to group:default/team_a give one entity, invalid names are skipped with a warning, nothing else
 *     is lost, and every ref is unique.
 *   - Faults: while syncs fail (Graph 500s beyond the retries, a truncated AWS page), the projection endpoint
 *     keeps serving the previous version and the catalog's entities stay exactly as they were, although the
 *     upstream changed. Once the fault is gone the change arrives.
 */

const describeWithEmulators = emulatorCaTrusted() ? describe : describe.skip;

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const SYNC_TASK = 'aws-access-sync';
const REFRESH_TASK = 'AwsAccessEntityProvider:default:refresh';

async function startWorld(databaseId: TestDatabaseId) {
  const emulators = await startTestEmulators(HOSTILE_SCENARIO);
  const logger = createCapturingLogger();
  const scheduler = mockServices.scheduler();
  // Each plugin its own database (SQLite) or schema (PostgreSQL), as in production: two plugins migrating one
  // PostgreSQL schema at the same time race on creating knex_migrations.
  const database =
    databaseId === 'SQLITE_3'
      ? { client: 'better-sqlite3', connection: ':memory:' }
      : {
          client: 'pg',
          connection: (await databases.init(databaseId)).client.config
            .connection,
          pluginDivisionMode: 'schema',
        };
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      awsAccessPlugin,
      catalogModuleAwsAccessProvider,
      eventsServiceFactory,
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: () => scheduler,
      }),
      databaseServiceFactory,
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => logger,
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          backend: { database },
          catalog: {
            rules: [{ allow: ['Resource', 'Group', 'User', 'Location'] }],
            providers: {
              awsAccess: {
                mode: 'emit',
                schedule: {
                  frequency: { minutes: 30 },
                  timeout: { minutes: 2 },
                },
              },
            },
          },
          ...emulatorConfigData(emulators, {
            retries: { maxAttempts: 2, baseDelay: { milliseconds: 5 } },
            schedule: { frequency: { hours: 1 }, timeout: { minutes: 5 } },
          }),
        },
      }),
    ],
  });
  // the mock scheduler runs tasks only when triggered: the first sync and refresh, as the schedule would at start
  await scheduler.triggerTask(SYNC_TASK);
  await scheduler.triggerTask(REFRESH_TASK);

  const server = backend.server;
  const api = {
    ...catalogApi(server),
    /** Everything this module emitted, as comparable text: ref, spec and relations. */
    async projected(): Promise<Record<string, string>> {
      const all = [
        ...(await api.entities('kind=resource')),
        ...(await api.entities('kind=group')),
        ...(await api.entities('kind=user')),
      ].filter(e =>
        e.metadata.annotations?.[
          'backstage.io/managed-by-location'
        ]?.startsWith('aws-access:'),
      );
      return Object.fromEntries(
        all
          .map(
            e =>
              [
                stringifyEntityRef(e),
                JSON.stringify({
                  title: e.metadata.title,
                  spec: e.spec,
                  relations: [...(e.relations ?? [])]
                    .map(r => `${r.type} ${r.targetRef}`)
                    .sort(),
                }),
              ] as const,
          )
          .sort(([a], [b]) => a.localeCompare(b)),
      );
    },
    async projection() {
      const res = await request(server)
        .get('/api/aws-access/catalog/projection')
        .set('Authorization', mockCredentials.service.header());
      expect(res.status).toBe(200);
      return res.body;
    },
    async syncStatus() {
      const res = await request(server)
        .get('/api/aws-access/sync/status')
        .set('Authorization', mockCredentials.service.header());
      return res.body;
    },
  };
  const stop = async () => {
    await backend.stop();
    await emulators.close();
  };
  return { emulators, api, logger, scheduler, stop };
}

describeWithEmulators.each(databases.eachSupportedId())(
  'hostile data and failing syncs, real backend and catalog (%s)',
  databaseId => {
    it('should apply the whole hostile batch, and keep every entity while syncs fail', async () => {
      const world = await startWorld(databaseId);
      try {
        const { api, emulators, scheduler, logger } = world;
        const { scenario } = emulators;

        // ---- hostile names: the batch arrives, look-alikes are told apart, refs are unique
        const accounts = await eventually(async () => {
          const found = await api.entities(
            'kind=resource,spec.type=cloud-account',
          );
          expect(found).toHaveLength(scenario.identityCenter.accounts.length);
          return found;
        });
        const names = accounts.map(a => a.metadata.name);
        expect(new Set(names).size).toBe(names.length);
        expect(names).toEqual(
          expect.arrayContaining([
            'payments-prod',
            'payments-prod-300000000003',
            'script-alert-1---script',
          ]),
        );
        expect(
          accounts.find(a => a.metadata.name === 'payments-prod-300000000003')
            ?.metadata.title,
        ).toBe('Payments Prod');
        await eventually(async () => {
          expect(
            await api.entities('kind=resource,spec.type=aws-permission-set'),
          ).toHaveLength(scenario.identityCenter.permissionSets.length);
        });

        const projection = await api.projection();
        const skippedGroups = projection.entraGroups.filter(
          (g: { displayName: string }) =>
            g.displayName.length === 256 || g.displayName.startsWith('=cmd'),
        );
        expect(skippedGroups).toHaveLength(2);
        const teamA = projection.entraGroups
          .filter((g: { displayName: string }) =>
            ['Team A', 'team_a'].includes(g.displayName),
          )
          .sort((a: { id: string }, b: { id: string }) =>
            a.id.localeCompare(b.id),
          );
        expect(teamA).toHaveLength(2);
        const before = await eventually(async () => {
          const emitted = await api.projected();
          const groups = Object.keys(emitted).filter(r =>
            r.startsWith('group:'),
          );
          // every group but the invalid names and the second of the two look-alikes
          expect(groups).toHaveLength(projection.entraGroups.length - 3);
          expect(
            Object.keys(emitted).filter(r => r.startsWith('user:')),
          ).toHaveLength(
            // the msgraph module (and so this one) leaves disabled users out
            projection.entraUsers.filter(
              (u: { accountEnabled?: boolean }) => u.accountEnabled !== false,
            ).length,
          );
          return emitted;
        });
        // the kept team_a is the group with the smaller id (the one the backend answers for that ref, too)
        const teamARef = JSON.parse(before['group:default/team_a']);
        expect(teamARef.spec.profile.displayName).toBe(teamA[0].displayName);
        const warnings = logger.records
          .filter(
            r => r.level === 'warn' && /aws-access projection/.test(r.message),
          )
          .map(r => r.message);
        expect(warnings).toEqual(
          expect.arrayContaining([
            expect.stringMatching(
              new RegExp(
                `group ${teamA[1].id}: entity name 'team_a' is already used`,
              ),
            ),
            expect.stringMatching(/is not valid; skipped/),
            expect.stringMatching(/normalizes to 'payments-prod'/),
          ]),
        );

        // ---- faults: the upstream changes, but every sync fails; nothing the catalog shows changes
        await emulators.control.createAccount({
          id: '300000000009',
          name: 'arrives-after-the-faults',
          email: 'aws+late@example.com',
        });
        const faults: Array<
          Parameters<typeof emulators.control.injectFault>[0]
        > = [
          {
            service: 'graph',
            operation: '/v1.0/groups/delta',
            kind: 'http500',
            times: 100,
          },
          {
            service: 'organizations',
            operation: 'ListAccounts',
            kind: 'truncated',
          },
          {
            service: 'sso-admin',
            operation: 'ListAccountAssignments',
            kind: 'reset',
            atCall: 5,
            times: 100,
          },
        ];
        for (const fault of faults) {
          await emulators.control.clearFaults();
          await emulators.control.injectFault(fault);
          await scheduler.triggerTask(SYNC_TASK);
          const status = await api.syncStatus();
          expect(status.lastRun).toMatchObject({
            outcome: 'failed',
            error: { source: fault.service },
          });
          expect(status.snapshotVersion).toBe(projection.snapshotVersion);
          expect(await api.projection()).toEqual(projection);
          await scheduler.triggerTask(REFRESH_TASK);
          expect(await api.projected()).toEqual(before);
        }

        // ---- the fault is gone: the change arrives
        await emulators.control.clearFaults();
        await scheduler.triggerTask(SYNC_TASK);
        expect((await api.syncStatus()).lastRun).toMatchObject({
          outcome: 'succeeded',
        });
        await eventually(async () => {
          expect(Object.keys(await api.projected())).toContain(
            'resource:default/arrives-after-the-faults',
          );
        });
      } finally {
        await world.stop();
      }
    });
  },
);
