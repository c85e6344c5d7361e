import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { awsAccessServiceRef } from '@aws-access/plugin-aws-access-node';
import { AwsAccessEntityProvider } from './provider/AwsAccessEntityProvider';

/**
 * Projects the aws-access plugin's committed snapshot into the catalog: `cloud-account` and
 * `aws-permission-set` Resources, in emit mode the Entra groups and users, and access relations.
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
        events: eventsServiceRef,
        processing: catalogProcessingExtensionPoint,
      },
      async init({ config, logger, scheduler, awsAccess, events, processing }) {
        const provider = AwsAccessEntityProvider.fromConfig(config, {
          logger,
          scheduler,
          awsAccess,
          events,
        });
        processing.addEntityProvider(provider);
        processing.addProcessor(provider.getRelationsProcessor());
      },
    });
  },
});
