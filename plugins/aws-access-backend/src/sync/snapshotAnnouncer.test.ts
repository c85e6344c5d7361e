import { mockServices } from '@backstage/backend-test-utils';
import { AWS_ACCESS_SNAPSHOT_COMMITTED_TOPIC } from '@aws-access/plugin-aws-access-common';
import { snapshotAnnouncer } from './snapshotAnnouncer';

describe('snapshotAnnouncer', () => {
  it('returns before the listeners have handled the announcement', () => {
    const published: unknown[] = [];
    // A listener that is still projecting the snapshot: the events service's publish does not settle.
    const events = {
      publish: jest.fn(async (params: unknown) => {
        published.push(params);
        await new Promise(() => {});
      }),
    };
    const announce = snapshotAnnouncer(events, mockServices.logger.mock());

    expect(announce(7)).toBeUndefined();
    expect(published).toEqual([
      {
        topic: AWS_ACCESS_SNAPSHOT_COMMITTED_TOPIC,
        eventPayload: { snapshotVersion: 7 },
      },
    ]);
  });

  it('logs an announcement that failed, with the version', async () => {
    const logger = mockServices.logger.mock();
    const announce = snapshotAnnouncer(
      { publish: async () => Promise.reject(new Error('events backend down')) },
      logger,
    );
    announce(8);
    await new Promise(resolve => setImmediate(resolve));
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not announce a committed snapshot',
      { snapshotVersion: 8, error: 'Error: events backend down' },
    );
  });
});
