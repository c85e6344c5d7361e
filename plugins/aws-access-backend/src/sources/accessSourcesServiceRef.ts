import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { readAwsAccessConfig } from '../config/readAwsAccessConfig';
import type { Readers } from './createAccessSources';
import { createSnapshotSources } from './createAccessSources';

/**
 * The readers of Entra and Identity Center as a plugin-scoped service: the real ones by default, replaceable
 * in tests with `createServiceFactory({ service: snapshotSourcesServiceRef, ... })`.
 */
export const snapshotSourcesServiceRef = createServiceRef<Readers>({
  id: 'aws-access.sources',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { rootConfig: coreServices.rootConfig },
      factory: ({ rootConfig }) =>
        createSnapshotSources({
          rootConfig,
          config: readAwsAccessConfig(rootConfig),
        }),
    }),
});
