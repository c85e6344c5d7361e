/**
 * Projects the AWS access snapshot into the Backstage catalog: AWS accounts, permission sets, Entra groups
 * and who can reach what.
 *
 * @packageDocumentation
 */

export { catalogModuleAwsAccessProvider as default } from './module';
export { AwsAccessEntityProvider } from './provider/AwsAccessEntityProvider';
