import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { CatalogProjection, SyncStatus } from '@aws-access/plugin-aws-access-common';
import { DefaultAwsAccessService } from './DefaultAwsAccessService';

/**
 * A typed client of the aws-access backend for other backend features (the catalog module, scaffolder actions).
 *
 * @public
 */
export interface AwsAccessService {
  /** The committed snapshot shaped for the catalog. Fails (never returns partial data) when none exists yet. */
  getCatalogProjection(options?: { credentials?: BackstageCredentials }): Promise<CatalogProjection>;
  /** Sync and provisioning status. */
  getSyncStatus(options?: { credentials?: BackstageCredentials }): Promise<SyncStatus>;
}

/**
 * Service ref of {@link AwsAccessService}; the default factory calls the backend plugin over HTTP with
 * service-to-service auth.
 *
 * @public
 */
export const awsAccessServiceRef = createServiceRef<AwsAccessService>({
  id: 'aws-access.client',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { auth: coreServices.auth, discovery: coreServices.discovery },
      factory: ({ auth, discovery }) => DefaultAwsAccessService.create({ auth, discovery }),
    }),
});
