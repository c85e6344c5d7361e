import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { awsAccessServiceRef } from '@aws-access/plugin-aws-access-node';
import { AwsAccessEntityProvider } from './provider/AwsAccessEntityProvider';

/**
 * Projects the aws-access plugin's committed snapshot into the catalog.
 *
 * @public
 */
export const catalogModuleAwsAccessProvider = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'aws-access-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        awsAccess: awsAccessServiceRef,
        processing: catalogProcessingExtensionPoint,
      },
      async init({ config, logger, scheduler, awsAccess, processing }) {
        processing.addEntityProvider(
          AwsAccessEntityProvider.fromConfig(config, { logger, scheduler, awsAccess }),
        );
      },
    });
  },
});
