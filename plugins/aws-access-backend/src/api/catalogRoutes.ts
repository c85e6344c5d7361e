import { awsAccessAllReadPermission } from '@aws-access/plugin-aws-access-common';
import type { ApiContext, AwsAccessRouter } from './ApiContext';
import { catalogProjection } from './views/catalogProjection';

/** What the catalog module projects into the catalog: the committed snapshot as accounts, groups and relations. */
export function catalogRoutes(router: AwsAccessRouter, api: ApiContext) {
  router.get('/catalog/projection', async (req, res) => {
    // The catalog module reads as a service (read-all is its route permission); a user needs read-all too.
    const caller = await api.access.caller(req);
    await api.requirePermission(
      caller,
      awsAccessAllReadPermission,
      'read the catalog projection',
    );
    res.json(catalogProjection(await api.currentIndex()));
  });
}
