import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type {
  CatalogProcessor,
  EntityProvider,
} from '@backstage/plugin-catalog-node';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { awsAccessServiceRef } from '@aws-access/plugin-aws-access-node';
import { catalogModuleAwsAccessProvider } from './module';

const fakeAwsAccess = createServiceFactory({
  service: awsAccessServiceRef,
  deps: {},
  factory: () => ({
    getCatalogProjection: jest
      .fn()
      .mockRejectedValue(new Error('no snapshot yet')),
    getSyncStatus: jest.fn(),
    planAccountBaseline: jest.fn(),
    applyAccountBaseline: jest.fn(),
  }),
});

describe('catalogModuleAwsAccessProvider', () => {
  it('registers one provider with a stable name and its relations processor', async () => {
    const providers: EntityProvider[] = [];
    const processors: CatalogProcessor[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          catalogProcessingExtensionPoint,
          {
            addEntityProvider: (p: EntityProvider) => providers.push(p),
            addProcessor: (p: CatalogProcessor) => processors.push(p),
          },
        ],
      ],
      features: [catalogModuleAwsAccessProvider, fakeAwsAccess],
    });

    expect(providers.map(p => p.getProviderName())).toEqual([
      'AwsAccessEntityProvider:default',
    ]);
    expect(processors.map(p => p.getProcessorName())).toEqual([
      'AwsAccessRelationsProcessor',
    ]);
  });

  it('fails to start with an error naming the invalid config key', async () => {
    await expect(
      startTestBackend({
        extensionPoints: [
          [
            catalogProcessingExtensionPoint,
            { addEntityProvider: jest.fn(), addProcessor: jest.fn() },
          ],
        ],
        features: [
          catalogModuleAwsAccessProvider,
          fakeAwsAccess,
          mockServices.rootConfig.factory({
            data: { catalog: { providers: { awsAccess: { mode: 'mirror' } } } },
          }),
        ],
      }),
    ).rejects.toThrow(/catalog\.providers\.awsAccess\.mode/);
  });
});
