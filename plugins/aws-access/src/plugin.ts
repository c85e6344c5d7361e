import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { AwsAccessClient, awsAccessApiRef } from './api';
import {
  platformRouteRef,
  requestsRouteRef,
  reviewsRouteRef,
  rootRouteRef,
} from './routes';

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
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AwsAccessClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    platform: platformRouteRef,
    requests: requestsRouteRef,
    reviews: reviewsRouteRef,
  },
});

/**
 * "My AWS access": the signed-in engineer's grants with launch links, sync banner, CLI config and timeline.
 * Mount at `/aws-access`.
 *
 * @public
 */
export const AwsAccessPage = awsAccessPlugin.provide(
  createRoutableExtension({
    name: 'AwsAccessPage',
    component: () =>
      import('./components/AwsAccessPage').then(m => m.AwsAccessPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The platform board (needs `aws-access.all.read`). Mount at `/aws-access/platform`.
 *
 * @public
 */
export const AwsPlatformPage = awsAccessPlugin.provide(
  createRoutableExtension({
    name: 'AwsPlatformPage',
    component: () =>
      import('./components/AwsPlatformPage').then(m => m.AwsPlatformPage),
    mountPoint: platformRouteRef,
  }),
);

/**
 * Access requests: *My requests* with *Request access*, and *To approve* for approvers. Mount at
 * `/aws-access/requests`; notifications link to `/aws-access/requests?request=<id>`.
 *
 * @public
 */
export const AwsAccessRequestsPage = awsAccessPlugin.provide(
  createRoutableExtension({
    name: 'AwsAccessRequestsPage',
    component: () =>
      import('./components/AwsAccessRequestsPage').then(
        m => m.AwsAccessRequestsPage,
      ),
    mountPoint: requestsRouteRef,
  }),
);

/**
 * Access reviews: the signed-in reviewer's open items by campaign and group (members × accounts, what each
 * membership gives, how they got it; keep, remove, delegate), and for the platform team
 * (`aws-access.review.manage`) the campaigns with progress and evidence export. Mount at `/aws-access/reviews`.
 *
 * @public
 */
export const AwsAccessReviewsPage = awsAccessPlugin.provide(
  createRoutableExtension({
    name: 'AwsAccessReviewsPage',
    component: () =>
      import('./components/AwsAccessReviewsPage').then(
        m => m.AwsAccessReviewsPage,
      ),
    mountPoint: reviewsRouteRef,
  }),
);

/**
 * A user's AWS access, for User entity pages.
 *
 * @public
 */
export const EntityAwsAccessCard = awsAccessPlugin.provide(
  createComponentExtension({
    name: 'EntityAwsAccessCard',
    component: {
      lazy: () =>
        import('./components/EntityAwsAccessCard').then(
          m => m.EntityAwsAccessCard,
        ),
    },
  }),
);

/**
 * A team's members × accounts matrix with CSV export, for Group entity pages.
 *
 * @public
 */
export const EntityAwsTeamAccessCard = awsAccessPlugin.provide(
  createComponentExtension({
    name: 'EntityAwsTeamAccessCard',
    component: {
      lazy: () =>
        import('./components/EntityAwsTeamAccessCard').then(
          m => m.EntityAwsTeamAccessCard,
        ),
    },
  }),
);

/**
 * Who can reach an AWS account, for `cloud-account` Resource pages (see {@link isAwsAccount}).
 *
 * @public
 */
export const EntityAwsAccountAccessCard = awsAccessPlugin.provide(
  createComponentExtension({
    name: 'EntityAwsAccountAccessCard',
    component: {
      lazy: () =>
        import('./components/EntityAwsAccountAccessCard').then(
          m => m.EntityAwsAccountAccessCard,
        ),
    },
  }),
);

/**
 * A permission set's definition and assignments, for `aws-permission-set` Resource pages (see
 * {@link isAwsPermissionSet}).
 *
 * @public
 */
export const EntityAwsPermissionSetCard = awsAccessPlugin.provide(
  createComponentExtension({
    name: 'EntityAwsPermissionSetCard',
    component: {
      lazy: () =>
        import('./components/EntityAwsPermissionSetCard').then(
          m => m.EntityAwsPermissionSetCard,
        ),
    },
  }),
);
