import type { GovernanceMode } from '@aws-access/plugin-aws-access-common';
import type { GovernancePolicies } from './GovernancePolicies';
import type { RequestStore, StoredRequest } from './RequestStore';
import type { StoredReviewItem } from './ReviewStore';

/** Requests whose membership holds (or is about to hold) access: what "how they got it" names. */
export const HOLDING = [
  'approved',
  'granting',
  'active',
  'revoking',
  'failed',
] as const;
/** Requests a `remove` ends through the request's own revoke. */
const REVOCABLE = new Set(['approved', 'granting', 'active', 'failed']);

/** How a `remove` ends one item's membership. */
export interface RemovalPlan {
  /** The access request that holds the membership: its revoke ends it, in the request's own mode. */
  request?: StoredRequest;
  /** Otherwise the item's follow-through removes the member, in this mode. */
  removalMode?: GovernanceMode;
}

/**
 * How a review's `remove` ends a membership, whoever decided it (a reviewer, or the closing policy at the due
 * date): a membership an access request holds (requested, in membership or PIM mode) ends through that
 * request's revoke, whose follow-through removes it in the request's mode; any other is removed by the item's
 * follow-through in the mode of the group's policy (membership when there is none).
 */
export class ReviewRemovals {
  readonly #requests: Pick<RequestStore, 'list' | 'transition'>;
  readonly #policies?: Pick<GovernancePolicies, 'policyFor'>;

  constructor(options: {
    requests: Pick<RequestStore, 'list' | 'transition'>;
    policies?: Pick<GovernancePolicies, 'policyFor'>;
  }) {
    this.#requests = options.requests;
    this.#policies = options.policies;
  }

  /** The request that holds the item's membership, if one does. */
  async holdingRequest(
    item: StoredReviewItem,
  ): Promise<StoredRequest | undefined> {
    const [request] = await this.#requests.list({
      requester: item.member.entityRef,
      groupRefs: [item.group.entityRef],
      states: [...HOLDING],
      limit: 1,
    });
    return request;
  }

  async plan(item: StoredReviewItem): Promise<RemovalPlan> {
    const request = await this.holdingRequest(item);
    if (request) return { request };
    return {
      removalMode:
        this.#policies?.policyFor(item.group.entityRef)?.mode ?? 'membership',
    };
  }

  /** Starts the revoke of the holding request (a request already revoking is left to its worker). */
  async revoke(plan: RemovalPlan, by: string, note: string): Promise<void> {
    const { request } = plan;
    if (!request || !REVOCABLE.has(request.state)) return;
    await this.#requests.transition(request.id, {
      from: [request.state],
      to: 'revoking',
      by,
      note,
    });
  }
}
