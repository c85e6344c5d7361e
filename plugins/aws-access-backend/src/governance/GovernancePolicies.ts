import type {
  RequestPolicySummary,
  RequestableGrant,
} from '@aws-access/plugin-aws-access-common';
import type { AccessIndex } from '../snapshot/AccessIndex';
import type { IdentityGroup, PermissionSetRecord } from '../snapshot/model';
import { accountNameOf, permissionSetRef } from '../api/views/common';
import type { GovernanceConfig, GovernancePolicy } from './governanceConfig';

/** A group the identity source provisions to AWS, with what its assignments give. */
export interface AwsGroup {
  ref: string;
  group: IdentityGroup;
  grants: RequestableGrant[];
}

/** A glob over entity refs (`*` any run of characters, `?` one), case-insensitive like entity refs. */
function globRegExp(glob: string): RegExp {
  const wildcards: Record<string, string> = { '*': '.*', '?': '.' };
  const body = glob
    .split('')
    .map(c => wildcards[c] ?? c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))
    .join('');
  return new RegExp(`^${body}$`, 'i');
}

/** AdministratorAccess attached, or a name that says Admin: the groups the lint holds to stricter rules. */
export function isAdminPermissionSet(ps: PermissionSetRecord): boolean {
  return (
    ps.managedPolicies.some(p => p.name === 'AdministratorAccess') ||
    /admin/i.test(ps.name)
  );
}

/** What a group's Identity Center assignments give: accounts × permission sets, from the snapshot. */
export function groupGrants(
  index: AccessIndex,
  group: IdentityGroup,
): RequestableGrant[] {
  const idcGroup = index.idcGroupByIdentityGroupId.get(group.id);
  return index
    .assignmentsOf('GROUP', idcGroup?.id)
    .map(assignment => ({
      accountId: assignment.accountId,
      accountName: accountNameOf(index, assignment.accountId),
      permissionSet: permissionSetRef(index, assignment.permissionSetArn),
    }))
    .sort(
      (a, b) =>
        a.accountName.localeCompare(b.accountName) ||
        a.permissionSet.name.localeCompare(b.permissionSet.name),
    );
}

/**
 * The governance policies of config: which policy governs a group (first match wins), and which groups can be
 * requested at all: those the identity source provisions to AWS (in the AWS app's scope) whose assignments give
 * something.
 */
export class GovernancePolicies {
  readonly config: GovernanceConfig;
  readonly #patterns: RegExp[];

  constructor(config: GovernanceConfig) {
    this.config = config;
    this.#patterns = config.policies.map(policy => globRegExp(policy.group));
  }

  get policies(): GovernancePolicy[] {
    return this.config.policies;
  }

  /** The first policy whose selector matches the group ref. */
  policyFor(groupRef: string): GovernancePolicy | undefined {
    const i = this.#patterns.findIndex(pattern => pattern.test(groupRef));
    return i >= 0 ? this.config.policies[i] : undefined;
  }

  matches(policy: GovernancePolicy, groupRef: string): boolean {
    return this.#patterns[this.config.policies.indexOf(policy)].test(groupRef);
  }

  /** The groups of the snapshot a policy's selector matches (requestable or not). */
  groupsMatching(index: AccessIndex, policy: GovernancePolicy): string[] {
    return [...index.identityGroupsByRef.keys()].filter(ref =>
      this.matches(policy, ref),
    );
  }

  summary(policy: GovernancePolicy): RequestPolicySummary {
    return {
      maxDuration: policy.maxDuration,
      defaultDuration: policy.defaultDuration,
      justification: policy.justification,
      approvals: policy.approvals,
      autoApprove: policy.autoApprove,
      ticketPattern: policy.ticketPattern,
      mode: policy.mode,
    };
  }

  /** The group behind a ref, when it gives AWS access (in scope, with assignments); otherwise undefined. */
  awsGroup(index: AccessIndex, ref: string): AwsGroup | undefined {
    const group = index.identityGroupsByRef.get(ref);
    if (!group || !index.scopedGroupIds.has(group.id)) return undefined;
    const grants = groupGrants(index, group);
    return grants.length > 0 ? { ref, group, grants } : undefined;
  }

  /** Every group that gives AWS access and has a policy. */
  requestableGroups(index: AccessIndex): AwsGroup[] {
    const groups: AwsGroup[] = [];
    for (const ref of index.identityGroupsByRef.keys()) {
      if (!this.policyFor(ref)) continue;
      const awsGroup = this.awsGroup(index, ref);
      if (awsGroup) groups.push(awsGroup);
    }
    return groups.sort((a, b) =>
      a.group.displayName.localeCompare(b.group.displayName),
    );
  }
}
