import { createRouteRef } from '@backstage/core-plugin-api';

/** "My AWS access" (`/aws-access`). */
export const rootRouteRef = createRouteRef({ id: 'aws-access' });

/** The platform board (`/aws-access/platform`). */
export const platformRouteRef = createRouteRef({ id: 'aws-access:platform' });

/** Access requests: mine and those to approve (`/aws-access/requests`, deep link `?request=<id>`). */
export const requestsRouteRef = createRouteRef({ id: 'aws-access:requests' });

/** Access reviews: the reviewer's open items and, for the platform team, the campaigns (`/aws-access/reviews`). */
export const reviewsRouteRef = createRouteRef({ id: 'aws-access:reviews' });
