import { fetchApiRef } from '@backstage/core-plugin-api';
import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
} from '@backstage/frontend-plugin-api';
import CloudIcon from '@material-ui/icons/Cloud';
import { AwsAccessClient, awsAccessApiRef } from './api';
import { rootRouteRef } from './routes';

const awsAccessApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: awsAccessApiRef,
      deps: { fetchApi: fetchApiRef },
      factory: ({ fetchApi }) => new AwsAccessClient({ fetchApi }),
    }),
});

const awsAccessPage = PageBlueprint.make({
  params: {
    path: '/aws-access',
    routeRef: rootRouteRef,
    title: 'My AWS access',
    icon: <CloudIcon fontSize="inherit" />,
    loader: () => import('./components/AwsAccessPage').then(m => <m.AwsAccessPage />),
  },
});

/**
 * The AWS access plugin for apps on the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'aws-access',
  title: 'AWS access',
  icon: <CloudIcon fontSize="inherit" />,
  info: { packageJson: () => import('../package.json') },
  routes: { root: rootRouteRef },
  extensions: [awsAccessApi, awsAccessPage],
});
