import { screen } from '@testing-library/react';
import type {
  ChangeEventsStatus,
  SyncStatus,
} from '@aws-access/plugin-aws-access-common';
import { awsAccessAllReadPermission } from '@aws-access/plugin-aws-access-common';
import { AwsPlatformPage } from './AwsPlatformPage';
import { fakeAwsAccessApi, renderWithApi } from '../../__testUtils__/render';
import {
  driftReport,
  onboardingOverview,
  syncStatus,
} from '../../__testUtils__/fixtures';

const READ = awsAccessAllReadPermission.name;

function renderBoard(changeEvents?: ChangeEventsStatus) {
  const status: SyncStatus = { ...syncStatus(), changeEvents };
  const api = fakeAwsAccessApi({
    getSyncStatus: async () => status,
    getDrift: async () => driftReport(),
    getOnboarding: async () => onboardingOverview(),
  });
  renderWithApi(<AwsPlatformPage />, { api, allowed: [READ] });
}

describe('change events on the platform board', () => {
  it('shows unreadable messages, the dead-letter queue and what the reconciliation found missed', async () => {
    renderBoard({
      handled: 812,
      lastPollAt: '2026-11-30T14:10:00Z',
      lastBatch: {
        at: '2026-11-30T14:09:58Z',
        messages: 500,
        targets: 4,
        snapshotVersion: 41,
        durationMs: 1800,
      },
      unreadable: [
        {
          messageId: 'm-poison',
          seenAt: '2026-11-30T14:09:58Z',
          receiveCount: 3,
          reason: 'the message body is not JSON',
        },
      ],
      deadLetterDepth: 2,
      lastReconcile: {
        at: '2026-11-30T02:00:00Z',
        runId: 'r-1',
        missed: 1,
        differences: [
          {
            kind: 'assignment',
            change: 'added',
            subject:
              'GROUP Backend-Team → payments-dev (200000000001) / ReadOnly',
          },
        ],
      },
    });
    const panel = await screen.findByTestId('change-events');
    expect(panel).toHaveTextContent('500 messages, 4 parts of AWS read again');
    expect(panel).toHaveTextContent('812 messages handled');
    expect(screen.getByTestId('change-events-unreadable')).toHaveTextContent(
      'Newest: m-poison (the message body is not JSON, received 3 times)',
    );
    expect(screen.getByTestId('change-events-dead-letters')).toHaveTextContent(
      '2 messages wait in the dead-letter queue',
    );
    expect(screen.getByTestId('change-events-reconcile')).toHaveTextContent(
      'found 1 changes the events had missed (now repaired):assignment added: GROUP Backend-Team → payments-dev (200000000001) / ReadOnly',
    );
  });

  it('says a reconciliation found nothing, and shows no alerts when all is well', async () => {
    renderBoard({
      handled: 3,
      unreadable: [],
      deadLetterDepth: 0,
      lastReconcile: {
        at: '2026-11-30T02:00:00Z',
        runId: 'r-2',
        missed: 0,
        differences: [],
      },
    });
    expect(
      await screen.findByTestId('change-events-reconcile'),
    ).toHaveTextContent('found nothing the events had missed');
    expect(screen.queryByTestId('change-events-unreadable')).toBeNull();
    expect(screen.queryByTestId('change-events-dead-letters')).toBeNull();
  });

  it('has no change events section when the backend does not consume them', async () => {
    renderBoard(undefined);
    await screen.findByTestId('sync-health');
    expect(screen.queryByTestId('change-events')).toBeNull();
  });
});
