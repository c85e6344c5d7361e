import type {
  AuditorService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { ReviewsConfig } from './governanceConfig';
import { isoDurationMs } from './governanceConfig';
import type { MembershipFollowThroughOptions } from './MembershipFollowThrough';
import { MembershipFollowThrough } from './MembershipFollowThrough';
import { membershipAccess } from './reviewViews';
import type { ReviewNotifier } from './ReviewNotifier';
import type { RemovalPlan } from './reviewRemoval';
import { ReviewRemovals } from './reviewRemoval';
import type { GovernancePolicies } from './GovernancePolicies';
import type { RequestStore } from './RequestStore';
import type {
  ItemDecision,
  ReviewStore,
  StoredCampaign,
  StoredReviewItem,
} from './ReviewStore';

/** The scheduler task that carries reviews forward (one replica at a time). */
export const REVIEW_WORKER_TASK_ID = 'aws-access-reviews';

const SYSTEM = 'system';

export interface ReviewWorkerOptions extends MembershipFollowThroughOptions {
  store: ReviewStore;
  config: ReviewsConfig;
  notifier?: Pick<ReviewNotifier, 'recipients' | 'remind'>;
  auditor?: AuditorService;
  logger: LoggerService;
  /** The access requests: a closing `remove` of a requested membership revokes its request. */
  requests: Pick<RequestStore, 'list' | 'transition'>;
  /** The governance policies (their mode), when governance is configured. */
  policies?: Pick<GovernancePolicies, 'policyFor'>;
}

/**
 * Carries access reviews forward (governance.md §3): closes a campaign once every item is decided, or at its due
 * date with the closing policy for undecided items; follows every `remove` until AWS shows the access gone (the
 * same follow-through as a request's expiry: Entra removal, provision-on-demand, targeted refresh), then marks
 * the item `removed` with the time; and reminds reviewers with open items before the due date.
 */
export class ReviewWorker {
  readonly #o: ReviewWorkerOptions;
  readonly #now: () => Date;
  readonly #through: MembershipFollowThrough;
  readonly #removals: ReviewRemovals;

  constructor(options: ReviewWorkerOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => new Date());
    this.#through = new MembershipFollowThrough(options);
    this.#removals = new ReviewRemovals(options);
  }

  /** Runs the worker every few seconds as a task of global scope. */
  async schedule(
    scheduler: SchedulerService,
    frequency: { seconds: number } = { seconds: 5 },
  ) {
    await scheduler.scheduleTask({
      id: REVIEW_WORKER_TASK_ID,
      scope: 'global',
      frequency,
      timeout: { minutes: 5 },
      fn: async signal => this.runOnce({ signal: signal as AbortSignal }),
    });
  }

  async runOnce(options: { signal?: AbortSignal } = {}): Promise<void> {
    const { signal } = options;
    await this.#closeDue();
    const open = await this.#o.store.campaigns({ state: 'open' });
    const pending = await this.#o.store.items({
      campaignIds: open.map(c => c.id),
      states: ['pending'],
    });
    await this.#closeDecided(open, pending);
    await this.#remind(open, pending);
    for (const item of await this.#o.store.items({ states: ['removing'] })) {
      signal?.throwIfAborted();
      try {
        await this.#followRemoval(item, signal);
      } catch (error) {
        if (signal?.aborted) throw error;
        this.#o.logger.warn(
          `Review item ${item.id} could not be followed: ${error}`,
        );
      }
    }
  }

  /**
   * Open campaigns past their due date: undecided items get the closing policy, with what AWS shows now. A
   * closing `remove` ends each membership as a reviewer's would: a requested one through its request's revoke.
   */
  async #closeDue() {
    const now = this.#now();
    const due = await this.#o.store.campaigns({ dueBefore: now.toISOString() });
    if (due.length === 0) return;
    const index = await this.#o.snapshots.tryCurrent();
    for (const campaign of due) {
      const removing = campaign.closingPolicy === 'remove';
      const plans = removing ? await this.#removalPlans(campaign) : new Map();
      const undecided = (item: StoredReviewItem): ItemDecision => ({
        decision: campaign.closingPolicy,
        by: SYSTEM,
        note: `Nobody decided by the due date ${campaign.dueAt}: ${
          removing ? 'removed' : 'kept'
        } by the closing policy`,
        accessAtDecision: index
          ? membershipAccess(
              index,
              index.personByKey(item.member.userId),
              item.group.id,
              now,
            )
          : [],
        removalMode: plans.get(item.id)?.removalMode,
      });
      if ((await this.#close(campaign, 'due', undecided)) && removing)
        await this.#revokeClosedRequests(campaign, plans);
    }
  }

  async #removalPlans(
    campaign: StoredCampaign,
  ): Promise<Map<string, RemovalPlan>> {
    const pending = await this.#o.store.items({
      campaignIds: [campaign.id],
      states: ['pending'],
    });
    const plans = new Map<string, RemovalPlan>();
    for (const item of pending)
      plans.set(item.id, await this.#removals.plan(item));
    return plans;
  }

  /** The requests holding memberships the close removed (items still pending at the close) start their revoke. */
  async #revokeClosedRequests(
    campaign: StoredCampaign,
    plans: Map<string, RemovalPlan>,
  ) {
    const closed = await this.#o.store.items({
      campaignIds: [campaign.id],
      undecidedAtDue: true,
    });
    for (const item of closed) {
      const plan = plans.get(item.id);
      if (!plan?.request) continue;
      try {
        await this.#removals.revoke(
          plan,
          SYSTEM,
          `Removed by the closing policy of access review "${campaign.name}" (nobody decided by ${campaign.dueAt})`,
        );
      } catch (error) {
        this.#o.logger.warn(
          `Could not revoke access request ${plan.request.id} for review item ${item.id}: ${error}`,
        );
      }
    }
  }

  async #closeDecided(open: StoredCampaign[], pending: StoredReviewItem[]) {
    const undecided = new Set(pending.map(i => i.campaignId));
    for (const campaign of open) {
      if (!undecided.has(campaign.id)) await this.#close(campaign, 'decided');
    }
  }

  async #close(
    campaign: StoredCampaign,
    reason: 'decided' | 'due',
    undecided?: (item: StoredReviewItem) => ItemDecision,
  ): Promise<boolean> {
    const event = await this.#o.auditor?.createEvent({
      eventId: 'access-review-close',
      severityLevel: 'medium',
      meta: { campaignId: campaign.id, reason, by: SYSTEM },
    });
    try {
      const closed = await this.#o.store.close(campaign.id, reason, undecided);
      await event?.success({ meta: { closed } });
      if (closed)
        this.#o.logger.info(`Access review ${campaign.id} closed (${reason})`);
      return closed;
    } catch (error) {
      await event?.fail({ error: error as Error });
      throw error;
    }
  }

  /**
   * A `remove` decision: remove the member from Entra (unless an access request's revoke does it), then follow
   * until the snapshot shows AWS no longer grants the access through the group and Entra no longer has them.
   */
  async #followRemoval(item: StoredReviewItem, signal?: AbortSignal) {
    const failure = await this.#through.follow(
      {
        key: `review/${item.id}`,
        groupId: item.group.id,
        userId: item.member.userId,
        since: item.decidedAt ?? item.updatedAt,
        removeIn: item.removalMode,
        label: `review item ${item.id}`,
      },
      async shown => {
        if (!shown.gone || shown.intended) return false;
        if (await this.#o.store.markRemoved(item.id)) {
          await this.#audit(item);
        }
        return true;
      },
      signal,
    );
    await this.#o.store.recordRemovalError(item.id, failure ?? null);
    if (failure)
      this.#o.logger.warn(
        `Removing ${item.member.entityRef} from ${item.group.name} (review item ${item.id}) failed: ${failure}`,
      );
  }

  async #audit(item: StoredReviewItem) {
    const event = await this.#o.auditor?.createEvent({
      eventId: 'access-review-removed',
      severityLevel: 'medium',
      meta: {
        campaignId: item.campaignId,
        itemId: item.id,
        group: item.group.entityRef,
        member: item.member.entityRef,
        by: SYSTEM,
      },
    });
    await event?.success();
  }

  /** Each configured reminder once per campaign, to the reviewers who still have undecided items. */
  async #remind(open: StoredCampaign[], pending: StoredReviewItem[]) {
    const { notifier, config } = this.#o;
    if (!notifier) return;
    const now = this.#now().getTime();
    for (const campaign of open) {
      const due = Date.parse(campaign.dueAt);
      const reached = config.reminders.filter(
        d => due - isoDurationMs(d)! <= now,
      ).length;
      if (reached <= campaign.remindersSent) continue;
      if (
        !(await this.#o.store.markReminders(
          campaign.id,
          campaign.remindersSent,
          reached,
        ))
      )
        continue;
      const undecided = pending.filter(i => i.campaignId === campaign.id);
      if (undecided.length === 0) continue;
      try {
        await notifier.remind(
          campaign,
          notifier.recipients(undecided.map(i => i.reviewers)),
          undecided.length,
        );
      } catch (error) {
        this.#o.logger.warn(
          `Could not remind the reviewers of access review ${campaign.id}: ${error}`,
        );
      }
    }
  }
}
