import { createApiRef } from '@backstage/core-plugin-api';
import { UserAccess } from '@aws-access/plugin-aws-access-common';

/**
 * Client of the aws-access backend, shared by the legacy and the new frontend system.
 *
 * @public
 */
export interface AwsAccessApi {
  /** The signed-in user's access. */
  getMyAccess(): Promise<UserAccess>;
}

/** @public */
export const awsAccessApiRef = createApiRef<AwsAccessApi>({ id: 'plugin.aws-access.service' });
