import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type {
  CreateReviewCampaign,
  OverdueReviewItem,
  ReviewCampaign,
  ReviewDecision,
  ReviewEvidence,
  ReviewItem,
  ReviewItemPage,
} from '@aws-access/plugin-aws-access-common';
import type { AccessControl, Caller } from '../auth/AccessControl';
import type { AccessIndex } from '../snapshot/AccessIndex';
import type { ApproverDirectory } from './ApproverDirectory';
import type { ReviewsConfig } from './governanceConfig';
import type { GovernancePolicies } from './GovernancePolicies';
import { groupGrants } from './GovernancePolicies';
import type { RequestStore, StoredRequest } from './RequestStore';
import { ReviewerRules } from './ReviewerRules';
import { HOLDING, ReviewRemovals } from './reviewRemoval';
import type { ReviewNotifier } from './ReviewNotifier';
import {
  campaignGroups,
  itemsOf,
  nestedMembersOf,
  reviewersOf,
} from './reviewPlanning';
import type {
  ReviewStore,
  StoredCampaign,
  StoredReviewItem,
} from './ReviewStore';
import type { ItemContext } from './reviewViews';
import {
  campaignBreakdown,
  evidenceRow,
  isOverdue,
  membershipAccess,
  requestKey,
  toReviewCampaign,
  toReviewItem,
} from './reviewViews';
import { fieldError } from './submission';

/** How long closed campaigns stay on the overdue list. */
const OVERDUE_WINDOW_MS = 90 * 24 * 3_600_000;

const MANAGE = 'aws-access.review.manage';

export interface ReviewServiceOptions {
  store: ReviewStore;
  requests: Pick<RequestStore, 'list' | 'transition'>;
  policies: GovernancePolicies;
  directory: ApproverDirectory;
  access: AccessControl;
  notifier: ReviewNotifier;
  config: ReviewsConfig;
  logger: LoggerService;
  now?: () => Date;
}

/**
 * Access reviews as people run them (governance.md §3): the platform team starts campaigns; reviewers read their
 * items (one call per page, whatever the group's size) and decide keep or remove; decisions are compare-and-sets
 * in the store. Following a removal until AWS shows it gone, reminders and closing at the due date are the
 * ReviewWorker's.
 */
export class ReviewService {
  readonly #o: ReviewServiceOptions;
  readonly #now: () => Date;
  readonly #removals: ReviewRemovals;

  constructor(options: ReviewServiceOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => new Date());
    this.#removals = new ReviewRemovals(options);
  }

  rulesFor(caller: Caller): Promise<ReviewerRules> {
    return ReviewerRules.forCaller(caller, this.#o);
  }

  /** Starts a campaign: one pending item per direct member of each group, and tells the reviewers. */
  async create(
    rules: ReviewerRules,
    index: AccessIndex,
    body: CreateReviewCampaign,
  ): Promise<ReviewCampaign> {
    this.#requireManage(rules, 'start an access review');
    const name = body.name.trim();
    if (!name) throw fieldError('name', 'must not be empty');
    const due = Date.parse(body.dueAt);
    if (!/^\d{4}-\d{2}-\d{2}/.test(body.dueAt) || Number.isNaN(due)) {
      throw fieldError(
        'dueAt',
        'must be an ISO 8601 timestamp (like 2026-12-31T17:00:00Z)',
      );
    }
    if (due <= this.#now().getTime()) {
      throw fieldError('dueAt', `${body.dueAt} is not in the future`);
    }
    const { policies, directory } = this.#o;
    const groups = campaignGroups(index, policies, body.groups);
    const items = [];
    for (const group of groups) {
      const reviewers = await reviewersOf(index, policies, directory, group);
      items.push(...itemsOf(index, group, reviewers));
    }
    const campaign = await this.#o.store.createCampaign(
      {
        name,
        groups: body.groups?.length ? groups.map(g => g.ref) : undefined,
        dueAt: new Date(due).toISOString(),
        closingPolicy: body.closingPolicy ?? this.#o.config.closingPolicy,
        createdBy: rules.userRef,
        createdByName: index.personByEntityRef(rules.userRef)?.displayName,
      },
      items,
    );
    const stored = await this.#o.store.items({ campaignIds: [campaign.id] });
    await this.#o.notifier.started(
      campaign,
      this.#o.notifier.recipients(stored.map(i => i.reviewers)),
      stored.length,
    );
    return this.#campaignView(rules, campaign, stored, { index });
  }

  /** The campaigns where the caller reviews items, or (platform team) all. */
  async list(
    rules: ReviewerRules,
    role: 'reviewer' | 'all',
  ): Promise<ReviewCampaign[]> {
    if (role === 'all') this.#requireManage(rules, 'list every access review');
    const campaigns = await this.#o.store.campaigns();
    const items = await this.#o.store.items({
      campaignIds: campaigns.map(c => c.id),
    });
    const views: ReviewCampaign[] = [];
    for (const campaign of campaigns) {
      const own = items.filter(i => i.campaignId === campaign.id);
      if (role === 'reviewer' && !own.some(i => rules.reviews(i))) continue;
      views.push(this.#campaignView(rules, campaign, own, false));
    }
    return views;
  }

  /** One campaign with its progress per group (and per reviewer for the platform team). */
  async get(
    rules: ReviewerRules,
    index: AccessIndex,
    id: string,
  ): Promise<ReviewCampaign> {
    const { campaign, items } = await this.#visibleCampaign(rules, id);
    return this.#campaignView(rules, campaign, items, { index });
  }

  /** The caller's items (or all, platform team) grouped by group: one response for a reviewer's whole page. */
  async page(
    rules: ReviewerRules,
    index: AccessIndex,
    id: string,
    options: { reviewer: 'me' | 'all'; group?: string },
  ): Promise<ReviewItemPage> {
    if (options.reviewer === 'all')
      this.#requireManage(rules, 'read every item of an access review');
    const { campaign, items } = await this.#visibleCampaign(rules, id);
    const shown = items.filter(
      item =>
        (options.reviewer === 'all' || rules.reviews(item)) &&
        (!options.group || item.group.entityRef === options.group),
    );
    const context = await this.#itemContext(rules, campaign, index, shown);
    const byGroup = new Map<string, StoredReviewItem[]>();
    for (const item of shown) {
      byGroup.set(item.group.entityRef, [
        ...(byGroup.get(item.group.entityRef) ?? []),
        item,
      ]);
    }
    return {
      campaign: this.#campaignView(rules, campaign, items, false),
      groups: [...byGroup.entries()].map(([ref, groupItems]) => {
        const group = index.identityGroupsByRef.get(ref);
        const awsGroup = this.#o.policies.awsGroup(index, ref);
        return {
          group: { entityRef: ref, name: groupItems[0].group.name },
          assignments: group ? groupGrants(index, group) : [],
          reviewers: [...new Set(groupItems.flatMap(i => i.reviewers))].sort(),
          reviewerSource: groupItems[0].reviewerSource,
          items: groupItems.map(item => toReviewItem(item, context)),
          nestedMembers: awsGroup ? nestedMembersOf(index, awsGroup) : [],
        };
      }),
    };
  }

  /** The items of one group the caller may keep in bulk: pending, and theirs to decide. */
  async bulkCandidates(
    rules: ReviewerRules,
    campaignId: string,
    groupRef: string,
  ): Promise<StoredReviewItem[]> {
    const { campaign, items } = await this.#visibleCampaign(rules, campaignId);
    this.#requireOpen(campaign);
    const ofGroup = items.filter(i => i.group.entityRef === groupRef);
    const mine = ofGroup.filter(i => i.state === 'pending' && rules.reviews(i));
    if (ofGroup.length > 0 && !ofGroup.some(i => rules.reviews(i))) {
      throw new NotAllowedError(
        `You are not a reviewer of ${groupRef} in this campaign`,
      );
    }
    return mine;
  }

  /**
   * One decision. `remove` records what AWS shows now and hands the removal to the worker; a membership that an
   * access request holds is ended through that request's revoke (the request's own follow-through removes it).
   */
  async decide(
    rules: ReviewerRules,
    index: AccessIndex,
    campaignId: string,
    itemId: string,
    said: { decision: ReviewDecision; note?: string },
  ): Promise<{ item: ReviewItem; from: string }> {
    const { campaign, decided, from } = await this.record(
      rules,
      index,
      campaignId,
      itemId,
      said,
    );
    const [item] = await this.views(rules, index, campaign, [decided]);
    return { item, from };
  }

  /** A decision stored (see {@link ReviewService.decide}), without the item's view: bulk keeps build views once. */
  async record(
    rules: ReviewerRules,
    index: AccessIndex,
    campaignId: string,
    itemId: string,
    said: { decision: ReviewDecision; note?: string },
  ): Promise<{
    campaign: StoredCampaign;
    decided: StoredReviewItem;
    from: string;
  }> {
    const { campaign, item } = await this.#item(campaignId, itemId);
    this.#requireOpen(campaign);
    this.#requireReviewer(rules, item, 'decide');
    const removal =
      said.decision === 'remove' ? await this.#removals.plan(item) : {};
    const person = index.personByKey(item.member.userId);
    const decided = await this.#o.store.decide(
      campaignId,
      itemId,
      ['pending', 'kept'],
      {
        decision: said.decision,
        note: said.note,
        by: rules.userRef,
        byName: index.personByEntityRef(rules.userRef)?.displayName,
        accessAtDecision: membershipAccess(
          index,
          person,
          item.group.id,
          this.#now(),
        ),
        removalMode: removal.removalMode,
      },
    );
    await this.#removals.revoke(
      removal,
      rules.userRef,
      `Removed in access review "${campaign.name}"${
        said.note ? `: ${said.note}` : ''
      }`,
    );
    return { campaign, decided, from: item.state };
  }

  /** Items as the caller sees them, with one read of their requests and teams for all of them. */
  async views(
    rules: ReviewerRules,
    index: AccessIndex,
    campaign: StoredCampaign,
    items: StoredReviewItem[],
  ): Promise<ReviewItem[]> {
    const context = await this.#itemContext(rules, campaign, index, items);
    return items.map(item => toReviewItem(item, context));
  }

  /** Hands a pending item to another person. */
  async delegate(
    rules: ReviewerRules,
    index: AccessIndex,
    campaignId: string,
    itemId: string,
    to: string,
  ): Promise<ReviewItem> {
    const { campaign, item } = await this.#item(campaignId, itemId);
    this.#requireOpen(campaign);
    if (!rules.reviews(item) && !rules.canManage)
      this.#requireReviewer(rules, item, 'delegate');
    if (to === item.member.entityRef) {
      throw fieldError(
        'to',
        `${to} is the member: nobody reviews their own membership`,
      );
    }
    if (to === rules.userRef && !rules.canManage) {
      throw fieldError('to', 'is you: delegate to someone else');
    }
    const delegated = await this.#o.store.delegate(campaignId, itemId, {
      to,
      by: rules.userRef,
    });
    const context = await this.#itemContext(rules, campaign, index, [
      delegated,
    ]);
    return toReviewItem(delegated, context);
  }

  /** The evidence for auditors (platform team), kept after the campaign closes. */
  async evidence(rules: ReviewerRules, id: string): Promise<ReviewEvidence> {
    this.#requireManage(rules, 'export access review evidence');
    const { campaign, items } = await this.#visibleCampaign(rules, id);
    return {
      campaign: this.#campaignView(rules, campaign, items, {}),
      exportedAt: this.#now().toISOString(),
      rows: items.map(item => evidenceRow(campaign, item)),
    };
  }

  /** Items nobody decided by the due date, for the platform board. */
  async overdue(rules: ReviewerRules): Promise<OverdueReviewItem[]> {
    this.#requireManage(rules, 'list overdue access review items');
    const now = this.#now();
    const since = new Date(now.getTime() - OVERDUE_WINDOW_MS).toISOString();
    const campaigns = [
      ...(await this.#o.store.campaigns({ dueBefore: now.toISOString() })),
      ...(await this.#o.store.campaigns({ closedFrom: since })),
    ].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
    const items = await this.#o.store.items({
      campaignIds: campaigns.map(c => c.id),
    });
    return campaigns.flatMap(campaign =>
      items
        .filter(
          i => i.campaignId === campaign.id && isOverdue(campaign, i, now),
        )
        .map(i => ({
          campaign: {
            id: campaign.id,
            name: campaign.name,
            dueAt: campaign.dueAt,
            state: campaign.state,
          },
          itemId: i.id,
          group: { entityRef: i.group.entityRef, name: i.group.name },
          member: { entityRef: i.member.entityRef, displayName: i.member.name },
          reviewers: i.reviewers,
          reviewerSource: i.reviewerSource,
          state: i.state,
        })),
    );
  }

  /** A campaign as served; with `breakdown`, per group and (platform team) per reviewer, named from the index. */
  #campaignView(
    rules: ReviewerRules,
    campaign: StoredCampaign,
    items: StoredReviewItem[],
    breakdown: false | { index?: AccessIndex },
  ): ReviewCampaign {
    const mine = items.filter(i => rules.reviews(i));
    const view = toReviewCampaign(campaign, items, mine, this.#now());
    if (!breakdown) return view;
    const { index } = breakdown;
    const parts = campaignBreakdown(
      rules.canManage ? items : mine,
      ref =>
        index?.personByEntityRef(ref)?.displayName ??
        index?.identityGroupsByRef.get(ref)?.displayName,
    );
    return {
      ...view,
      campaignGroups: parts.campaignGroups,
      ...(rules.canManage && { reviewers: parts.reviewers }),
    };
  }

  async #itemContext(
    rules: ReviewerRules,
    campaign: StoredCampaign,
    index: AccessIndex,
    items: StoredReviewItem[],
  ): Promise<ItemContext> {
    const requests = new Map<string, StoredRequest>();
    const groupRefs = [...new Set(items.map(i => i.group.entityRef))];
    if (groupRefs.length > 0) {
      for (const request of await this.#o.requests.list({
        groupRefs,
        states: [...HOLDING],
        order: 'oldest',
      })) {
        requests.set(
          requestKey(request.requester, request.group.entityRef),
          request,
        );
      }
    }
    return {
      index,
      now: this.#now(),
      requests,
      teams: await this.#teams(index, items),
      actions: item => rules.actions(campaign, item),
    };
  }

  /** The members' catalog groups that are not AWS groups: their teams. A catalog failure shows no teams. */
  async #teams(index: AccessIndex, items: StoredReviewItem[]) {
    const refs = [...new Set(items.map(i => i.member.entityRef))];
    if (refs.length === 0) return new Map();
    try {
      const groups = await this.#o.directory.catalogGroupsOf(refs);
      for (const [user, list] of groups) {
        groups.set(
          user,
          list.filter(g => {
            const group = index.identityGroupsByRef.get(g.entityRef);
            return !group || !index.scopedGroupIds.has(group.id);
          }),
        );
      }
      return groups;
    } catch (error) {
      this.#o.logger.warn(
        `Could not read the reviewed members' teams from the catalog: ${error}`,
      );
      return new Map();
    }
  }

  /** A campaign the caller may see: the platform team every one, a reviewer those with their items (else 404). */
  async #visibleCampaign(rules: ReviewerRules, id: string) {
    const campaign = await this.#o.store.campaign(id);
    const items = campaign
      ? await this.#o.store.items({ campaignIds: [id] })
      : [];
    if (!campaign || !(rules.canManage || items.some(i => rules.reviews(i)))) {
      throw new NotFoundError(`No access review ${id}`);
    }
    return { campaign, items };
  }

  async #item(campaignId: string, itemId: string) {
    const campaign = await this.#o.store.campaign(campaignId);
    const item = campaign && (await this.#o.store.item(campaignId, itemId));
    if (!campaign || !item)
      throw new NotFoundError(
        `No review item ${itemId} in access review ${campaignId}`,
      );
    return { campaign, item };
  }

  #requireManage(rules: ReviewerRules, what: string) {
    if (!rules.canManage) {
      throw new NotAllowedError(
        `You may not ${what} (missing permission ${MANAGE})`,
      );
    }
  }

  #requireOpen(campaign: StoredCampaign) {
    if (campaign.state !== 'open') {
      throw new ConflictError(
        `Access review "${campaign.name}" is closed (${campaign.closedReason} at ${campaign.closedAt}): its decisions are final`,
      );
    }
  }

  #requireReviewer(rules: ReviewerRules, item: StoredReviewItem, verb: string) {
    if (rules.isOwn(item)) {
      throw new NotAllowedError(
        `You cannot ${verb} on your own membership of ${item.group.entityRef}`,
      );
    }
    if (!rules.reviews(item)) {
      throw new NotAllowedError(
        `You may not ${verb} on this item: you are not a reviewer of ${
          item.member.name
        } in ${item.group.name}${
          item.reviewers.length === 0
            ? ` (the platform team reviews it: ${MANAGE})`
            : ''
        }`,
      );
    }
  }
}
