import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import CloudIcon from '@material-ui/icons/Cloud';
import AssignmentIcon from '@material-ui/icons/AssignmentTurnedIn';
import RateReviewIcon from '@material-ui/icons/RateReview';
import SettingsInputComponentIcon from '@material-ui/icons/SettingsInputComponent';
import {
  RESOURCE_TYPE_AWS_PERMISSION_SET,
  RESOURCE_TYPE_CLOUD_ACCOUNT,
} from '@aws-access/plugin-aws-access-common';
import { AwsAccessClient, awsAccessApiRef } from './api';
import {
  platformRouteRef,
  requestsRouteRef,
  reviewsRouteRef,
  rootRouteRef,
} from './routes';

const awsAccessApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: awsAccessApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AwsAccessClient({ discoveryApi, fetchApi }),
    }),
});

/** `page:aws-access`: "My AWS access" (nav item). */
const myAccessPage = PageBlueprint.make({
  params: {
    path: '/aws-access',
    routeRef: rootRouteRef,
    title: 'My AWS access',
    icon: <CloudIcon fontSize="inherit" />,
    loader: () =>
      import('./components/AwsAccessPage').then(m => <m.AwsAccessPageBody />),
  },
});

/**
 * `page:aws-access/platform`: the platform board. Its nav item shows for everybody unless the app wraps it, e.g.
 * `<RequireAwsPlatformAccess>{nav.take('page:aws-access/platform')}</RequireAwsPlatformAccess>`; the board itself
 * checks `aws-access.all.read`.
 */
const platformPage = PageBlueprint.make({
  name: 'platform',
  params: {
    path: '/aws-access/platform',
    routeRef: platformRouteRef,
    title: 'AWS platform',
    icon: <SettingsInputComponentIcon fontSize="inherit" />,
    loader: () =>
      import('./components/AwsPlatformPage').then(m => (
        <m.AwsPlatformPageBody />
      )),
  },
});

/**
 * `page:aws-access/requests`: my access requests and those to approve (nav item "AWS access requests"); the
 * notifications link to `/aws-access/requests?request=<id>`.
 */
const requestsPage = PageBlueprint.make({
  name: 'requests',
  params: {
    path: '/aws-access/requests',
    routeRef: requestsRouteRef,
    title: 'AWS access requests',
    icon: <AssignmentIcon fontSize="inherit" />,
    loader: () =>
      import('./components/AwsAccessRequestsPage').then(m => (
        <m.AwsAccessRequestsPageBody />
      )),
  },
});

/**
 * `page:aws-access/reviews`: access reviews (nav item "AWS access reviews"): the reviewer's open items and, for
 * the platform team, the campaigns.
 */
const reviewsPage = PageBlueprint.make({
  name: 'reviews',
  params: {
    path: '/aws-access/reviews',
    routeRef: reviewsRouteRef,
    title: 'AWS access reviews',
    icon: <RateReviewIcon fontSize="inherit" />,
    loader: () =>
      import('./components/AwsAccessReviewsPage').then(m => (
        <m.AwsAccessReviewsPageBody />
      )),
  },
});

/** `entity-card:aws-access/user-access` on User pages. */
const userAccessCard = EntityCardBlueprint.make({
  name: 'user-access',
  params: {
    filter: { kind: 'user' },
    loader: () =>
      import('./components/EntityAwsAccessCard').then(m => (
        <m.EntityAwsAccessCard />
      )),
  },
});

/** `entity-card:aws-access/team-access` on Group pages. */
const teamAccessCard = EntityCardBlueprint.make({
  name: 'team-access',
  params: {
    type: 'content',
    filter: { kind: 'group' },
    loader: () =>
      import('./components/EntityAwsTeamAccessCard').then(m => (
        <m.EntityAwsTeamAccessCard />
      )),
  },
});

/** `entity-card:aws-access/account-access` on `cloud-account` Resource pages. */
const accountAccessCard = EntityCardBlueprint.make({
  name: 'account-access',
  params: {
    filter: { kind: 'resource', 'spec.type': RESOURCE_TYPE_CLOUD_ACCOUNT },
    loader: () =>
      import('./components/EntityAwsAccountAccessCard').then(m => (
        <m.EntityAwsAccountAccessCard />
      )),
  },
});

/** `entity-card:aws-access/permission-set` on `aws-permission-set` Resource pages. */
const permissionSetCard = EntityCardBlueprint.make({
  name: 'permission-set',
  params: {
    filter: { kind: 'resource', 'spec.type': RESOURCE_TYPE_AWS_PERMISSION_SET },
    loader: () =>
      import('./components/EntityAwsPermissionSetCard').then(m => (
        <m.EntityAwsPermissionSetCard />
      )),
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
  routes: {
    root: rootRouteRef,
    platform: platformRouteRef,
    requests: requestsRouteRef,
    reviews: reviewsRouteRef,
  },
  extensions: [
    awsAccessApi,
    myAccessPage,
    platformPage,
    requestsPage,
    reviewsPage,
    userAccessCard,
    teamAccessCard,
    accountAccessCard,
    permissionSetCard,
  ],
});

export { awsAccessTranslationRef } from './translation';
export { RequireAwsPlatformAccess } from './components/RequireAwsPlatformAccess';
