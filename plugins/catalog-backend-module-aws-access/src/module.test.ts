import { createServiceFactory } from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import { EntityProvider, catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { awsAccessServiceRef } from '@aws-access/plugin-aws-access-node';
import { catalogModuleAwsAccessProvider } from './module';

describe('catalogModuleAwsAccessProvider', () => {
  it('registers one provider with a stable name', async () => {
    const providers: EntityProvider[] = [];
    await startTestBackend({
      extensionPoints: [
        [catalogProcessingExtensionPoint, { addEntityProvider: (p: EntityProvider) => providers.push(p) }],
      ],
      features: [
        catalogModuleAwsAccessProvider,
        createServiceFactory({
          service: awsAccessServiceRef,
          deps: {},
          factory: () => ({
            getCatalogProjection: jest.fn(),
            getSyncStatus: jest.fn(),
          }),
        }),
      ],
    });

    expect(providers.map(p => p.getProviderName())).toEqual(['AwsAccessEntityProvider:default']);
  });
});
