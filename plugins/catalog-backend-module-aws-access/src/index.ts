/**
 * Projects the AWS access snapshot into the Backstage catalog: AWS accounts, permission sets, Entra groups
 * and who can reach what.
 *
 * @packageDocumentation
 */

export { catalogModuleAwsAccessProvider as default } from './module';
export { AwsAccessEntityProvider } from './provider/AwsAccessEntityProvider';
export type { AwsAccessRefreshOutcome } from './provider/AwsAccessEntityProvider';
export { readProviderConfig } from './provider/config';
export type {
  AwsAccessCatalogMode,
  AwsAccessCatalogRelations,
  AwsAccessProviderConfig,
} from './provider/config';
export { ANNOTATION_AWS_ACCESS_PROJECTION_HASH } from './provider/projection';
