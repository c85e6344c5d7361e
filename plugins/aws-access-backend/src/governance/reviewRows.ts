import type {
  GovernanceMode,
  ReviewAccess,
  ReviewCampaign,
  ReviewCampaignState,
  ReviewClosingPolicy,
  ReviewDecision,
  ReviewItemState,
  ReviewerSource,
} from '@aws-access/plugin-aws-access-common';

/** A campaign as stored: the API's campaign without the progress counted at serve time. */
export type StoredCampaign = Omit<
  ReviewCampaign,
  'progress' | 'myProgress' | 'campaignGroups' | 'reviewers' | 'overdueItems'
> & {
  remindersSent: number;
};

/** A review item as stored: the API's item without what is read from the snapshot at serve time. */
export interface StoredReviewItem {
  id: string;
  campaignId: string;
  /** The group's entity ref, display name and identity-source id. */
  group: { entityRef: string; name: string; id: string };
  /** The member's entity ref, display name and identity-source user id. */
  member: { entityRef: string; name: string; userId: string };
  reviewers: string[];
  reviewerSource: ReviewerSource;
  delegatedBy?: string;
  delegatedAt?: string;
  state: ReviewItemState;
  decision?: ReviewDecision;
  note?: string;
  decidedBy?: string;
  decidedByName?: string;
  decidedAt?: string;
  accessAtDecision?: ReviewAccess[];
  /** How the removal is written to the identity source. */
  removalMode?: GovernanceMode;
  removedAt?: string;
  error?: string;
  updatedAt: string;
  /** Nobody decided by the due date: the closing policy did. */
  undecidedAtDue: boolean;
}

export type NewCampaign = Pick<
  StoredCampaign,
  'name' | 'groups' | 'dueAt' | 'closingPolicy' | 'createdBy' | 'createdByName'
>;

export type NewReviewItem = Pick<
  StoredReviewItem,
  'group' | 'member' | 'reviewers' | 'reviewerSource'
>;

export type CampaignRow = {
  id: string;
  name: string;
  state: ReviewCampaignState;
  scope_groups: string | null;
  due_at: string;
  closing_policy: ReviewClosingPolicy;
  created_at: string;
  created_by: string;
  created_by_name: string | null;
  closed_at: string | null;
  closed_reason: 'decided' | 'due' | null;
  reminders_sent: number;
};

export type ItemRow = {
  id: string;
  campaign_id: string;
  group_ref: string;
  group_name: string;
  group_id: string;
  member_ref: string;
  member_name: string;
  member_user_id: string;
  reviewers: string;
  reviewer_source: ReviewerSource;
  delegated_by: string | null;
  delegated_at: string | null;
  state: ReviewItemState;
  decision: ReviewDecision | null;
  note: string | null;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: string | null;
  access_at_decision: string | null;
  removal_mode: GovernanceMode | null;
  removed_at: string | null;
  error: string | null;
  updated_at: string;
  undecided_at_due: boolean | number;
};

const opt = <T>(value: T | null): T | undefined => value ?? undefined;

export function toCampaign(row: CampaignRow): StoredCampaign {
  return {
    id: row.id,
    name: row.name,
    state: row.state,
    groups: row.scope_groups ? JSON.parse(row.scope_groups) : undefined,
    dueAt: row.due_at,
    closingPolicy: row.closing_policy,
    createdAt: row.created_at,
    createdBy: row.created_by,
    createdByName: opt(row.created_by_name),
    closedAt: opt(row.closed_at),
    closedReason: opt(row.closed_reason),
    remindersSent: Number(row.reminders_sent),
  };
}

export function newCampaignRow(
  id: string,
  campaign: NewCampaign,
  at: string,
): CampaignRow {
  return {
    id,
    name: campaign.name,
    state: 'open',
    scope_groups: campaign.groups ? JSON.stringify(campaign.groups) : null,
    due_at: campaign.dueAt,
    closing_policy: campaign.closingPolicy,
    created_at: at,
    created_by: campaign.createdBy,
    created_by_name: campaign.createdByName ?? null,
    closed_at: null,
    closed_reason: null,
    reminders_sent: 0,
  };
}

export function toItem(row: ItemRow): StoredReviewItem {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    group: { entityRef: row.group_ref, name: row.group_name, id: row.group_id },
    member: {
      entityRef: row.member_ref,
      name: row.member_name,
      userId: row.member_user_id,
    },
    reviewers: JSON.parse(row.reviewers),
    reviewerSource: row.reviewer_source,
    delegatedBy: opt(row.delegated_by),
    delegatedAt: opt(row.delegated_at),
    state: row.state,
    decision: opt(row.decision),
    note: opt(row.note),
    decidedBy: opt(row.decided_by),
    decidedByName: opt(row.decided_by_name),
    decidedAt: opt(row.decided_at),
    accessAtDecision: row.access_at_decision
      ? JSON.parse(row.access_at_decision)
      : undefined,
    removalMode: opt(row.removal_mode),
    removedAt: opt(row.removed_at),
    error: opt(row.error),
    updatedAt: row.updated_at,
    undecidedAtDue: Boolean(row.undecided_at_due),
  };
}

export function newItemRow(
  id: string,
  campaignId: string,
  item: NewReviewItem,
  at: string,
): ItemRow {
  return {
    id,
    campaign_id: campaignId,
    group_ref: item.group.entityRef,
    group_name: item.group.name,
    group_id: item.group.id,
    member_ref: item.member.entityRef,
    member_name: item.member.name,
    member_user_id: item.member.userId,
    reviewers: JSON.stringify(item.reviewers),
    reviewer_source: item.reviewerSource,
    delegated_by: null,
    delegated_at: null,
    state: 'pending',
    decision: null,
    note: null,
    decided_by: null,
    decided_by_name: null,
    decided_at: null,
    access_at_decision: null,
    removal_mode: null,
    removed_at: null,
    error: null,
    updated_at: at,
    undecided_at_due: false,
  };
}
