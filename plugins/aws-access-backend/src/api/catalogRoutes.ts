import { awsAccessAllReadPermission } from '@aws-access/plugin-aws-access-common';
import type { ApiContext, AwsAccessRouter } from './ApiContext';
import { runInSlices } from '../snapshot/slices';
import { streamJson } from './streamJson';
import { catalogProjectionSliced } from './views/catalogProjection';

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
    // Tens of MB at 100,000 people: built and written in slices, so the backend serves other requests meanwhile.
    const projection = await runInSlices(
      catalogProjectionSliced(await api.currentIndex()),
    );
    await streamJson(res, projection);
  });
}
