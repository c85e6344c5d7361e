export { awsAccessApiRef } from './AwsAccessApi';
export type { AccessRequestAction, AwsAccessApi } from './AwsAccessApi';
export { AwsAccessClient } from './AwsAccessClient';
