import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
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
import {
  createCapturingLogger,
  emulatorCaTrusted,
  emulatorConfigData,
  eventually,
  startTestEmulators,
} from '@aws-access/test-utils';
import {
  CATALOG_RULES,
  catalogApi,
  relationTargets,
} from './__testUtils__/catalogApi';
import { READONLY_ACCOUNT_REFS } from './__fixtures__/seedProjection';
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
  const emulators = await startTestEmulators();
  // the msgraph module authenticates through the managed-identity endpoint the emulator serves (as ./run does)
  process.env.IDENTITY_ENDPOINT = emulators.managedIdentityEndpoint;
  process.env.IDENTITY_HEADER = 'emulator';
  const logger = createCapturingLogger();
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      awsAccessPlugin,
      catalogModuleAwsAccessProvider,
      ...(mode === 'link' ? [msgraphModule] : []),
      eventsServiceFactory,
      // Each plugin its own in-memory SQLite, as Backstage divides databases (both plugins run migrations).
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => logger,
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          catalog: {
            rules: CATALOG_RULES,
            providers: {
              awsAccess: { mode, schedule, relations: 'all' },
              ...(mode === 'link'
                ? {
                    microsoftGraphOrg: {
                      default: msgraphProviderConfig(emulators),
                    },
                  }
                : {}),
            },
          },
          ...emulatorConfigData(emulators, {
            schedule: { frequency: { hours: 1 }, timeout: { minutes: 5 } },
          }),
        },
      }),
    ],
  });
  const api = catalogApi(backend.server);
  const stop = async () => {
    await backend.stop();
    await emulators.close();
  };
  return { emulators, api, logger, stop };
}

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
            'group:default/aws-payments-prod-admin',
            'group:default/data-team',
          ]);
          for (const ref of groups) {
            expect(msgraphRefs).toContain(ref);
          }
          const readOnly = await api.entity(
            'group:default/aws-developers-readonly',
          );
          expect(relationTargets(readOnly, 'hasAccessTo')).toEqual(
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
          expect(relationTargets(readOnly, 'hasAccessTo')).toEqual(
            READONLY_ACCOUNT_REFS,
          );
          expect(relationTargets(readOnly, 'grantsPermissionSet')).toEqual([
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
