import { createServiceFactory } from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { awsAccessServiceRef } from '@aws-access/plugin-aws-access-node';
import { scaffolderModuleAwsAccess } from './module';

describe('scaffolderModuleAwsAccess', () => {
  it('registers the apply-baseline action', async () => {
    const actions: Array<{ id: string }> = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          {
            addActions: (...added: Array<{ id: string }>) =>
              actions.push(...added),
          },
        ],
      ],
      features: [
        scaffolderModuleAwsAccess,
        createServiceFactory({
          service: awsAccessServiceRef,
          deps: {},
          factory: () => ({
            getCatalogProjection: jest.fn(),
            getSyncStatus: jest.fn(),
            planAccountBaseline: jest.fn(),
            applyAccountBaseline: jest.fn(),
          }),
        }),
      ],
    });
    expect(actions.map(a => a.id)).toEqual([
      'aws-access:account:apply-baseline',
    ]);
  });
});
