import { createRouteRef } from '@backstage/core-plugin-api';

/** The "My AWS access" page. */
export const rootRouteRef = createRouteRef({ id: 'aws-access' });
