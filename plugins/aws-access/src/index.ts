/**
 * My AWS access, team access and the platform health board for Backstage.
 *
 * @packageDocumentation
 */

export { awsAccessPlugin, AwsAccessPage } from './plugin';
export { awsAccessApiRef, AwsAccessClient } from './api';
export type { AwsAccessApi } from './api';
