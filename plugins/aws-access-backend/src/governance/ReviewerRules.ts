import type { ReviewItem } from '@aws-access/plugin-aws-access-common';
import { awsAccessReviewManagePermission } from '@aws-access/plugin-aws-access-common';
import type { AccessControl, Caller } from '../auth/AccessControl';
import type { ApproverDirectory } from './ApproverDirectory';
import type { StoredCampaign, StoredReviewItem } from './ReviewStore';

/** Items nobody can decide any more: removed, or being removed. */
const REDECIDABLE = new Set(['pending', 'kept']);

/**
 * What one caller may do in access reviews, decided once per API request: their groups (transitively, for
 * reviewer groups), and whether they hold `aws-access.review.manage` (the platform team).
 */
export class ReviewerRules {
  readonly userRef: string;
  readonly groups: Set<string>;
  readonly canManage: boolean;

  constructor(options: {
    userRef: string;
    groups: Set<string>;
    canManage: boolean;
  }) {
    this.userRef = options.userRef;
    this.groups = options.groups;
    this.canManage = options.canManage;
  }

  static async forCaller(
    caller: Caller,
    services: { access: AccessControl; directory: ApproverDirectory },
  ): Promise<ReviewerRules> {
    const userRef = caller.userEntityRef!;
    const [groups, canManage] = await Promise.all([
      services.directory.groupsOf(userRef, caller.ownershipEntityRefs),
      services.access.can(caller, awsAccessReviewManagePermission),
    ]);
    return new ReviewerRules({ userRef, groups, canManage });
  }

  /** The membership is the caller's own: nobody attests their own access. */
  isOwn(item: StoredReviewItem): boolean {
    return item.member.entityRef === this.userRef;
  }

  /** A reviewer of the item: named, in a reviewer group, its delegate, or the platform team where nobody else is. */
  reviews(item: StoredReviewItem): boolean {
    if (this.isOwn(item)) return false;
    if (item.reviewers.length === 0) return this.canManage;
    return item.reviewers.some(
      ref => ref === this.userRef || this.groups.has(ref),
    );
  }

  canSee(item: StoredReviewItem): boolean {
    return this.canManage || this.reviews(item);
  }

  actions(
    campaign: StoredCampaign,
    item: StoredReviewItem,
  ): ReviewItem['actions'] {
    const open = campaign.state === 'open';
    return {
      decide: open && this.reviews(item) && REDECIDABLE.has(item.state),
      delegate:
        open &&
        item.state === 'pending' &&
        (this.reviews(item) || this.canManage),
    };
  }
}
