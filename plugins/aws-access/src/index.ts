/**
 * My AWS access, team access and the platform health board for Backstage.
 *
 * The legacy frontend system's entry point; apps on the new frontend system use `./alpha`.
 *
 * @packageDocumentation
 */

export {
  awsAccessPlugin,
  AwsAccessPage,
  AwsAccessRequestsPage,
  AwsAccessReviewsPage,
  AwsPlatformPage,
  EntityAwsAccessCard,
  EntityAwsAccountAccessCard,
  EntityAwsPermissionSetCard,
  EntityAwsTeamAccessCard,
} from './plugin';
export { isAwsAccount, isAwsPermissionSet } from './entityFilters';
export { RequireAwsPlatformAccess } from './components/RequireAwsPlatformAccess';
export { awsAccessApiRef, AwsAccessClient } from './api';
export type { AccessRequestAction, AwsAccessApi } from './api';
