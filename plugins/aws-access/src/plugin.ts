import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { AwsAccessClient, awsAccessApiRef } from './api';
import { rootRouteRef } from './routes';

/**
 * The AWS access plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const awsAccessPlugin = createPlugin({
  id: 'aws-access',
  apis: [
    createApiFactory({
      api: awsAccessApiRef,
      deps: { fetchApi: fetchApiRef },
      factory: ({ fetchApi }) => new AwsAccessClient({ fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/**
 * "My AWS access": the signed-in engineer's grants with launch links.
 *
 * @public
 */
export const AwsAccessPage = awsAccessPlugin.provide(
  createRoutableExtension({
    name: 'AwsAccessPage',
    component: () => import('./components/AwsAccessPage').then(m => m.AwsAccessPage),
    mountPoint: rootRouteRef,
  }),
);
