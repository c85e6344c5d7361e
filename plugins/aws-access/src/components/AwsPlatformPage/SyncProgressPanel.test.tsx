import { act, screen, waitFor, within } from '@testing-library/react';
import type {
  SyncProgress,
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
import { SYNC_POLL_MS } from '../../hooks/useSync';

const READ = awsAccessAllReadPermission.name;

function running(progress: SyncProgress): SyncStatus {
  const status = syncStatus();
  return {
    ...status,
    lastRun: {
      id: 'run-4',
      trigger: 'schedule',
      startedAt: '2026-11-30T14:00:00Z',
      outcome: 'running',
      progress,
    },
  };
}

function board(getSyncStatus: () => Promise<SyncStatus>) {
  return fakeAwsAccessApi({
    getSyncStatus: jest.fn(getSyncStatus),
    getDrift: async () => driftReport(),
    getOnboarding: async () => onboardingOverview(),
  });
}

describe('the running sync on the platform board', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('shows the phase, requests done of expected and the estimate, and refreshes until the run ends', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    const answers = [
      running({
        phase: 'reading',
        updatedAt: '2026-11-30T14:10:00Z',
        requestsDone: 2500,
        requestsExpected: 10000,
        sources: [{ source: 'sso-admin', done: 2500, expected: 10000 }],
        readingDoneAt: '2026-11-30T14:40:00Z',
      }),
      running({
        phase: 'deriving',
        updatedAt: '2026-11-30T14:41:00Z',
        requestsDone: 10010,
        requestsExpected: 10000,
        sources: [{ source: 'sso-admin', done: 10010, expected: 10000 }],
      }),
      syncStatus(),
    ];
    const api = board(async () => answers.shift() ?? syncStatus());
    renderWithApi(<AwsPlatformPage />, { api, allowed: [READ] });

    const panel = await screen.findByTestId('sync-progress');
    expect(panel.dataset.phase).toBe('reading');
    expect(panel).toHaveTextContent('Sync running: reading the sources');
    expect(screen.getByTestId('sync-progress-requests')).toHaveTextContent(
      '2500 of about 10000 requests · reading done in about 30 minutes',
    );
    expect(
      within(screen.getByTestId('sync-progress')).getByRole('progressbar'),
    ).toHaveAttribute('aria-valuenow', '25');

    await act(() => jest.advanceTimersByTimeAsync(SYNC_POLL_MS));
    await waitFor(() =>
      expect(screen.getByTestId('sync-progress').dataset.phase).toBe(
        'deriving',
      ),
    );
    // More requests than last time: the bar stops at full, and reading is over so there is no estimate.
    expect(
      within(screen.getByTestId('sync-progress')).getByRole('progressbar'),
    ).toHaveAttribute('aria-valuenow', '100');
    expect(screen.getByTestId('sync-progress-requests')).toHaveTextContent(
      /^10010 of about 10000 requests$/,
    );

    await act(() => jest.advanceTimersByTimeAsync(SYNC_POLL_MS));
    await waitFor(() =>
      expect(screen.queryByTestId('sync-progress')).toBeNull(),
    );
    expect(api.getSyncStatus).toHaveBeenCalledTimes(3);
    // Finished: no more polling.
    await act(() => jest.advanceTimersByTimeAsync(3 * SYNC_POLL_MS));
    expect(api.getSyncStatus).toHaveBeenCalledTimes(3);
  });

  it('on a first run shows the requests so far and says there is nothing to estimate from', async () => {
    const api = board(async () =>
      running({
        phase: 'reading',
        updatedAt: '2026-11-30T14:10:00Z',
        requestsDone: 420,
        sources: [{ source: 'graph', done: 420 }],
      }),
    );
    renderWithApi(<AwsPlatformPage />, { api, allowed: [READ] });
    expect(
      await screen.findByTestId('sync-progress-requests'),
    ).toHaveTextContent(
      '420 requests so far (first run: nothing to compare with, no estimate)',
    );
    expect(
      within(screen.getByTestId('sync-progress')).getByRole('progressbar'),
    ).not.toHaveAttribute('aria-valuenow');
  });
});
