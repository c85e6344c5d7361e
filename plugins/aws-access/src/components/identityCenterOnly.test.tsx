import { screen, within } from '@testing-library/react';
import {
  awsAccessAllReadPermission,
  awsAccessProvisionAnyPermission,
  awsAccessProvisionSelfPermission,
} from '@aws-access/plugin-aws-access-common';
import { AwsAccessPage } from './AwsAccessPage';
import { AwsPlatformPage } from './AwsPlatformPage';
import {
  fakeAwsAccessApi,
  permissionsSettled,
  renderWithApi,
} from '../__testUtils__/render';
import {
  activeGrant,
  driftReport,
  onboardingOverview,
  pendingGrant,
  sync,
  syncStatus,
  timeline,
  userAccess,
} from '../__testUtils__/fixtures';

/*
 * Identity Center alone (`identitySource: 'none'`): the pages say plainly what they cannot know, and hide the
 * controls that need Entra (provision now, deprovision now, Entra drift), whatever the data and the permissions.
 */

const identityCenterOnly = { ...sync, identitySource: 'none' as const };
const CANNOT_KNOW =
  'Read from IAM Identity Center alone (no identity source is configured): every grant shown is what AWS allows now. We cannot know what is about to be granted or removed, so there are no pending or being-removed states and no provisioning status.';

describe('with Identity Center alone', () => {
  it('My AWS access says what it cannot know, and offers no provisioning', async () => {
    const api = fakeAwsAccessApi({
      // A pending grant would offer "Request provisioning now" with Entra; without it, nothing can be asked.
      getMyAccess: async () =>
        userAccess({
          grants: [activeGrant, pendingGrant],
          sync: identityCenterOnly,
          myAppsUrl: undefined,
        }),
      getMyTimeline: async () => timeline,
    });
    const { authorize } = renderWithApi(<AwsAccessPage />, {
      api,
      allowed: [awsAccessProvisionSelfPermission.name],
    });
    const banner = await screen.findByTestId('sync-banner');
    await permissionsSettled(authorize);
    expect(
      within(banner).getByTestId('identity-center-only-note'),
    ).toHaveTextContent(CANNOT_KNOW);
    expect(banner).not.toHaveTextContent('Entra provisioning job');
    expect(banner).not.toHaveTextContent('Next cycle');
    expect(screen.queryByTestId('request-provisioning')).toBeNull();
    expect(screen.getAllByTestId('grant-row').length).toBeGreaterThan(0);
  });

  it('My AWS access with Entra shows the provisioning job and no such note', async () => {
    const api = fakeAwsAccessApi({
      getMyAccess: async () =>
        userAccess({ sync: { ...sync, identitySource: 'entra' } }),
      getMyTimeline: async () => timeline,
    });
    renderWithApi(<AwsAccessPage />, {
      api,
      allowed: [awsAccessProvisionSelfPermission.name],
    });
    const banner = await screen.findByTestId('sync-banner');
    expect(banner).toHaveTextContent('Entra provisioning job: Active.');
    expect(screen.queryByTestId('identity-center-only-note')).toBeNull();
    expect(
      await screen.findByTestId('request-provisioning'),
    ).toBeInTheDocument();
  });

  it('the platform board names the mode and explains drift instead of listing it', async () => {
    const api = fakeAwsAccessApi({
      getSyncStatus: async () =>
        syncStatus({
          identitySource: 'none',
          provisioning: { status: 'NotConfigured' },
          samlCertificateExpires: undefined,
        }),
      // Entries a report with Entra would have: the board must not offer Entra's controls for them.
      getDrift: async () => driftReport({ sync: identityCenterOnly }),
      getOnboarding: async () => onboardingOverview(),
    });
    const { authorize } = renderWithApi(<AwsPlatformPage />, {
      api,
      allowed: [
        awsAccessAllReadPermission.name,
        awsAccessProvisionAnyPermission.name,
      ],
    });
    const health = await screen.findByTestId('sync-health');
    await permissionsSettled(authorize);
    // The metadata table title-cases its keys.
    expect(health).toHaveTextContent(
      'Identity SourceNone: IAM Identity Center is read alone',
    );
    expect(health).not.toHaveTextContent(/Entra provisioning job/i);
    expect(health).not.toHaveTextContent(/Next provisioning cycle/i);
    expect(
      within(health).getByTestId('identity-center-only-note'),
    ).toHaveTextContent(CANNOT_KNOW);

    expect(
      await screen.findByTestId('drift-needs-identity-source'),
    ).toHaveTextContent(
      'This backend reads IAM Identity Center alone (no awsAccess.entra), so there is nothing pending, stuck or being removed to show, and no "Deprovision now".',
    );
    expect(screen.queryByTestId('revoking-list')).toBeNull();
    expect(screen.queryByTestId('deprovision-now')).toBeNull();
  });
});
