import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { readAwsAccessConfig } from '../config/readAwsAccessConfig';
import { createAccessSources } from './createAccessSources';
import type { AccessSources } from './ports';

/**
 * The sources of Entra and Identity Center as a plugin-scoped service: the real ones by default, replaceable
 * in tests with `createServiceFactory({ service: accessSourcesServiceRef, ... })`.
 */
export const accessSourcesServiceRef = createServiceRef<AccessSources>({
  id: 'aws-access.sources',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { rootConfig: coreServices.rootConfig },
      factory: ({ rootConfig }) =>
        createAccessSources({
          rootConfig,
          config: readAwsAccessConfig(rootConfig),
        }),
    }),
});
