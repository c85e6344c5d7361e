import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { StoredCampaign } from './ReviewStore';

/** The page of a campaign's items, for every notification about it. */
export function reviewLink(campaignId: string): string {
  return `/aws-access/reviews?campaign=${encodeURIComponent(campaignId)}`;
}

const TOPIC = 'aws-access-reviews';

/**
 * Notifications to reviewers through the Backstage notifications plugin: when a campaign starts, and the
 * reminders before its due date. Recipients are entity refs (users, or groups whose members review); items
 * nobody else reviews go to the platform groups (`awsAccess.platformGroups`). A notification that cannot be sent
 * is logged and never fails what it reports.
 */
export class ReviewNotifier {
  readonly #notifications?: NotificationService;
  readonly #logger: LoggerService;
  readonly #platformGroups: string[];

  constructor(options: {
    notifications?: NotificationService;
    logger: LoggerService;
    platformGroups?: string[];
  }) {
    this.#notifications = options.notifications;
    this.#logger = options.logger;
    this.#platformGroups = options.platformGroups ?? [];
  }

  /** The entity refs to tell about items with these reviewers (empty: the platform team). */
  recipients(reviewers: string[][]): string[] {
    const refs = new Set<string>();
    for (const list of reviewers) {
      for (const ref of list.length > 0 ? list : this.#platformGroups)
        refs.add(ref);
    }
    return [...refs].sort();
  }

  /** To every reviewer of the campaign: what to review, by when. */
  async started(campaign: StoredCampaign, recipients: string[], items: number) {
    await this.#send(campaign, recipients, {
      title: `Access review "${
        campaign.name
      }": please review by ${campaign.dueAt.slice(0, 10)}`,
      description: `${items} AWS group membership(s) to keep or remove. What each one gives in AWS is on the review page.`,
      severity: 'normal',
    });
  }

  /** To the reviewers who still have undecided items. */
  async remind(
    campaign: StoredCampaign,
    recipients: string[],
    pending: number,
  ) {
    await this.#send(campaign, recipients, {
      title: `Access review "${campaign.name}" is due ${campaign.dueAt.slice(
        0,
        10,
      )}`,
      description: `${pending} membership(s) still undecided. Undecided items are ${
        campaign.closingPolicy === 'keep' ? 'kept' : 'removed'
      } at the due date.`,
      severity: 'high',
    });
  }

  async #send(
    campaign: StoredCampaign,
    recipients: string[],
    payload: {
      title: string;
      description: string;
      severity: 'high' | 'normal';
    },
  ) {
    if (!this.#notifications || recipients.length === 0) return;
    try {
      await this.#notifications.send({
        recipients: { type: 'entity', entityRef: recipients },
        payload: {
          ...payload,
          link: reviewLink(campaign.id),
          topic: TOPIC,
          scope: `aws-access-review:${campaign.id}`,
        },
      });
    } catch (error) {
      this.#logger.warn(
        `Could not send the notification about access review ${campaign.id}: ${error}`,
      );
    }
  }
}
