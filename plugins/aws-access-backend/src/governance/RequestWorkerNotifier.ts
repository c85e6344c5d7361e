import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { StoredRequest } from './RequestStore';
import type { RequestNotifier } from './RequestWorker';

/** The page of a request in the frontend (`?request=` opens it). */
export function requestLink(id: string): string {
  return `/aws-access/requests?request=${encodeURIComponent(id)}`;
}

function until(request: StoredRequest): string {
  return request.expiresAt ? ` until ${request.expiresAt}` : '';
}

/**
 * The worker's notifications to the requester, through the Backstage notifications service: when the access is
 * usable in AWS, and before it expires. The scope is per request and kind, so a repeated send updates the one
 * notification instead of adding another.
 */
export class RequestWorkerNotifier implements RequestNotifier {
  readonly #notifications: NotificationService;

  constructor(notifications: NotificationService) {
    this.#notifications = notifications;
  }

  async usable(request: StoredRequest): Promise<void> {
    await this.#notifications.send({
      recipients: { type: 'entity', entityRef: request.requester },
      payload: {
        title: `Your AWS access through ${request.group.name} is ready`,
        description: `AWS shows the access you asked for${until(
          request,
        )}. Sign in through the AWS access portal to use it.`,
        link: requestLink(request.id),
        severity: 'normal',
        topic: 'aws-access-request',
        scope: `aws-access-request:${request.id}:usable`,
      },
    });
  }

  async expiresSoon(request: StoredRequest): Promise<void> {
    await this.#notifications.send({
      recipients: { type: 'entity', entityRef: request.requester },
      payload: {
        title: `Your AWS access through ${request.group.name} ends soon`,
        description: `The access ends at ${request.expiresAt}. Ask again if you still need it.`,
        link: requestLink(request.id),
        severity: 'high',
        topic: 'aws-access-request',
        scope: `aws-access-request:${request.id}:expires`,
      },
    });
  }
}
