import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { awsAccessProvisionSelfPermission } from '@aws-access/plugin-aws-access-common';
import { AwsAccessPage } from './AwsAccessPage';
import {
  errors,
  fakeAwsAccessApi,
  permissionsSettled,
  renderWithApi,
} from '../../__testUtils__/render';
import {
  activeGrant,
  awsCliConfig,
  hostileName,
  nestedGrant,
  pendingGrant,
  provisionResult,
  revokingGrant,
  stuckGrant,
  syncStatus,
  timeline,
  twoPathGrant,
  userAccess,
} from '../../__testUtils__/fixtures';

function grantRow(accountId: string, permissionSet: string): HTMLElement {
  const row = screen
    .getAllByTestId('grant-row')
    .find(
      r =>
        r.dataset.accountId === accountId &&
        r.dataset.permissionSet === permissionSet,
    );
  if (!row) {
    throw new Error(`no grant row ${accountId} ${permissionSet}`);
  }
  return row;
}

function sentences(): Record<string, string> {
  return Object.fromEntries(
    screen
      .getAllByTestId('grant-sentence')
      .map(element => [element.dataset.state!, element.textContent!]),
  );
}

describe('AwsAccessPage', () => {
  it('lists grants by account with state chips and a launch button that opens the portal in a new tab', async () => {
    const api = fakeAwsAccessApi({
      getMyAccess: async () => userAccess(),
      getMyTimeline: async () => timeline,
    });
    await renderWithApi(<AwsAccessPage />, { api });

    expect(await screen.findByText('payments-prod')).toBeInTheDocument();
    expect(
      screen.getAllByTestId('account-row').map(row => row.dataset.accountId),
    ).toEqual(['200000000007', '200000000001', '200000000003']);
    expect(
      screen.getByText('Workloads/Prod', { exact: false }),
    ).toBeInTheDocument();

    const active = grantRow('200000000003', 'DeveloperReadOnly');
    expect(within(active).getByTestId('grant-state-chip')).toHaveTextContent(
      'Active',
    );
    expect(within(active).getByText('4 h')).toBeInTheDocument();
    expect(within(active).getByTestId('grant-via')).toHaveTextContent(
      'via AWS-Developers-ReadOnly (active)',
    );
    const launch = within(active).getByRole('link', {
      name: 'Open payments-prod as DeveloperReadOnly in the AWS access portal',
    });
    expect(launch).toHaveAttribute('href', activeGrant.launchUrl);
    expect(launch).toHaveAttribute('target', '_blank');
    expect(launch).toHaveAttribute('rel', 'noopener noreferrer');

    // Revoking grants still work in AWS and can launch; pending and nested ones cannot.
    expect(
      within(grantRow('200000000001', 'DeveloperReadOnly')).getByRole('link'),
    ).toHaveAttribute('href', revokingGrant.launchUrl);
    expect(
      within(grantRow('200000000001', 'DeveloperPowerUser')).queryByRole(
        'link',
      ),
    ).toBeNull();
    expect(
      within(grantRow('200000000007', 'DataAnalyst')).queryByRole('link'),
    ).toBeNull();

    expect(
      within(grantRow('200000000001', 'DeveloperPowerUser')).getByTestId(
        'grant-state-chip',
      ),
    ).toHaveTextContent('Pending');
    expect(
      within(grantRow('200000000001', 'DeveloperReadOnly')).getByTestId(
        'grant-state-chip',
      ),
    ).toHaveTextContent('Being removed');
    expect(
      within(grantRow('200000000007', 'DataAnalyst')).getByTestId(
        'grant-state-chip',
      ),
    ).toHaveTextContent('Never provisioned');
  });

  it('says in plain words what each non-active state means for the person', async () => {
    const api = fakeAwsAccessApi({
      getMyAccess: async () =>
        userAccess({
          grants: [
            activeGrant,
            pendingGrant,
            revokingGrant,
            nestedGrant,
            stuckGrant,
          ],
        }),
      getMyTimeline: async () => timeline,
    });
    await renderWithApi(<AwsAccessPage />, { api });
    await screen.findByText('payments-prod');

    expect(sentences()).toEqual({
      pending:
        'You were added to AWS-Developers-PowerUser; AWS has not received it yet. Expected by ≈ 13:20.',
      revoking:
        'Entra removed this; AWS still allows it until the next provisioning cycle (≈ 13:20).',
      'unsupported-nesting':
        'Your nested membership through Data-Team will never reach AWS: ask to be added to AWS-Data-Analysts directly.',
      stuck:
        'You were added to AWS-Developers-PowerUser, but AWS has still not received it after two provisioning cycles. Contact the platform team and mention this account and permission set.',
    });
  });

  it('shows every path of a grant with its own state', async () => {
    const api = fakeAwsAccessApi({
      getMyAccess: async () => userAccess({ grants: [twoPathGrant] }),
      getMyTimeline: async () => timeline,
    });
    await renderWithApi(<AwsAccessPage />, { api });
    expect(await screen.findByTestId('grant-via')).toHaveTextContent(
      'via AWS-Developers-PowerUser (active), AWS-Developers-ReadOnly (being removed)',
    );
    expect(screen.queryByTestId('grant-sentence')).toBeNull();
  });

  it('blames a quarantined provisioning job for stuck grants', async () => {
    const api = fakeAwsAccessApi({
      getMyAccess: async () =>
        userAccess({
          grants: [stuckGrant],
          sync: {
            ...userAccess().sync,
            provisioning: {
              status: 'Quarantine',
              quarantineReason: 'EncounteredQuarantineException',
            },
          },
        }),
      getMyTimeline: async () => timeline,
    });
    await renderWithApi(<AwsAccessPage />, { api });
    expect(await screen.findByTestId('grant-sentence')).toHaveTextContent(
      'The Entra provisioning job is quarantined (EncounteredQuarantineException)',
    );
    expect(screen.getByTestId('quarantine-banner')).toHaveTextContent(
      'EncounteredQuarantineException',
    );
  });

  it('shows the sync banner, links, the ~/.aws/config block and the timeline', async () => {
    const access = userAccess();
    const api = fakeAwsAccessApi({
      getMyAccess: async () => access,
      getMyTimeline: async () => timeline,
      getMyAwsCliConfig: async () => awsCliConfig,
    });
    await renderWithApi(<AwsAccessPage />, { api });

    const banner = await screen.findByTestId('sync-banner');
    expect(banner).toHaveTextContent('Last sync');
    expect(banner).toHaveTextContent('(4 minutes ago)');
    expect(banner).toHaveTextContent('Entra provisioning job: Active.');
    expect(banner).toHaveTextContent('Next cycle ≈ 13:20.');
    expect(screen.queryByTestId('stale-banner')).toBeNull();
    expect(api.getSyncStatus).not.toHaveBeenCalled();

    expect(
      screen.getByRole('link', { name: /^Open the AWS tile in Entra My Apps/ }),
    ).toHaveAttribute('href', access.myAppsUrl);
    expect(
      screen.getByRole('link', { name: /^Open the AWS access portal/ }),
    ).toHaveAttribute('href', access.accessPortalUrl);
    await waitFor(() =>
      expect(screen.getByTestId('aws-cli-config')).toHaveTextContent(
        '[profile payments-prod-developerreadonly]',
      ),
    );
    expect(screen.getByTestId('aws-cli-config')).toHaveTextContent(
      'sso_start_url = https://d-9067a1b2c3.awsapps.com/start',
    );
    expect(api.getMyAwsCliConfig).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId('aws-cli-config-download')).toBeEnabled();
    expect(
      within(screen.getByTestId('aws-cli-config')).getByRole('button'),
    ).toBeInTheDocument();

    const events = await screen.findAllByTestId('timeline-event');
    expect(events.map(event => event.dataset.source)).toEqual([
      'entra',
      'scim',
    ]);
    expect(events[0]).toHaveTextContent(
      'Added to AWS-Developers-PowerUser in Entra',
    );
    expect(events[1]).toHaveTextContent('T+38 minutes');
    expect(screen.getByTestId('timeline-delay')).toHaveTextContent(
      'AWS-Developers-PowerUser: reached AWS after 38 minutes',
    );
  });

  it('warns when the data is stale, with the last sync error', async () => {
    const api = fakeAwsAccessApi({
      getMyAccess: async () =>
        userAccess({
          sync: { ...userAccess().sync, stale: true, snapshotAge: 5 * 3600 },
        }),
      getMyTimeline: async () => timeline,
      getSyncStatus: async () =>
        syncStatus({
          stale: true,
          lastRun: {
            id: 'run-9',
            trigger: 'schedule',
            startedAt: '2026-11-30T13:00:00Z',
            outcome: 'failed',
            error: {
              source: 'sso-admin',
              class: 'throttle',
              message: 'Rate exceeded',
            },
          },
        }),
    });
    await renderWithApi(<AwsAccessPage />, { api });
    await waitFor(() =>
      expect(screen.getByTestId('stale-banner')).toHaveTextContent(
        'AWS access data is 5 hours old; the last sync failed: Rate exceeded',
      ),
    );
  });

  it('names the AWS side when only Entra has been read since the last full sync', async () => {
    const api = fakeAwsAccessApi({
      getMyAccess: async () =>
        userAccess({
          sync: {
            ...userAccess().sync,
            stale: true,
            snapshotAge: 5 * 3600,
            syncedAt: '2026-11-30T08:00:00Z',
            sides: {
              identity: '2026-11-30T12:30:00Z',
              aws: '2026-11-30T08:00:00Z',
              older: 'aws',
            },
          },
        }),
      getMyTimeline: async () => timeline,
    });
    await renderWithApi(<AwsAccessPage />, { api });
    await waitFor(() =>
      expect(screen.getByTestId('stale-side')).toHaveTextContent(
        'AWS (IAM Identity Center) was last read in full 5 hours ago; only Entra has been read since (30 minutes ago).',
      ),
    );
    expect(screen.getByTestId('stale-banner')).toHaveTextContent(
      'AWS access data is 5 hours old',
    );
  });

  it('names no side when a full sync read both last', async () => {
    const api = fakeAwsAccessApi({
      getMyAccess: async () =>
        userAccess({
          sync: {
            ...userAccess().sync,
            stale: true,
            snapshotAge: 5 * 3600,
            sides: {
              identity: '2026-11-30T08:00:00Z',
              aws: '2026-11-30T08:00:00Z',
            },
          },
        }),
      getMyTimeline: async () => timeline,
    });
    await renderWithApi(<AwsAccessPage />, { api });
    await screen.findByTestId('stale-banner');
    expect(screen.queryByTestId('stale-side')).toBeNull();
  });

  it('tells a person without grants what to do', async () => {
    const api = fakeAwsAccessApi({
      getMyAccess: async () => userAccess({ grants: [] }),
      getMyTimeline: async () => ({
        ...timeline,
        events: [],
        provisioningDelays: [],
      }),
    });
    await renderWithApi(<AwsAccessPage />, { api });
    expect(await screen.findByTestId('no-grants')).toHaveTextContent(
      'You have no AWS access. Ask your team lead to add you to one of the AWS groups in Entra ID (e.g. AWS-Developers-ReadOnly).',
    );
    expect(screen.queryByTestId('aws-cli-config')).toBeNull();
    expect(screen.queryByTestId('aws-cli-config-download')).toBeNull();
    expect(await screen.findByTestId('timeline-empty')).toBeInTheDocument();
    expect(api.getMyAwsCliConfig).not.toHaveBeenCalled();
  });

  it('shows a failed timeline in its card and keeps the access', async () => {
    const api = fakeAwsAccessApi({
      getMyAccess: async () => userAccess(),
      getMyAwsCliConfig: async () => awsCliConfig,
      getMyTimeline: jest
        .fn()
        .mockRejectedValueOnce(errors.broken())
        .mockResolvedValue(timeline),
    });
    renderWithApi(<AwsAccessPage />, { api });
    await screen.findByText('payments-prod');
    expect(screen.getByText('What happened')).toBeInTheDocument();
    const panel = await screen.findByTestId('access-error');
    expect(panel).toHaveTextContent('Something broke in the backend');
    await userEvent.click(within(panel).getByRole('button', { name: 'Retry' }));
    expect(await screen.findAllByTestId('timeline-event')).toHaveLength(2);
    expect(screen.queryByTestId('access-error')).toBeNull();
  });

  it('shows progress while loading', async () => {
    const api = fakeAwsAccessApi({
      getMyAccess: () => new Promise(() => {}),
      getMyTimeline: () => new Promise(() => {}),
    });
    await renderWithApi(<AwsAccessPage />, { api });
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('explains that nothing has been synced yet and retries', async () => {
    const api = fakeAwsAccessApi({
      getMyAccess: async () => {
        throw errors.notSynced();
      },
      getMyTimeline: async () => timeline,
    });
    await renderWithApi(<AwsAccessPage />, { api });
    expect(
      await screen.findByText(
        'AWS access has not been synced yet. The first sync runs a minute after the backend starts.',
      ),
    ).toBeInTheDocument();

    api.getMyAccess.mockResolvedValueOnce(userAccess());
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('payments-prod')).toBeInTheDocument();
    expect(api.getMyAccess).toHaveBeenCalledTimes(2);
  });

  it('shows why the user could not be matched to Entra, with a hint', async () => {
    const api = fakeAwsAccessApi({
      getMyAccess: async () => {
        throw errors.notMatched();
      },
      getMyTimeline: async () => timeline,
    });
    await renderWithApi(<AwsAccessPage />, { api });
    const panel = await screen.findByTestId('access-error');
    expect(panel.dataset.kind).toBe('not-found');
    expect(panel).toHaveTextContent(
      'We could not match your Backstage user to an Entra user',
    );
    expect(panel).toHaveTextContent(
      'Your Backstage user has no graph.microsoft.com/user-id or microsoft.com/email annotation that matches an Entra user',
    );
    expect(panel).toHaveTextContent(
      'Ask the platform team to check that your user entity carries',
    );
  });

  it('explains a permission denial', async () => {
    const api = fakeAwsAccessApi({
      getMyAccess: async () => {
        throw errors.forbidden();
      },
      getMyTimeline: async () => timeline,
    });
    await renderWithApi(<AwsAccessPage />, { api });
    expect(
      await screen.findByText(
        "You can see your own access and your teams'. Ask the platform team for access to others'.",
      ),
    ).toBeInTheDocument();
  });

  it('shows other errors as they are', async () => {
    const api = fakeAwsAccessApi({
      getMyAccess: async () => {
        throw errors.broken();
      },
      getMyTimeline: async () => timeline,
    });
    await renderWithApi(<AwsAccessPage />, { api });
    expect(
      (await screen.findAllByText(/Something broke in the backend/)).length,
    ).toBeGreaterThan(0);
  });

  it('offers provisioning now for pending grants, shows the result and reloads', async () => {
    const api = fakeAwsAccessApi({
      getMyAccess: async () => userAccess(),
      getMyTimeline: async () => timeline,
      provision: async () =>
        provisionResult({
          outcome: 'skipped',
          message: 'The user is already being provisioned.',
        }),
    });
    await renderWithApi(<AwsAccessPage />, {
      api,
      allowed: [awsAccessProvisionSelfPermission.name],
    });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Request provisioning now' }),
    );

    expect(await screen.findByTestId('provision-result')).toHaveTextContent(
      'Entra skipped provisioning Aamir Siddiqui: The user is already being provisioned.',
    );
    expect(api.provision).toHaveBeenCalledWith(undefined);
    await waitFor(() => expect(api.getMyAccess).toHaveBeenCalledTimes(2));
    expect(api.getMyTimeline).toHaveBeenCalledTimes(2);
  });

  it('does not offer provisioning without the permission', async () => {
    const api = fakeAwsAccessApi({
      getMyAccess: async () => userAccess(),
      getMyTimeline: async () => timeline,
    });
    const { authorize } = renderWithApi(<AwsAccessPage />, { api });
    await screen.findByText('payments-prod');
    await permissionsSettled(authorize);
    expect(authorize).toHaveBeenCalledWith(
      expect.objectContaining({
        permission: expect.objectContaining({
          name: awsAccessProvisionSelfPermission.name,
        }),
      }),
    );
    expect(
      screen.queryByRole('button', { name: 'Request provisioning now' }),
    ).toBeNull();
  });

  it('does not offer provisioning when nothing is pending', async () => {
    const api = fakeAwsAccessApi({
      getMyAccess: async () =>
        userAccess({ grants: [activeGrant, revokingGrant] }),
      getMyTimeline: async () => timeline,
    });
    const { authorize } = renderWithApi(<AwsAccessPage />, {
      api,
      allowed: [awsAccessProvisionSelfPermission.name],
    });
    await screen.findByText('payments-prod');
    await permissionsSettled(authorize);
    expect(
      screen.queryByRole('button', { name: 'Request provisioning now' }),
    ).toBeNull();
  });

  it('renders hostile names as text', async () => {
    const api = fakeAwsAccessApi({
      getMyAccess: async () =>
        userAccess({
          grants: [
            {
              ...pendingGrant,
              accountName: hostileName,
              via: [{ type: 'group', name: hostileName, state: 'pending' }],
            },
          ],
        }),
      getMyTimeline: async () => timeline,
    });
    await renderWithApi(<AwsAccessPage />, { api });
    expect(await screen.findByText(hostileName)).toBeInTheDocument();
    expect(screen.getByTestId('grant-sentence')).toHaveTextContent(
      `You were added to ${hostileName};`,
    );
    expect(document.querySelector('img[src="x"]')).toBeNull();
  });
});
