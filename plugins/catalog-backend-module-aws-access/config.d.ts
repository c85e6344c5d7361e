import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /** The AWS access entity provider (projects the aws-access snapshot into the catalog). */
      awsAccess?: {
        /** Fallback refresh schedule; the provider also refreshes when a snapshot is committed. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
