import type { Config } from '@backstage/config';
import type { PolicyDecision } from '@backstage/plugin-permission-common';
import {
  AuthorizeResult,
  isPermission,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  awsAccessGroupReadPermission,
  awsAccessProvisionSelfPermission,
  awsAccessReportReadPermission,
  awsAccessRequestApprovePermission,
  awsAccessRequestCreatePermission,
} from '@aws-access/plugin-aws-access-common';
import {
  awsAccessGroupConditions,
  createAwsAccessGroupConditionalDecision,
} from '@aws-access/plugin-aws-access-node';

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * The demo's permission policy:
 * - members of a platform group (`awsAccess.platformGroups`) may do everything;
 * - everyone reads their own AWS access (the API needs no permission for that) and may ask for their own
 *   provisioning and read the access report (it holds only the people they may see); members of a group read
 *   that group's AWS access; every user may request access and approve requests as far as the governance
 *   policy in `awsAccess.governance` allows (this policy could narrow either, per group, never widen it);
 *   listing all requests and exporting them (`aws-access.request.manage`) is the platform team's, and so are
 *   access review campaigns and their evidence (`aws-access.review.manage`; reviewers need no permission);
 *   other aws-access permissions are denied;
 * - for other plugins, reads and running software templates are allowed, every other change is denied.
 */
export class AwsAccessPermissionPolicy implements PermissionPolicy {
  readonly #platformGroups: Set<string>;

  static fromConfig(config: Config): AwsAccessPermissionPolicy {
    const groups =
      config.getOptionalStringArray('awsAccess.platformGroups') ?? [];
    return new AwsAccessPermissionPolicy({ platformGroups: groups });
  }

  constructor(options: { platformGroups: string[] }) {
    this.#platformGroups = new Set(
      options.platformGroups.map(ref => ref.toLocaleLowerCase('en-US')),
    );
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const claims = user?.info.ownershipEntityRefs ?? [];
    if (
      claims.some(ref =>
        this.#platformGroups.has(ref.toLocaleLowerCase('en-US')),
      )
    ) {
      return ALLOW;
    }

    const { permission } = request;
    if (permission.name.startsWith('aws-access.')) {
      if (isPermission(permission, awsAccessGroupReadPermission)) {
        return createAwsAccessGroupConditionalDecision(
          permission,
          awsAccessGroupConditions.isGroupMember({ claims }),
        );
      }
      if (
        (isPermission(permission, awsAccessProvisionSelfPermission) ||
          isPermission(permission, awsAccessReportReadPermission) ||
          isPermission(permission, awsAccessRequestCreatePermission) ||
          isPermission(permission, awsAccessRequestApprovePermission)) &&
        user
      ) {
        return ALLOW;
      }
      return DENY;
    }

    if (permission.attributes.action === 'read') {
      return ALLOW;
    }
    // Running a template is self-service; actions that change AWS check their own permissions.
    if (
      permission.name === 'scaffolder.task.create' ||
      permission.name === 'scaffolder.action.execute'
    ) {
      return user ? ALLOW : DENY;
    }
    return DENY;
  }
}
