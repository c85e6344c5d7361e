import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import msgraphModule from '@backstage/plugin-catalog-backend-module-msgraph';
import type { AddressInfo } from 'node:net';
import { eventually, startSeed } from './__testUtils__/clients';
import type { Emulators } from './startEmulators';

/*
 * The upstream msgraph catalog module, unchanged, ingests the seed organization from the Graph emulator. Per the
 * protocols addendum it runs without clientId/clientSecret, so DefaultAzureCredential takes its managed-identity
 * leg (App Service style: IDENTITY_ENDPOINT + IDENTITY_HEADER), which the emulator serves at /msi/token.
 */

jest.setTimeout(60_000);

describe('upstream msgraph catalog module against the Graph emulator', () => {
  let emulators: Emulators;
  const saved = {
    endpoint: process.env.IDENTITY_ENDPOINT,
    header: process.env.IDENTITY_HEADER,
  };

  beforeAll(async () => {
    emulators = await startSeed();
    process.env.IDENTITY_ENDPOINT = emulators.managedIdentityEndpoint;
    process.env.IDENTITY_HEADER = 'emulator';
  });
  afterAll(async () => {
    process.env.IDENTITY_ENDPOINT = saved.endpoint;
    process.env.IDENTITY_HEADER = saved.header;
    if (saved.endpoint === undefined) delete process.env.IDENTITY_ENDPOINT;
    if (saved.header === undefined) delete process.env.IDENTITY_HEADER;
    await emulators.close();
  });

  it('should ingest the seed users and groups with the refs our contract expects', async () => {
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        msgraphModule,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              providers: {
                microsoftGraphOrg: {
                  seed: {
                    target: `${emulators.graphBaseUrl}/v1.0`,
                    authority: emulators.graphBaseUrl,
                    tenantId: emulators.scenario.entra.tenantId,
                    user: { loadPhotos: false },
                    schedule: {
                      frequency: { minutes: 30 },
                      timeout: { minutes: 3 },
                    },
                  },
                },
              },
            },
          },
        }),
      ],
    });
    try {
      const { port } = backend.server.address() as AddressInfo;
      const list = async (kind: string): Promise<Entity[]> => {
        const response = await fetch(
          `http://127.0.0.1:${port}/api/catalog/entities/by-query?filter=kind=${kind}&limit=100`,
        );
        return response.ok ? (await response.json()).items : [];
      };
      const users = await eventually(async () => {
        const found = await list('user');
        return found.length >= 8 ? found : undefined;
      }, 45_000);
      const groups = await eventually(async () => {
        const found = await list('group');
        return found.length >= 8 ? found : undefined;
      }, 45_000);
      const ref = (e: Entity) =>
        `${e.kind.toLowerCase()}:${e.metadata.namespace ?? 'default'}/${
          e.metadata.name
        }`;

      // Alex is disabled in Entra, and the module leaves disabled users out.
      expect(users.map(ref).sort()).toEqual(
        ['aamir', 'maria', 'noah', 'olu', 'priya', 'sara', 'shen.li', 'tom']
          .map(n => `user:default/${n}_example.com`)
          .sort(),
      );
      expect(groups.map(ref)).toEqual(
        expect.arrayContaining([
          'group:default/aws-developers-readonly',
          'group:default/aws-developers-poweruser',
          'group:default/aws-developers-admin',
          'group:default/aws-data-analysts',
          'group:default/data-team',
          'group:default/backend-team',
          'group:default/platform-team',
          'group:default/example.com',
        ]),
      );
      const aamir = users.find(u => u.metadata.name === 'aamir_example.com')!;
      expect(aamir.metadata.annotations).toMatchObject({
        'graph.microsoft.com/user-id': emulators.scenario.entra.users.find(
          u => u.upn === 'aamir@example.com',
        )!.id,
        'microsoft.com/email': 'aamir@example.com',
      });
      const memberOf = (aamir.relations ?? [])
        .filter(r => r.type === 'memberOf')
        .map(r => r.targetRef);
      expect(memberOf.sort()).toEqual([
        'group:default/aws-developers-readonly',
        'group:default/backend-team',
      ]);
      // Nesting: Data-Team is a child of AWS-Data-Analysts.
      const analysts = groups.find(
        g => g.metadata.name === 'aws-data-analysts',
      )!;
      expect((analysts.spec as { children: string[] }).children).toEqual([
        'group:default/data-team',
      ]);

      const counters = await emulators.control.getCounters();
      expect(counters.login['GET /msi/token']).toBeGreaterThanOrEqual(1);
      expect(counters.graph['GET /v1.0/users']).toBeGreaterThanOrEqual(1);
      expect(counters.graph['GET /v1.0/groups/{id}/members']).toBe(8);
    } finally {
      await backend.stop();
    }
  });
});
