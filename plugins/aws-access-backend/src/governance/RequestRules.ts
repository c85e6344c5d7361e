import type { AccessRequest } from '@aws-access/plugin-aws-access-common';
import {
  awsAccessRequestApprovePermission,
  awsAccessRequestManagePermission,
} from '@aws-access/plugin-aws-access-common';
import type { AccessControl, Caller } from '../auth/AccessControl';
import type { AccessIndex } from '../snapshot/AccessIndex';
import type { ApproverDirectory, Eligibility } from './ApproverDirectory';
import { isEligible } from './ApproverDirectory';
import type { GovernancePolicies } from './GovernancePolicies';
import { groupGrants } from './GovernancePolicies';
import type { StoredRequest } from './RequestStore';

const REVOCABLE = new Set(['approved', 'granting', 'active', 'failed']);
const CANCELLABLE = new Set(['submitted', 'approved']);

/** Nobody: a request whose group no longer has a policy can be decided by nobody. */
const NOBODY: Eligibility = {
  users: new Set(),
  groups: new Set(),
  ownerGroups: [],
};

/**
 * What one caller may do with requests, decided once per API request: their groups (transitively), whether they
 * hold `aws-access.request.manage`, and what the permission framework says of approving each group. The policy
 * decides who approves; the framework can only narrow it.
 */
export class CallerRules {
  readonly userRef: string;
  readonly groups: Set<string>;
  readonly canManage: boolean;
  readonly #frameworkAllowsApproval: (groupRef: string) => boolean;
  readonly index: AccessIndex;
  readonly #policies: GovernancePolicies;
  readonly #directory: ApproverDirectory;
  readonly #eligibility = new Map<string, Promise<Eligibility>>();

  constructor(options: {
    userRef: string;
    groups: Set<string>;
    canManage: boolean;
    frameworkAllowsApproval: (groupRef: string) => boolean;
    index: AccessIndex;
    policies: GovernancePolicies;
    directory: ApproverDirectory;
  }) {
    this.userRef = options.userRef;
    this.groups = options.groups;
    this.canManage = options.canManage;
    this.#frameworkAllowsApproval = options.frameworkAllowsApproval;
    this.index = options.index;
    this.#policies = options.policies;
    this.#directory = options.directory;
  }

  /** Who may approve requests for the request's group under its current policy (cached per group). */
  eligibility(request: StoredRequest): Promise<Eligibility> {
    const key = request.group.entityRef;
    let eligibility = this.#eligibility.get(key);
    if (!eligibility) {
      const policy = this.#policies.policyFor(key);
      const group = this.index.identityGroupsByRef.get(key);
      eligibility = policy
        ? this.#directory.eligibility(this.index, policy, {
            id: request.group.id,
            grants: group ? groupGrants(this.index, group) : [],
          })
        : Promise.resolve(NOBODY);
      this.#eligibility.set(key, eligibility);
    }
    return eligibility;
  }

  /** An approver of the request's group (policy and framework), never its requester. */
  async isApprover(request: StoredRequest): Promise<boolean> {
    if (request.requester === this.userRef) return false;
    if (!this.#frameworkAllowsApproval(request.group.entityRef)) return false;
    return isEligible(
      await this.eligibility(request),
      this.userRef,
      this.groups,
    );
  }

  /** The owner groups that must each approve which this caller's approval counts for. */
  satisfies(request: StoredRequest): string[] {
    return request.approverGroups.filter(
      ref => ref === this.userRef || this.groups.has(ref),
    );
  }

  async canSee(request: StoredRequest): Promise<boolean> {
    return (
      request.requester === this.userRef ||
      this.canManage ||
      (await this.isApprover(request))
    );
  }

  /** What the caller may do with the request now (`actions` on every request served). */
  async actions(request: StoredRequest): Promise<AccessRequest['actions']> {
    const own = request.requester === this.userRef;
    const approver = await this.isApprover(request);
    const decides =
      request.state === 'submitted' &&
      approver &&
      !request.approvals.some(a => a.by === this.userRef);
    const steward = own || approver || this.canManage;
    return {
      approve: decides,
      deny: decides,
      cancel: own && CANCELLABLE.has(request.state),
      revoke: steward && REVOCABLE.has(request.state),
      retry: steward && request.state === 'failed',
    };
  }
}

/** Builds a caller's rules for one API request. */
export class RequestRules {
  readonly #access: AccessControl;
  readonly #policies: GovernancePolicies;
  readonly #directory: ApproverDirectory;

  constructor(options: {
    access: AccessControl;
    policies: GovernancePolicies;
    directory: ApproverDirectory;
  }) {
    this.#access = options.access;
    this.#policies = options.policies;
    this.#directory = options.directory;
  }

  async forCaller(caller: Caller, index: AccessIndex): Promise<CallerRules> {
    const userRef = caller.userEntityRef!;
    const [groups, canManage, frameworkAllowsApproval] = await Promise.all([
      this.#directory.groupsOf(userRef, caller.ownershipEntityRefs),
      this.#access.can(caller, awsAccessRequestManagePermission),
      this.#access.groupDecider(caller, awsAccessRequestApprovePermission),
    ]);
    return new CallerRules({
      userRef,
      groups,
      canManage,
      frameworkAllowsApproval,
      index,
      policies: this.#policies,
      directory: this.#directory,
    });
  }
}
