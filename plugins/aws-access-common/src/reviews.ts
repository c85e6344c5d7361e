import type { RequestableGrant } from './governance';
import type { AccessUser, Grant, GrantPath, PermissionSetRef } from './types';
import type { GrantState } from './states';

/*
 * Access reviews (attestation, shared/design/governance.md §3): the platform team starts a campaign over groups
 * that give AWS access; each group's reviewers attest, per direct member, whether the membership stays. A
 * `remove` ends the membership the same way as a request's expiry and is followed until AWS shows it gone.
 */

/** What a reviewer decides for one membership. @public */
export const ReviewDecision = {
  keep: 'keep',
  remove: 'remove',
} as const;

/** @public */
// eslint-disable-next-line @typescript-eslint/no-redeclare -- the value and its type share the name on purpose
export type ReviewDecision =
  (typeof ReviewDecision)[keyof typeof ReviewDecision];

/** Every decision, as the API names them. @public */
export const reviewDecisions: readonly ReviewDecision[] =
  Object.values(ReviewDecision);

/**
 * What happens at the due date to items nobody decided: `keep` (the membership stays, recorded as undecided) or
 * `remove` (removed like a `remove` decision).
 *
 * @public
 */
export type ReviewClosingPolicy = 'keep' | 'remove';

/** `open` until every item is decided or the due date passes; `closed` after. @public */
export type ReviewCampaignState = 'open' | 'closed';

/**
 * One item's state. `removed` is what the snapshot shows AWS doing (the membership's access is gone), never what
 * was written to Entra.
 *
 * @public
 */
export const ReviewItemState = {
  /** Nobody has decided yet. */
  pending: 'pending',
  /** Decided `keep` (or kept undecided at the due date under the `keep` closing policy). */
  kept: 'kept',
  /** Decided `remove`: being removed from Entra, AWS still shows the access. */
  removing: 'removing',
  /** AWS no longer shows the access through the group. */
  removed: 'removed',
} as const;

/** @public */
// eslint-disable-next-line @typescript-eslint/no-redeclare -- the value and its type share the name on purpose
export type ReviewItemState =
  (typeof ReviewItemState)[keyof typeof ReviewItemState];

/** Every item state. @public */
export const reviewItemStates: readonly ReviewItemState[] =
  Object.values(ReviewItemState);

/** Where a group's reviewers come from: its policy's approvers, else its Entra owners, else the platform team. @public */
export type ReviewerSource = 'policy' | 'group-owners' | 'platform';

/** How many items are in each state. @public */
export interface ReviewProgress {
  total: number;
  pending: number;
  kept: number;
  removing: number;
  removed: number;
  /** kept + removing + removed. */
  decided: number;
}

/** One reviewer's share of a campaign. @public */
export interface ReviewerProgress {
  /** A user entity ref, a group entity ref (any member reviews), or `platform` (`aws-access.review.manage`). */
  reviewer: string;
  reviewerName?: string;
  progress: ReviewProgress;
}

/** One group of a campaign: who reviews it and how far they are. @public */
export interface ReviewCampaignGroup {
  group: { entityRef: string; name: string };
  reviewers: string[];
  reviewerSource: ReviewerSource;
  progress: ReviewProgress;
}

/** A review campaign (`GET /reviews`, `GET /reviews/:id`). @public */
export interface ReviewCampaign {
  id: string;
  name: string;
  state: ReviewCampaignState;
  /** The groups in scope, as asked; absent: every group that gives AWS access (at creation). */
  groups?: string[];
  dueAt: string;
  closingPolicy: ReviewClosingPolicy;
  createdAt: string;
  /** Entity ref of who started it. */
  createdBy: string;
  createdByName?: string;
  closedAt?: string;
  /** `decided`: every item was decided; `due`: the due date passed. */
  closedReason?: 'decided' | 'due';
  /** Every item of the campaign. */
  progress: ReviewProgress;
  /** The items the caller reviews (as a reviewer, a member of a reviewer group, or a delegate). */
  myProgress: ReviewProgress;
  /** On `GET /reviews/:id`: per group (all for the platform team, the caller's otherwise). */
  campaignGroups?: ReviewCampaignGroup[];
  /** On `GET /reviews/:id` for the platform team: per reviewer. */
  reviewers?: ReviewerProgress[];
  /** Overdue: open past `dueAt`, or closed with items nobody decided. */
  overdueItems: number;
}

/** `GET /reviews`. @public */
export interface ReviewCampaignList {
  items: ReviewCampaign[];
}

/** `POST /reviews`. @public */
export interface CreateReviewCampaign {
  name: string;
  /** Group entity refs; absent or empty: every group that gives AWS access. */
  groups?: string[];
  /** ISO 8601 timestamp in the future. */
  dueAt: string;
  /** Default: `awsAccess.governance.reviews.closingPolicy` (itself `keep` by default). */
  closingPolicy?: ReviewClosingPolicy;
}

/** One (account, permission set) a membership gives the member in AWS now, from the snapshot. @public */
export interface ReviewAccess {
  accountId: string;
  accountName: string;
  /** With its session duration. */
  permissionSet: PermissionSetRef;
  /** The state of the member's path through the reviewed group. */
  state: GrantState;
  /** The member's other paths to the same access (another group, a direct assignment): removing keeps it. */
  alsoVia: GrantPath[];
}

/** How the member came to be in the group. @public */
export type ReviewOrigin =
  | {
      kind: 'request';
      requestId: string;
      requestedAt: string;
      /** Entity ref of the requester (the member). */
      requestedBy: string;
      approvedBy: string[];
      approvedByNames?: string[];
      approvedAt?: string;
      expiresAt?: string;
    }
  | {
      kind: 'standing';
      /** When the snapshot first showed the access through the group, when known. */
      since?: string;
    };

/** One review item: one direct member of one group. @public */
export interface ReviewItem {
  id: string;
  campaignId: string;
  group: { entityRef: string; name: string };
  member: AccessUser;
  /** The member's teams in the catalog. */
  teams: Array<{ entityRef: string; name: string }>;
  /** User or group entity refs who decide; empty with `reviewerSource: platform` (the platform team decides). */
  reviewers: string[];
  reviewerSource: ReviewerSource;
  delegatedBy?: string;
  delegatedAt?: string;
  state: ReviewItemState;
  decision?: ReviewDecision;
  note?: string;
  /** Entity ref of who decided, or `system` for the closing policy. */
  decidedBy?: string;
  decidedByName?: string;
  decidedAt?: string;
  /** When the snapshot first showed the access gone (`removed`). */
  removedAt?: string;
  /** Why the last removal attempt failed; the worker tries again. */
  error?: string;
  /** What the membership gives in AWS now, from the served snapshot (empty once AWS shows it gone). */
  access: ReviewAccess[];
  /** What AWS showed at decision time. */
  accessAtDecision?: ReviewAccess[];
  origin: ReviewOrigin;
  /** The member's grants where AWS and Entra disagree: still in AWS though Entra no longer grants them (revoking), or stuck. */
  outOfSync: Grant[];
  /** What the caller may do with this item now. */
  actions: { decide: boolean; delegate: boolean };
}

/** One group's items for a reviewer (one response serves the whole group; no per-member requests). @public */
export interface ReviewGroupItems {
  group: { entityRef: string; name: string };
  /** What the group gives in AWS now: accounts × permission sets with session durations. */
  assignments: RequestableGrant[];
  reviewers: string[];
  reviewerSource: ReviewerSource;
  items: ReviewItem[];
  /** Members through nested groups: reported, never items (SCIM never provisions them to AWS). */
  nestedMembers: Array<{
    user: AccessUser;
    through: { entityRef: string; name: string };
  }>;
}

/** `GET /reviews/:id/items`. @public */
export interface ReviewItemPage {
  campaign: ReviewCampaign;
  groups: ReviewGroupItems[];
}

/** `POST /reviews/:id/items/:itemId/decision`. @public */
export interface ReviewDecisionBody {
  decision: ReviewDecision;
  note?: string;
}

/** `POST /reviews/:id/decisions`: bulk `keep` of a group's pending items the caller reviews. @public */
export interface ReviewBulkDecisionBody {
  /** The group's entity ref. */
  group: string;
  decision: 'keep';
  note?: string;
}

/** `POST /reviews/:id/items/:itemId/delegate`. @public */
export interface ReviewDelegationBody {
  /** The user entity ref who reviews the item instead. */
  to: string;
  note?: string;
}

/** `GET /reviews/overdue` (the platform board). @public */
export interface OverdueReviewItem {
  campaign: {
    id: string;
    name: string;
    dueAt: string;
    state: ReviewCampaignState;
  };
  itemId: string;
  group: { entityRef: string; name: string };
  member: { entityRef: string; displayName: string };
  reviewers: string[];
  reviewerSource: ReviewerSource;
  /** `pending` while open; after the close, what the closing policy did. */
  state: ReviewItemState;
}

/** `GET /reviews/overdue`. @public */
export interface OverdueReviewItemList {
  items: OverdueReviewItem[];
}

/** One row of the evidence export, kept after the campaign ends. @public */
export interface ReviewEvidenceRow {
  campaignId: string;
  campaignName: string;
  itemId: string;
  group: string;
  groupName: string;
  member: string;
  memberName: string;
  /** The item's reviewers (entity refs), `platform` for the platform team. */
  reviewers: string[];
  /** Who delegated the item, when it was. */
  delegatedBy?: string;
  decision?: ReviewDecision;
  /** Entity ref of who decided, or `system` for the closing policy. */
  decidedBy?: string;
  note?: string;
  decidedAt?: string;
  /** What AWS showed at decision time. */
  accessAtDecision: ReviewAccess[];
  state: ReviewItemState;
  /** When the removal reached AWS (the snapshot showed the access gone). */
  removedAt?: string;
}

/** `GET /reviews/:id/evidence?format=json`. @public */
export interface ReviewEvidence {
  campaign: ReviewCampaign;
  /** When the export was made. */
  exportedAt: string;
  rows: ReviewEvidenceRow[];
}

/** `POST /reviews/:id/decisions`: the items the bulk decision decided. @public */
export interface ReviewItemList {
  items: ReviewItem[];
}
