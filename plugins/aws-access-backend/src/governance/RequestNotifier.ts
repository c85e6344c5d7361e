import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { StoredRequest } from './RequestStore';

/** The page that shows one request, for every notification about it. */
export function requestLink(id: string): string {
  return `/aws-access/requests?request=${encodeURIComponent(id)}`;
}

const TOPIC = 'aws-access-requests';

function what(request: StoredRequest): string {
  const duration = request.duration ? ` for ${request.duration}` : '';
  return `${request.group.name}${duration}`;
}

/**
 * Notifications about requests through the Backstage notifications plugin: approvers when a request is
 * submitted, the requester on each decision, when the access is usable and before it expires (the worker's). A notification that cannot be sent is logged and never fails the
 * transition it reports (the request's state is the truth; the notification is a courtesy).
 */
export class RequestNotifier {
  readonly #notifications?: NotificationService;
  readonly #logger: LoggerService;

  constructor(options: {
    notifications?: NotificationService;
    logger: LoggerService;
  }) {
    this.#notifications = options.notifications;
    this.#logger = options.logger;
  }

  /** To the approvers (users and groups), never to the requester. */
  async submitted(request: StoredRequest, approvers: string[]) {
    if (approvers.length === 0) return;
    await this.#send(request, approvers, {
      title: `${request.requesterName ?? request.requester} asks for ${what(
        request,
      )}`,
      description: request.justification
        ? `Justification: ${request.justification}${
            request.ticket ? ` (${request.ticket})` : ''
          }`
        : undefined,
      severity: 'high',
    });
  }

  /** To the requester, after a decision (approved, denied, revoked by someone else). */
  async decided(request: StoredRequest, by: string, note?: string) {
    const verb: Record<string, string> = {
      approved: 'was approved',
      denied: 'was denied',
      revoking: 'was revoked',
      expired: 'expired without a decision',
    };
    const text = verb[request.state];
    if (!text) return;
    await this.#send(request, [request.requester], {
      title: `Your request for ${what(request)} ${text}`,
      description: [by === 'system' ? undefined : `By ${by}.`, note]
        .filter(Boolean)
        .join(' '),
      severity: request.state === 'approved' ? 'normal' : 'high',
    });
  }

  /** To the requester, from the request worker: AWS shows the access, so it is usable now. */
  async usable(request: StoredRequest) {
    await this.#send(request, [request.requester], {
      title: `Your access through ${request.group.name} is ready in AWS`,
      description: request.expiresAt
        ? `Usable until ${request.expiresAt}.`
        : undefined,
      severity: 'normal',
    });
  }

  /** To the requester, from the request worker, once: the membership ends within 10 minutes. */
  async expiresSoon(request: StoredRequest) {
    await this.#send(request, [request.requester], {
      title: `Your access through ${request.group.name} ends soon`,
      description: `It ends at ${request.expiresAt}. Ask again if you still need it.`,
      severity: 'high',
    });
  }

  async #send(
    request: StoredRequest,
    recipients: string[],
    payload: {
      title: string;
      description?: string;
      severity: 'high' | 'normal';
    },
  ) {
    if (!this.#notifications) return;
    try {
      await this.#notifications.send({
        recipients: {
          type: 'entity',
          entityRef: recipients,
          // Approver groups may include the requester; they are told by their own notification.
          excludeEntityRef: recipients.includes(request.requester)
            ? undefined
            : request.requester,
        },
        payload: {
          ...payload,
          link: requestLink(request.id),
          topic: TOPIC,
          scope: `aws-access-request:${request.id}`,
        },
      });
    } catch (error) {
      this.#logger.warn(
        `Could not send the notification about access request ${request.id}: ${error}`,
      );
    }
  }
}
