import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { awsAccessPermissions } from '@aws-access/plugin-aws-access-common';
import { createRouter } from './router';

/**
 * Serves engineers' AWS access and keeps it in sync with Entra ID and IAM Identity Center.
 *
 * @public
 */
export const awsAccessPlugin = createBackendPlugin({
  pluginId: 'aws-access',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init({ httpRouter, httpAuth, permissionsRegistry }) {
        permissionsRegistry.addPermissions(awsAccessPermissions);
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        httpRouter.use(await createRouter({ httpAuth }));
      },
    });
  },
});
