import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  TestDatabases,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import msgraphModule, {
  MicrosoftGraphClient,
  readMicrosoftGraphOrg,
  readProviderConfigs,
} from '@backstage/plugin-catalog-backend-module-msgraph';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- end-to-end test: the real backend plugin serves the projection
import awsAccessPlugin from '@aws-access/plugin-aws-access-backend';
import type { Emulators } from '@aws-access/emulators';
import { startEmulators } from '@aws-access/emulators';
import path from 'node:path';
import request from 'supertest';
import { createCapturingLogger } from './__testUtils__/capturingLogger';
import { READONLY_ACCOUNT_REFS } from './__fixtures__/seedProjection';
import { emulatorCaTrusted } from './__testUtils__/emulatorCa';
import { eventually } from './__testUtils__/eventually';
import { catalogModuleAwsAccessProvider } from './module';

/*
 * End to end on the seed org: the emulators (AWS Identity Center + Organizations, Microsoft Graph), the real
 * aws-access backend plugin syncing from them, a real catalog with this module, and in link mode the real msgraph
 * module reading the Graph emulator. The projection reaches the module when the backend announces its first
 * commit (the module's first scheduled fetch answers 503: no snapshot yet).
 *
 * Needs the emulator CA trusted through NODE_EXTRA_CA_CERTS, which `./run test` and `./run test-package` export
 * (Node reads it only at start-up); skipped otherwise.
 */

const describeE2e = emulatorCaTrusted() ? describe : describe.skip;

jest.setTimeout(120_000);

const SEED_SCENARIO = path.resolve(
  __dirname,
  '../../../examples/scenarios/seed-org.yaml',
);
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const schedule = { frequency: { minutes: 30 }, timeout: { minutes: 2 } };

function msgraphProviderConfig(emulators: Emulators) {
  return {
    target: `${emulators.graphBaseUrl}/v1.0`,
    authority: emulators.graphBaseUrl,
    tenantId: emulators.scenario.entra.tenantId,
    user: { loadPhotos: false },
    schedule,
  };
}

async function startWorld(mode: 'emit' | 'link') {
  process.env.AWS_ACCESS_KEY_ID ??= 'AKIAEMULATOR';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'emulator-secret';
  const emulators = await startEmulators({
    scenario: SEED_SCENARIO,
    autoScim: false,
  });
  // the msgraph module authenticates through the managed-identity endpoint the emulator serves (as ./run does)
  process.env.IDENTITY_ENDPOINT = emulators.managedIdentityEndpoint;
  process.env.IDENTITY_HEADER = 'emulator';
  const { scenario } = emulators;
  const logger = createCapturingLogger();
  const knex = await databases.init('SQLITE_3');
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      awsAccessPlugin,
      catalogModuleAwsAccessProvider,
      ...(mode === 'link' ? [msgraphModule] : []),
      eventsServiceFactory,
      mockServices.database.factory({ knex }),
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => logger,
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          catalog: {
            rules: [
              {
                allow: [
                  'Component',
                  'API',
                  'Location',
                  'Resource',
                  'Group',
                  'User',
                  'System',
                ],
              },
            ],
            providers: {
              awsAccess: { mode, schedule },
              ...(mode === 'link'
                ? {
                    microsoftGraphOrg: {
                      default: msgraphProviderConfig(emulators),
                    },
                  }
                : {}),
            },
          },
          awsAccess: {
            identityCenter: {
              region: scenario.identityCenter.region,
              endpoint: emulators.awsEndpoint,
              requestsPerSecond: 1000,
              organizationsRequestsPerSecond: 1000,
              requestTimeout: { seconds: 3 },
            },
            entra: {
              tenantId: scenario.entra.tenantId,
              clientId: '00000000-0000-4000-8000-00000000c11e',
              clientSecret: 'emulator-client-secret',
              authority: emulators.graphBaseUrl,
              graphBaseUrl: emulators.graphBaseUrl,
              awsAppId: scenario.entra.awsApp.appId,
              requestsPerSecond: 1000,
            },
            platformGroups: ['group:default/platform-team'],
            schedule: { frequency: { hours: 1 }, timeout: { minutes: 5 } },
          },
        },
      }),
    ],
  });
  const server = backend.server;
  const api = {
    async entities(filter: string): Promise<Entity[]> {
      const res = await request(server)
        .get('/api/catalog/entities/by-query')
        .query({ filter, limit: 500 });
      expect(res.status).toBe(200);
      return res.body.items;
    },
    async entity(ref: string): Promise<Entity> {
      const [kind, rest] = ref.split(':');
      const res = await request(server).get(
        `/api/catalog/entities/by-name/${kind}/${rest}`,
      );
      if (res.status !== 200) {
        throw new Error(`${ref}: ${res.status}`);
      }
      return res.body;
    },
  };
  const stop = async () => {
    await backend.stop();
    await emulators.close();
  };
  return { emulators, api, logger, stop };
}

const targets = (entity: Entity, type: string) =>
  (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef)
    .sort();

describeE2e(
  'end to end on the seed org (emulators, real aws-access backend)',
  () => {
    it('should project accounts, permission sets, groups and users with msgraph refs in emit mode', async () => {
      const world = await startWorld('emit');
      try {
        const { api } = world;
        await eventually(async () => {
          expect(
            await api.entities('kind=resource,spec.type=cloud-account'),
          ).toHaveLength(12);
          expect(
            await api.entities('kind=resource,spec.type=aws-permission-set'),
          ).toHaveLength(5);
        });

        // what the msgraph module reads from the same tenant
        const msgraph = await readMicrosoftGraphOrg(
          MicrosoftGraphClient.create(
            readProviderConfigs(
              new ConfigReader({
                catalog: {
                  providers: {
                    microsoftGraphOrg: {
                      default: msgraphProviderConfig(world.emulators),
                    },
                  },
                },
              }),
            )[0],
          ),
          world.emulators.scenario.entra.tenantId,
          { loadUserPhotos: false, logger: createCapturingLogger() },
        );
        const msgraphRefs = new Set(
          [...msgraph.users, ...msgraph.groups].map(e => stringifyEntityRef(e)),
        );

        await eventually(async () => {
          const users = (await api.entities('kind=user'))
            .map(e => stringifyEntityRef(e))
            .sort();
          expect(users).toEqual(
            msgraph.users.map(e => stringifyEntityRef(e)).sort(),
          );
          const groups = (await api.entities('kind=group'))
            .map(e => stringifyEntityRef(e))
            .sort();
          expect(groups).toEqual([
            'group:default/aws-data-analysts',
            'group:default/aws-developers-admin',
            'group:default/aws-developers-poweruser',
            'group:default/aws-developers-readonly',
            'group:default/data-team',
          ]);
          for (const ref of groups) {
            expect(msgraphRefs).toContain(ref);
          }
          const readOnly = await api.entity(
            'group:default/aws-developers-readonly',
          );
          expect(targets(readOnly, 'hasAccessTo')).toEqual(
            READONLY_ACCOUNT_REFS,
          );
        });
        expect(
          world.logger.records.filter(r =>
            /conflicting entityRef/i.test(r.message),
          ),
        ).toEqual([]);
      } finally {
        await world.stop();
      }
    });

    it('should link to the msgraph module in link mode with no conflicting refs and the same relations', async () => {
      const world = await startWorld('link');
      try {
        const { api } = world;
        await eventually(async () => {
          expect(
            await api.entities('kind=resource,spec.type=cloud-account'),
          ).toHaveLength(12);
          expect(
            await api.entities('kind=resource,spec.type=aws-permission-set'),
          ).toHaveLength(5);
          const readOnly = await api.entity(
            'group:default/aws-developers-readonly',
          );
          expect(
            readOnly.metadata.annotations?.['backstage.io/managed-by-location'],
          ).toMatch(/^msgraph:/);
          expect(targets(readOnly, 'hasAccessTo')).toEqual(
            READONLY_ACCOUNT_REFS,
          );
          expect(targets(readOnly, 'grantsPermissionSet')).toEqual([
            'resource:default/aws-ps-developerreadonly',
          ]);
        });
        for (const entity of [
          ...(await api.entities('kind=user')),
          ...(await api.entities('kind=group')),
        ]) {
          expect(
            entity.metadata.annotations?.['backstage.io/managed-by-location'],
          ).toMatch(/^msgraph:/);
        }
        expect(
          world.logger.records.filter(r =>
            /conflicting entityRef/i.test(r.message),
          ),
        ).toEqual([]);
      } finally {
        await world.stop();
      }
    });
  },
);
