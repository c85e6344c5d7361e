import type {
  Grant,
  ReviewAccess,
  ReviewCampaign,
  ReviewEvidenceRow,
  ReviewItem,
  ReviewOrigin,
  ReviewProgress,
} from '@aws-access/plugin-aws-access-common';
import { isBeingRemoved, isStuck } from '@aws-access/plugin-aws-access-common';
import type { AccessIndex, Person } from '../snapshot/AccessIndex';
import { accountNameOf, permissionSetRef } from '../api/views/common';
import { csvCell } from '../api/views/csv';
import { toGrant } from '../api/views/userAccess';
import { grantRequestRef } from '../api/views/grantRequests';
import type { StoredRequest } from './RequestStore';
import type { StoredCampaign, StoredReviewItem } from './ReviewStore';

/**
 * What one membership gives its member in AWS now, from the snapshot: each (account, permission set) the person
 * reaches through the group, with the state of that path, and the other paths to the same access (removing the
 * membership leaves those).
 */
export function membershipAccess(
  index: AccessIndex,
  person: Person | undefined,
  groupId: string,
  now: Date,
): ReviewAccess[] {
  const access: ReviewAccess[] = [];
  for (const grant of person?.grants ?? []) {
    const through = grant.paths.find(
      p => p.type === 'group' && p.identityGroupId === groupId,
    );
    if (!through) continue;
    const state = index.pathStateAt(grant, through, now);
    // Intended but never in AWS, and gone from both sides: the membership gives nothing there now.
    if (state === 'unsupported-nesting') continue;
    access.push({
      accountId: grant.accountId,
      accountName: accountNameOf(index, grant.accountId),
      permissionSet: permissionSetRef(index, grant.permissionSetArn),
      state,
      alsoVia: grant.paths
        .filter(p => p !== through)
        .map(p => ({
          type: p.type,
          name: p.name,
          entityRef: p.entityRef,
          through: p.through,
          state: index.pathStateAt(grant, p, now),
        })),
    });
  }
  return access.sort(
    (a, b) =>
      a.accountName.localeCompare(b.accountName) ||
      a.permissionSet.name.localeCompare(b.permissionSet.name),
  );
}

/** The person's grants where AWS and Entra disagree: still in AWS though Entra no longer grants them, or stuck. */
export function outOfSync(
  index: AccessIndex,
  person: Person | undefined,
  now: Date,
): Grant[] {
  return (person?.grants ?? [])
    .map(grant => toGrant(index, grant, now))
    .filter(grant => isBeingRemoved(grant.state) || isStuck(grant.state));
}

/** How the member got the membership: the request behind it (still holding access), or standing. */
export function originOf(request: StoredRequest | undefined): ReviewOrigin {
  if (!request) return { kind: 'standing' };
  const ref = grantRequestRef(request);
  return {
    kind: 'request',
    requestId: request.id,
    requestedAt: request.createdAt,
    requestedBy: request.requester,
    approvedBy: ref.approvedBy,
    approvedByNames: ref.approvedByNames,
    approvedAt: ref.approvedAt,
    expiresAt: ref.expiresAt,
  };
}

/** What the view of an item needs besides the item: the snapshot, the requests, the teams, the caller's rights. */
export interface ItemContext {
  index: AccessIndex;
  now: Date;
  /** Requests holding access now, by `<member ref>|<group ref>`. */
  requests: Map<string, StoredRequest>;
  /** The member's teams in the catalog, by member ref. */
  teams: Map<string, Array<{ entityRef: string; name: string }>>;
  actions: (item: StoredReviewItem) => ReviewItem['actions'];
}

export function requestKey(memberRef: string, groupRef: string): string {
  return `${memberRef}|${groupRef}`;
}

export function toReviewItem(
  item: StoredReviewItem,
  context: ItemContext,
): ReviewItem {
  const { index, now } = context;
  const person = index.personByKey(item.member.userId);
  return {
    id: item.id,
    campaignId: item.campaignId,
    group: { entityRef: item.group.entityRef, name: item.group.name },
    member: person
      ? index.accessUser(person)
      : { entityRef: item.member.entityRef, displayName: item.member.name },
    teams: context.teams.get(item.member.entityRef) ?? [],
    reviewers: item.reviewers,
    reviewerSource: item.reviewerSource,
    delegatedBy: item.delegatedBy,
    delegatedAt: item.delegatedAt,
    state: item.state,
    decision: item.decision,
    note: item.note,
    decidedBy: item.decidedBy,
    decidedByName: item.decidedByName,
    decidedAt: item.decidedAt,
    removedAt: item.removedAt,
    error: item.error,
    access: membershipAccess(index, person, item.group.id, now),
    accessAtDecision: item.accessAtDecision,
    origin: originOf(
      context.requests.get(
        requestKey(item.member.entityRef, item.group.entityRef),
      ),
    ),
    outOfSync: outOfSync(index, person, now),
    actions: context.actions(item),
  };
}

/** Counts items by state. */
export function progressOf(items: StoredReviewItem[]): ReviewProgress {
  const progress: ReviewProgress = {
    total: items.length,
    pending: 0,
    kept: 0,
    removing: 0,
    removed: 0,
    decided: 0,
  };
  for (const item of items) progress[item.state]++;
  progress.decided = progress.total - progress.pending;
  return progress;
}

/** Items nobody decided by the due date: pending past it (open), or decided by the closing policy (closed). */
export function isOverdue(
  campaign: StoredCampaign,
  item: StoredReviewItem,
  now: Date,
): boolean {
  if (item.undecidedAtDue) return true;
  return (
    campaign.state === 'open' &&
    item.state === 'pending' &&
    Date.parse(campaign.dueAt) <= now.getTime()
  );
}

/** A campaign as served: progress over all its items, and over the caller's. */
export function toReviewCampaign(
  campaign: StoredCampaign,
  items: StoredReviewItem[],
  mine: StoredReviewItem[],
  now: Date,
): ReviewCampaign {
  return {
    id: campaign.id,
    name: campaign.name,
    state: campaign.state,
    groups: campaign.groups,
    dueAt: campaign.dueAt,
    closingPolicy: campaign.closingPolicy,
    createdAt: campaign.createdAt,
    createdBy: campaign.createdBy,
    createdByName: campaign.createdByName,
    closedAt: campaign.closedAt,
    closedReason: campaign.closedReason,
    progress: progressOf(items),
    myProgress: progressOf(mine),
    overdueItems: items.filter(item => isOverdue(campaign, item, now)).length,
  };
}

/** Per group and per reviewer, for the campaign page. */
export function campaignBreakdown(
  items: StoredReviewItem[],
  names: (ref: string) => string | undefined,
): Pick<ReviewCampaign, 'campaignGroups' | 'reviewers'> {
  const byGroup = new Map<string, StoredReviewItem[]>();
  const byReviewer = new Map<string, StoredReviewItem[]>();
  const add = (
    map: Map<string, StoredReviewItem[]>,
    key: string,
    item: StoredReviewItem,
  ) => map.set(key, [...(map.get(key) ?? []), item]);
  for (const item of items) {
    add(byGroup, item.group.entityRef, item);
    const reviewers = item.reviewers.length > 0 ? item.reviewers : ['platform'];
    for (const reviewer of reviewers) add(byReviewer, reviewer, item);
  }
  return {
    campaignGroups: [...byGroup.values()].map(groupItems => {
      const first = groupItems[0];
      return {
        group: { entityRef: first.group.entityRef, name: first.group.name },
        reviewers: [...new Set(groupItems.flatMap(i => i.reviewers))].sort(),
        reviewerSource: first.reviewerSource,
        progress: progressOf(groupItems),
      };
    }),
    reviewers: [...byReviewer.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([reviewer, reviewerItems]) => ({
        reviewer,
        reviewerName: names(reviewer),
        progress: progressOf(reviewerItems),
      })),
  };
}

/** One evidence row per item: the decision, who made it, what AWS showed then, and when a removal reached AWS. */
export function evidenceRow(
  campaign: StoredCampaign,
  item: StoredReviewItem,
): ReviewEvidenceRow {
  return {
    campaignId: campaign.id,
    campaignName: campaign.name,
    itemId: item.id,
    group: item.group.entityRef,
    groupName: item.group.name,
    member: item.member.entityRef,
    memberName: item.member.name,
    reviewers: item.reviewers.length > 0 ? item.reviewers : ['platform'],
    delegatedBy: item.delegatedBy,
    decision: item.decision,
    decidedBy: item.decidedBy,
    note: item.note,
    decidedAt: item.decidedAt,
    accessAtDecision: item.accessAtDecision ?? [],
    state: item.state,
    removedAt: item.removedAt,
  };
}

const EVIDENCE_COLUMNS: Array<[string, (row: ReviewEvidenceRow) => string]> = [
  ['campaign_id', r => r.campaignId],
  ['campaign', r => r.campaignName],
  ['group', r => r.groupName],
  ['group_ref', r => r.group],
  ['member', r => r.memberName],
  ['member_ref', r => r.member],
  ['reviewers', r => r.reviewers.join(' ')],
  ['delegated_by', r => r.delegatedBy ?? ''],
  ['decision', r => r.decision ?? ''],
  ['decided_by', r => r.decidedBy ?? ''],
  ['note', r => r.note ?? ''],
  ['decided_at', r => r.decidedAt ?? ''],
  [
    'aws_at_decision',
    r =>
      r.accessAtDecision
        .map(a => `${a.accountName}/${a.permissionSet.name} (${a.state})`)
        .join('; '),
  ],
  ['state', r => r.state],
  ['removed_from_aws_at', r => r.removedAt ?? ''],
];

/** The evidence as CSV (RFC 4180, CRLF line ends), every cell formula-safe like the access report's. */
export function evidenceToCsv(rows: ReviewEvidenceRow[]): string {
  const lines = [EVIDENCE_COLUMNS.map(([header]) => header).join(',')];
  for (const row of rows) {
    lines.push(
      EVIDENCE_COLUMNS.map(([, cell]) => csvCell(cell(row))).join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
