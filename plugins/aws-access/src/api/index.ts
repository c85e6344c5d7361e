export { awsAccessApiRef } from './AwsAccessApi';
export type { AwsAccessApi } from './AwsAccessApi';
export { AwsAccessClient } from './AwsAccessClient';
export type {
  ReportOptions,
  SyncRunResponse,
  SyncTriggerResponse,
} from './types';
