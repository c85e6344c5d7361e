import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import type {
  ApplyResult,
  CatalogProjection,
  OnboardingPlan,
  SyncStatus,
} from '@aws-access/plugin-aws-access-common';
import { DefaultAwsAccessService } from './DefaultAwsAccessService';

/**
 * A typed client of the aws-access backend for other backend features (the catalog module, scaffolder actions).
 *
 * @public
 */
export interface AwsAccessService {
  /** The committed snapshot shaped for the catalog. Fails (never returns partial data) when none exists yet. */
  getCatalogProjection(options?: {
    credentials?: BackstageCredentials;
  }): Promise<CatalogProjection>;
  /** Sync and provisioning status. */
  getSyncStatus(options?: {
    credentials?: BackstageCredentials;
  }): Promise<SyncStatus>;
  /**
   * The exact calls that would bring an account to the onboarding baseline. Needs `aws-access.all.read` for
   * the credentials' user.
   */
  planAccountBaseline(options: {
    accountId: string;
    removeForbidden?: boolean;
    credentials?: BackstageCredentials;
  }): Promise<OnboardingPlan>;
  /**
   * Applies a reviewed plan. Changes to AWS always act for a user with `aws-access.assignment.write`: pass that
   * user's credentials (e.g. a scaffolder task's initiator).
   */
  applyAccountBaseline(options: {
    accountId: string;
    planId: string;
    removeForbidden?: boolean;
    confirmRemoval?: boolean;
    credentials: BackstageCredentials;
  }): Promise<ApplyResult>;
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
      factory: ({ auth, discovery }) =>
        DefaultAwsAccessService.create({ auth, discovery }),
    }),
});
