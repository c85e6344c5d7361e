import { screen } from '@testing-library/react';
import type {
  IdentityRefreshStatus,
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

function renderBoard(identityRefresh?: IdentityRefreshStatus) {
  const status: SyncStatus = { ...syncStatus(), identityRefresh };
  const api = fakeAwsAccessApi({
    getSyncStatus: async () => status,
    getDrift: async () => driftReport(),
    getOnboarding: async () => onboardingOverview(),
  });
  renderWithApi(<AwsPlatformPage />, { api, allowed: [READ] });
}

describe("Entra's own refresh on the platform board", () => {
  it('says when Entra was last read, how often, and when it last changed', async () => {
    renderBoard({
      everySeconds: 60,
      lastReadAt: '2026-11-30T14:10:00Z',
      lastCommit: { at: '2026-11-30T14:02:00Z', snapshotVersion: 41 },
    });
    const health = await screen.findByTestId('sync-health');
    expect(health).toHaveTextContent(/Entra last read/i);
    expect(health).toHaveTextContent(/\(every 1 minute\); last change \S/);
    expect(screen.queryByTestId('entra-refresh-error')).toBeNull();
  });

  it('warns about a failed refresh until a later read succeeds', async () => {
    renderBoard({
      everySeconds: 60,
      lastReadAt: '2026-11-30T14:08:00Z',
      lastError: {
        at: '2026-11-30T14:09:00Z',
        message: 'graph http-500: Graph answered 500',
      },
    });
    expect(await screen.findByTestId('entra-refresh-error')).toHaveTextContent(
      'graph http-500: Graph answered 500. Nothing changed; the next refresh reads again.',
    );
  });

  it('shows no old failure once a read has succeeded since', async () => {
    renderBoard({
      everySeconds: 60,
      lastReadAt: '2026-11-30T14:10:00Z',
      lastError: { at: '2026-11-30T14:09:00Z', message: 'old' },
    });
    const health = await screen.findByTestId('sync-health');
    expect(screen.queryByTestId('entra-refresh-error')).toBeNull();
    expect(health).toHaveTextContent('last change never');
  });

  it('has no Entra refresh row when the backend has none', async () => {
    renderBoard(undefined);
    const health = await screen.findByTestId('sync-health');
    expect(health).not.toHaveTextContent(/Entra last read/i);
  });
});
