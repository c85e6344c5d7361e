import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type {
  AccessRequest,
  Grant,
  CreateAccessRequest,
  RequestListRole,
  RequestState,
} from '@aws-access/plugin-aws-access-common';
import {
  awsAccessRequestCreatePermission,
  isOpenRequestState,
  requestStates,
} from '@aws-access/plugin-aws-access-common';
import type { AccessControl, Caller } from '../auth/AccessControl';
import type { AccessIndex, Person } from '../snapshot/AccessIndex';
import type { ApproverDirectory } from './ApproverDirectory';
import type { GovernancePolicy } from './governanceConfig';
import { isoDurationMs } from './governanceConfig';
import type { AwsGroup, GovernancePolicies } from './GovernancePolicies';
import { groupGrants } from './GovernancePolicies';
import type { RequestNotifier } from './RequestNotifier';
import type { CallerRules, RequestRules } from './RequestRules';
import type { RequestStore, StoredRequest } from './RequestStore';
import { toAccessRequest } from './requestViews';
import { checkSubmission, fieldError } from './submission';

/** One move a person makes, as the routes name it. */
export type RequestAction = 'approve' | 'deny' | 'cancel' | 'revoke' | 'retry';

/** A transition made, for the route's audit event. */
export interface TransitionResult {
  request: AccessRequest;
  from: RequestState;
}

const SYSTEM = 'system';

const DONE: Record<RequestAction, string> = {
  approve: 'approved',
  deny: 'denied',
  cancel: 'cancelled',
  revoke: 'revoked',
  retry: 'retried',
};

/**
 * Access requests as people make and decide them (governance.md §2): submit, approve, deny, cancel, revoke and
 * retry, each a compare-and-set in the store; lists and reads with what the caller may do. Everything after
 * `approved` (the Entra writes, following AWS, expiry) is the worker's.
 */
export class RequestService {
  readonly #store: RequestStore;
  readonly #policies: GovernancePolicies;
  readonly #directory: ApproverDirectory;
  readonly #rules: RequestRules;
  readonly #access: AccessControl;
  readonly #notifier: RequestNotifier;
  readonly #now: () => Date;

  constructor(options: {
    store: RequestStore;
    policies: GovernancePolicies;
    directory: ApproverDirectory;
    rules: RequestRules;
    access: AccessControl;
    notifier: RequestNotifier;
    now?: () => Date;
  }) {
    this.#store = options.store;
    this.#policies = options.policies;
    this.#directory = options.directory;
    this.#rules = options.rules;
    this.#access = options.access;
    this.#notifier = options.notifier;
    this.#now = options.now ?? (() => new Date());
  }

  rulesFor(caller: Caller, index: AccessIndex): Promise<CallerRules> {
    return this.#rules.forCaller(caller, index);
  }

  /** Whether the caller may ask for a group: its policy's requesters, narrowed by the permission framework. */
  async requestFilter(
    caller: Caller,
    rules: CallerRules,
  ): Promise<(policy: GovernancePolicy, groupRef: string) => boolean> {
    const framework = await this.#access.groupDecider(
      caller,
      awsAccessRequestCreatePermission,
    );
    return (policy, groupRef) =>
      (policy.requesters === 'everyone' ||
        policy.requesters.some(
          ref => ref === rules.userRef || rules.groups.has(ref),
        )) &&
      framework(groupRef);
  }

  /** The caller's open requests by group ref. */
  async openRequests(rules: CallerRules): Promise<Map<string, StoredRequest>> {
    const open = await this.#store.list({
      requester: rules.userRef,
      states: requestStates.filter(isOpenRequestState),
    });
    return new Map(open.map(request => [request.group.entityRef, request]));
  }

  /** Submits a request for the caller; approved at once when the policy says so. */
  async submit(
    caller: Caller,
    rules: CallerRules,
    index: AccessIndex,
    person: Person | undefined,
    body: CreateAccessRequest,
  ): Promise<AccessRequest> {
    const { policy, group } = this.#requestable(index, body.group);
    if (!(await this.requestFilter(caller, rules))(policy, group.ref)) {
      throw new NotAllowedError(
        `You may not request ${group.ref}: the governance policy or your permissions do not allow it`,
      );
    }
    const checked = checkSubmission(body, policy);
    if (!person?.identityUser) {
      throw new NotAllowedError(
        `${rules.userRef} is not a user of the identity source, so they cannot be added to ${group.ref}`,
      );
    }
    if (group.group.memberUserIds.includes(person.identityUser.id)) {
      throw new ConflictError(`You are already a member of ${group.ref}`);
    }
    const eligibility = await this.#directory.eligibility(index, policy, {
      id: group.group.id,
      grants: group.grants,
    });
    const timeout = policy.approvalTimeout
      ? isoDurationMs(policy.approvalTimeout)
      : undefined;
    const stored = await this.#store.insert({
      requester: rules.userRef,
      requesterName: person.displayName,
      requesterUserId: person.identityUser.id,
      group: {
        entityRef: group.ref,
        name: group.group.displayName,
        id: group.group.id,
      },
      ...checked,
      mode: policy.mode,
      approvalsRequired: Math.max(
        policy.approvals,
        eligibility.ownerGroups.length,
      ),
      approverGroups: eligibility.ownerGroups,
      decideBy: timeout
        ? new Date(this.#now().getTime() + timeout).toISOString()
        : undefined,
    });
    if (policy.autoApprove) {
      const approved = await this.#store.transition(stored.id, {
        from: ['submitted'],
        to: 'approved',
        by: SYSTEM,
        note: 'Approved automatically by the governance policy',
      });
      await this.#notifier.decided(approved, SYSTEM);
      return this.view(rules, approved);
    }
    await this.#notifier.submitted(stored, [
      ...eligibility.users,
      ...eligibility.groups,
    ]);
    return this.view(rules, stored);
  }

  #requestable(index: AccessIndex, groupRef: string) {
    const group = this.#policies.awsGroup(index, groupRef);
    if (!group) {
      throw fieldError(
        'group',
        `${groupRef} is not a group that gives AWS access (assigned to the AWS app, with account assignments)`,
      );
    }
    const policy = this.#policies.policyFor(groupRef);
    if (!policy) {
      throw new NotAllowedError(
        `${groupRef} cannot be requested: no governance policy covers it`,
      );
    }
    return { policy, group: group as AwsGroup };
  }

  /** One person's move on a request; refused (403) when they may not make it, 409 from the wrong state. */
  async act(
    rules: CallerRules,
    id: string,
    action: RequestAction,
    note?: string,
  ): Promise<TransitionResult> {
    const request = await this.#store.get(id);
    if (!request) throw new NotFoundError(`No access request ${id}`);
    const actions = await rules.actions(request);
    if (!actions[action]) this.#refuse(rules, request, action);
    const byName = rules.index.personByEntityRef(rules.userRef)?.displayName;
    const moved = await this.#store.transition(id, {
      ...this.#move(rules, request, action, { byName, note }),
      by: rules.userRef,
      byName,
      note,
    });
    if (moved.requester !== rules.userRef) {
      await this.#notifier.decided(moved, rules.userRef, note);
    }
    return { request: await this.view(rules, moved), from: request.state };
  }

  #move(
    rules: CallerRules,
    request: StoredRequest,
    action: RequestAction,
    said: { byName?: string; note?: string },
  ) {
    switch (action) {
      case 'approve':
        return {
          from: ['submitted'] as RequestState[],
          to: (current: StoredRequest) =>
            current.approvals.length >= current.approvalsRequired &&
            current.approverGroups.every(ref =>
              current.approvals.some(a => a.satisfies.includes(ref)),
            )
              ? ('approved' as const)
              : ('submitted' as const),
          approval: {
            by: rules.userRef,
            ...said,
            satisfies: rules.satisfies(request),
          },
        };
      case 'deny':
        return { from: ['submitted'] as RequestState[], to: 'denied' as const };
      case 'cancel':
        return {
          from: ['submitted', 'approved'] as RequestState[],
          to: 'cancelled' as const,
        };
      case 'revoke':
        return {
          from: ['approved', 'granting', 'active', 'failed'] as RequestState[],
          to: 'revoking' as const,
        };
      default:
        // A retry resumes what failed: the removal when the request was being ended, else the grant.
        return {
          from: ['failed'] as RequestState[],
          to: request.revokeRequestedAt
            ? ('revoking' as const)
            : ('approved' as const),
        };
    }
  }

  /** Why a move is refused: the wrong state is a conflict (409), the wrong person is not allowed (403). */
  #refuse(
    rules: CallerRules,
    request: StoredRequest,
    action: RequestAction,
  ): never {
    const own = request.requester === rules.userRef;
    if ((action === 'approve' || action === 'deny') && own) {
      throw new NotAllowedError('You cannot approve or deny your own request');
    }
    if (
      action === 'approve' &&
      request.approvals.some(a => a.by === rules.userRef)
    ) {
      throw new ConflictError(
        `You have already approved request ${request.id}`,
      );
    }
    const wrongState = {
      approve: request.state !== 'submitted',
      deny: request.state !== 'submitted',
      cancel: !['submitted', 'approved'].includes(request.state),
      revoke: !['approved', 'granting', 'active', 'failed'].includes(
        request.state,
      ),
      retry: request.state !== 'failed',
    }[action];
    if (wrongState) {
      throw new ConflictError(
        `Request ${request.id} is ${request.state}; it cannot be ${DONE[action]} now`,
      );
    }
    throw new NotAllowedError(
      action === 'cancel'
        ? 'Only the requester can cancel a request'
        : `You may not ${action} request ${
            request.id
          }: you are not an approver of ${request.group.entityRef}${
            action === 'approve' || action === 'deny'
              ? ''
              : ', its requester, or the platform team'
          }`,
    );
  }

  async #visible(rules: CallerRules, id: string): Promise<StoredRequest> {
    const request = await this.#store.get(id);
    if (!request || !(await rules.canSee(request))) {
      // Someone else's request is not found, so ids reveal nothing.
      throw new NotFoundError(`No access request ${id}`);
    }
    return request;
  }

  /** A request as served to this caller. */
  async view(
    rules: CallerRules,
    request: StoredRequest,
    withHistory = false,
  ): Promise<AccessRequest> {
    const index = rules.index;
    const group = index.identityGroupsByRef.get(request.group.entityRef);
    return toAccessRequest(
      request,
      group ? groupGrants(index, group) : [],
      await rules.actions(request),
      withHistory ? await this.#store.history(request.id) : undefined,
    );
  }

  /**
   * One request with its history; for the people who decide it (approvers, the platform team) also the
   * requester's current grants, read through `requesterGrants`.
   */
  async get(
    rules: CallerRules,
    id: string,
    requesterGrants?: (userRef: string) => Promise<Grant[]>,
  ): Promise<AccessRequest> {
    const request = await this.#visible(rules, id);
    const view = await this.view(rules, request, true);
    const decides =
      request.requester !== rules.userRef &&
      (rules.canManage || (await rules.isApprover(request)));
    if (!decides || !requesterGrants) return view;
    return {
      ...view,
      requesterGrants: await requesterGrants(request.requester),
    };
  }

  /** The caller's requests, the ones they may decide, or (platform team) all. */
  async list(
    rules: CallerRules,
    role: RequestListRole,
    states?: RequestState[],
  ): Promise<AccessRequest[]> {
    if (role === 'all' && !rules.canManage) {
      throw new NotAllowedError(
        'You may not list every access request (missing permission aws-access.request.manage)',
      );
    }
    const stored = await this.#store.list({
      states,
      requester: role === 'mine' ? rules.userRef : undefined,
      limit: 1000,
    });
    const visible: StoredRequest[] = [];
    for (const request of stored) {
      if (role !== 'approver' || (await rules.isApprover(request))) {
        visible.push(request);
      }
    }
    return Promise.all(visible.map(request => this.view(rules, request)));
  }

  /** Requests created in a period, with their history (platform team). */
  async export(
    rules: CallerRules,
    from: string,
    to: string,
  ): Promise<AccessRequest[]> {
    if (!rules.canManage) {
      throw new NotAllowedError(
        'You may not export access requests (missing permission aws-access.request.manage)',
      );
    }
    const stored = await this.#store.list({
      createdFrom: from,
      createdTo: to,
      order: 'oldest',
    });
    return Promise.all(stored.map(request => this.view(rules, request, true)));
  }
}
