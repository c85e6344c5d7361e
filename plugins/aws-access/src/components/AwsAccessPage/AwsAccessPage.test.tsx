import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { UserAccess } from '@aws-access/plugin-aws-access-common';
import { AwsAccessApi, awsAccessApiRef } from '../../api';
import { AwsAccessPage } from './AwsAccessPage';

const access: UserAccess = {
  user: { entityRef: 'user:default/aamir_example.com', displayName: 'Aamir Siddiqui' },
  grants: [
    {
      accountId: '200000000003',
      accountName: 'payments-prod',
      permissionSet: { name: 'DeveloperReadOnly', arn: 'arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-0000000000000001', sessionDuration: 'PT4H' },
      via: [{ type: 'group', name: 'AWS-Developers-ReadOnly', entityRef: 'group:default/aws-developers-readonly', state: 'active' }],
      state: 'active',
      launchUrl: 'https://d-9067a1b2c3.awsapps.com/start/#/console?account_id=200000000003&role_name=DeveloperReadOnly',
    },
  ],
  sync: {
    snapshotVersion: 1,
    syncedAt: '2026-11-30T09:00:00Z',
    snapshotAge: 10,
    stale: false,
    provisioning: { status: 'Active' },
  },
  identityCenter: null,
  awsCliConfig: '',
  accessPortalUrl: 'https://d-9067a1b2c3.awsapps.com/start',
};

function renderPage(api: Partial<AwsAccessApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[awsAccessApiRef, api]]}>
      <AwsAccessPage />
    </TestApiProvider>,
  );
}

describe('AwsAccessPage', () => {
  it('lists grants with a launch link into the access portal', async () => {
    await renderPage({ getMyAccess: async () => access });

    expect(await screen.findByText('payments-prod')).toBeInTheDocument();
    expect(screen.getByText('DeveloperReadOnly')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /open console/i })).toHaveAttribute(
      'href',
      access.grants[0].launchUrl,
    );
  });

  it('tells a person without grants what to do', async () => {
    await renderPage({ getMyAccess: async () => ({ ...access, grants: [] }) });

    expect(await screen.findByText('You have no AWS access')).toBeInTheDocument();
  });

  it('shows the error when the backend fails', async () => {
    await renderPage({
      getMyAccess: async () => {
        throw new Error('No access snapshot has been synced yet');
      },
    });

    expect((await screen.findAllByText(/No access snapshot has been synced yet/)).length).toBeGreaterThan(0);
  });
});
