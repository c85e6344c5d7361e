import type {
  PolicyLintFinding,
  PolicyLintReport,
  Requestable,
  RequestableGrant,
} from '@aws-access/plugin-aws-access-common';
import type { AccessIndex, Person } from '../snapshot/AccessIndex';
import type { ApproverDirectory } from './ApproverDirectory';
import type { GovernancePolicy } from './governanceConfig';
import type { AwsGroup, GovernancePolicies } from './GovernancePolicies';
import { isAdminPermissionSet } from './GovernancePolicies';
import type { StoredRequest } from './RequestStore';

/** Whether every word of a search ("PowerUser payments-prod") names the group, an account or a permission set. */
function matchesQuery(group: AwsGroup, words: string[]): boolean {
  const haystack = [
    group.group.displayName,
    group.ref,
    ...group.grants.flatMap(g => [
      g.accountName,
      g.accountId,
      g.permissionSet.name,
    ]),
  ].map(text => text.toLocaleLowerCase('en-US'));
  return words.every(word => haystack.some(text => text.includes(word)));
}

/** `GET /requestables`: the groups the caller may request, with what each gives, filtered by `q`. */
export function requestables(options: {
  index: AccessIndex;
  policies: GovernancePolicies;
  mayRequest: (policy: GovernancePolicy, groupRef: string) => boolean;
  person?: Person;
  openRequests: Map<string, StoredRequest>;
  q?: string;
}): Requestable[] {
  const { index, policies, person } = options;
  const words = (options.q ?? '')
    .toLocaleLowerCase('en-US')
    .split(/\s+/)
    .filter(Boolean);
  return policies.requestableGroups(index).flatMap(group => {
    const policy = policies.policyFor(group.ref)!;
    if (!options.mayRequest(policy, group.ref)) return [];
    if (!matchesQuery(group, words)) return [];
    const userId = person?.identityUser?.id;
    return [
      {
        group: { entityRef: group.ref, name: group.group.displayName },
        policy: policies.summary(policy),
        grants: group.grants,
        member: userId ? group.group.memberUserIds.includes(userId) : false,
        openRequestId: options.openRequests.get(group.ref)?.id,
      },
    ];
  });
}

function isAdminGrant(index: AccessIndex, grant: RequestableGrant): boolean {
  const ps = index.permissionSetsByArn.get(grant.permissionSet.arn);
  return ps
    ? isAdminPermissionSet(ps)
    : /admin/i.test(grant.permissionSet.name);
}

/** The lint of one group under the policy that governs it. */
async function lintGroup(
  index: AccessIndex,
  policy: GovernancePolicy,
  group: AwsGroup,
  directory: ApproverDirectory,
): Promise<PolicyLintFinding[]> {
  const findings: PolicyLintFinding[] = [];
  const about = { policy: policy.group, group: group.ref };
  const admin = group.grants.filter(grant => isAdminGrant(index, grant));
  const adminText = admin
    .map(g => `${g.permissionSet.name} on ${g.accountName}`)
    .join(', ');
  if (admin.length > 0 && !policy.maxDuration) {
    findings.push({
      code: 'admin-without-max-duration',
      severity: 'error',
      message: `${group.group.displayName} grants admin access (${adminText}) but its policy has no maxDuration: a request would give standing admin access`,
      ...about,
    });
  }
  if (admin.length > 0 && policy.autoApprove) {
    findings.push({
      code: 'auto-approve-admin',
      severity: 'error',
      message: `${group.group.displayName} grants admin access (${adminText}) and its policy approves requests automatically`,
      ...about,
    });
  }
  if (!policy.autoApprove) {
    const eligible = await directory.eligibility(index, policy, {
      id: group.group.id,
      grants: group.grants,
    });
    if (eligible.users.size === 0 && eligible.groups.size === 0) {
      findings.push({
        code: 'no-approvers',
        severity: 'error',
        message: `Nobody can approve requests for ${
          group.group.displayName
        }: its approvers (${policy.approvers
          .map(a => ('ref' in a ? a.ref : a.kind))
          .join(', ')}) name no one`,
        ...about,
      });
    }
  }
  return findings;
}

/** Policies whose selector matches no group of the snapshot (a typo, or a group not synced yet). */
export function unknownGroupFindings(
  index: AccessIndex,
  policies: GovernancePolicies,
): PolicyLintFinding[] {
  return policies.policies
    .filter(policy => policies.groupsMatching(index, policy).length === 0)
    .map(policy => ({
      code: 'unknown-group' as const,
      severity: 'warning' as const,
      message: `The policy for ${policy.group} matches no group of the identity source`,
      policy: policy.group,
    }));
}

/** `GET /governance/lint`: what in the policies would let access go wrong. */
export async function lintPolicies(
  index: AccessIndex,
  policies: GovernancePolicies,
  directory: ApproverDirectory,
): Promise<PolicyLintReport> {
  const findings = unknownGroupFindings(index, policies);
  for (const policy of policies.policies) {
    // First match wins: a group is linted under the policy that governs it.
    const governed = policies
      .groupsMatching(index, policy)
      .filter(ref => policies.policyFor(ref) === policy);
    for (const ref of governed) {
      const group = policies.awsGroup(index, ref);
      if (group) {
        findings.push(...(await lintGroup(index, policy, group, directory)));
      } else if (!/[*?]/.test(policy.group)) {
        findings.push({
          code: 'not-requestable',
          severity: 'warning',
          message: `${ref} gives no AWS access (not assigned to the AWS app, or without account assignments): nobody can request it`,
          policy: policy.group,
          group: ref,
        });
      }
    }
  }
  return { findings };
}
