/**
 * Backend-to-backend client, service ref and permission conditions of the AWS access plugins.
 *
 * @packageDocumentation
 */

export { awsAccessServiceRef } from './AwsAccessService';
export type { AwsAccessService } from './AwsAccessService';
export { DefaultAwsAccessService } from './DefaultAwsAccessService';
export {
  awsAccessGroupConditions,
  awsAccessGroupResourceRef,
  awsAccessGroupRules,
  createAwsAccessGroupConditionalDecision,
} from './groupPermissionRules';
export type {
  AwsAccessGroupQuery,
  AwsAccessGroupResource,
} from './groupPermissionRules';
