import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import type { AwsAccessSnapshotCommittedEvent } from '@aws-access/plugin-aws-access-common';
import { AWS_ACCESS_SNAPSHOT_COMMITTED_TOPIC } from '@aws-access/plugin-aws-access-common';

/**
 * Announces each committed version on the events service without waiting for its listeners: the events service
 * awaits its local subscribers, and the catalog module's projects the whole snapshot (50 s at 100,000 people). The
 * next refresh of the snapshot must not wait for that; listeners that miss an announcement catch up on their poll.
 */
export function snapshotAnnouncer(
  events: Pick<EventsService, 'publish'>,
  logger: LoggerService,
): (snapshotVersion: number) => void {
  return snapshotVersion => {
    const eventPayload: AwsAccessSnapshotCommittedEvent = { snapshotVersion };
    events
      .publish({ topic: AWS_ACCESS_SNAPSHOT_COMMITTED_TOPIC, eventPayload })
      .catch(error =>
        logger.warn('Could not announce a committed snapshot', {
          snapshotVersion,
          error: String(error),
        }),
      );
  };
}
