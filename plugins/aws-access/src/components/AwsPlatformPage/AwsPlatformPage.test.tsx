import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Diagnosis } from '@aws-access/plugin-aws-access-common';
import {
  awsAccessAllReadPermission,
  awsAccessProvisionAnyPermission,
  awsAccessSnapshotApprovePermission,
  awsAccessSyncTriggerPermission,
} from '@aws-access/plugin-aws-access-common';
import { AwsPlatformPage } from './AwsPlatformPage';
import {
  errors,
  fakeAwsAccessApi,
  permissionsSettled,
  renderWithApi,
} from '../../__testUtils__/render';
import {
  aamir,
  accountAccess,
  alex,
  driftReport,
  onboardingOverview,
  provisionResult,
  syncStatus,
  userAccess,
} from '../../__testUtils__/fixtures';

const READ = awsAccessAllReadPermission.name;

const held = {
  id: 'held-1',
  heldAt: '2026-11-30T13:05:00Z',
  reasons: ['Would remove 40% of assignments (limit 20%)'],
  counts: { assignments: 30 },
  previousCounts: { assignments: 50 },
};

const diagnosis: Diagnosis = {
  user: aamir,
  account: accountAccess().account,
  hasAccess: false,
  findings: [
    {
      code: 'in-group',
      severity: 'ok',
      title: 'Aamir is in AWS-Developers-PowerUser',
      detail: 'Direct member since 12:40.',
    },
    {
      code: 'provisioning-pending',
      severity: 'warning',
      title: 'Not provisioned to AWS yet',
      detail: 'The next provisioning cycle runs at 13:20.',
      fix: 'Provision on demand in Entra.',
    },
  ],
};

function board(overrides: Parameters<typeof fakeAwsAccessApi>[0] = {}) {
  return fakeAwsAccessApi({
    getSyncStatus: async () => syncStatus(),
    getDrift: async () => driftReport(),
    getOnboarding: async () => onboardingOverview(),
    ...overrides,
  });
}

describe('AwsPlatformPage', () => {
  it('is only for people with the read-all permission', async () => {
    const api = board();
    const { authorize } = renderWithApi(<AwsPlatformPage />, { api });
    await permissionsSettled(authorize);
    const panel = await screen.findByTestId('access-error');
    expect(panel.dataset.kind).toBe('forbidden');
    expect(panel).toHaveTextContent(
      'The AWS platform board is for the platform team (permission aws-access.all.read).',
    );
    expect(api.getDrift).not.toHaveBeenCalled();
    expect(api.getSyncStatus).not.toHaveBeenCalled();
    expect(api.getOnboarding).not.toHaveBeenCalled();
    expect(screen.queryByTestId('onboarding')).toBeNull();
  });

  it('shows account onboarding on the board', async () => {
    const api = board();
    renderWithApi(<AwsPlatformPage />, { api, allowed: [READ] });
    const section = await screen.findByTestId('onboarding');
    expect(
      await within(section).findByTestId('onboarding-row-300000000001'),
    ).toHaveTextContent('checkout-dev');
    expect(within(section).getAllByTestId('onboarding-rule')).toHaveLength(2);
  });

  it('shows sync and SCIM health with a run history chart', async () => {
    const api = board({
      getSyncStatus: async () =>
        syncStatus({
          provisioning: {
            status: 'Quarantine',
            quarantineReason: 'EncounteredQuarantineException',
          },
          samlCertificateExpires: new Date(
            Date.now() + 10 * 86400 * 1000,
          ).toISOString(),
        }),
    });
    renderWithApi(<AwsPlatformPage />, { api, allowed: [READ] });

    const health = await screen.findByTestId('sync-health');
    expect(health).toHaveTextContent('succeeded');
    expect(screen.getByTestId('quarantine-banner')).toHaveTextContent(
      'EncounteredQuarantineException',
    );
    expect(screen.getByTestId('saml-expiry')).toHaveTextContent(
      'The SAML signing certificate expires in',
    );

    const bars = screen.getAllByTestId('sync-run-bar');
    expect(bars.map(bar => bar.dataset.outcome)).toEqual([
      'succeeded',
      'failed',
      'succeeded',
    ]);
    const rects = bars.map(bar => bar.querySelector('rect')!);
    const heights = rects.map(rect => Number(rect.getAttribute('height')));
    expect(heights[2]).toBeGreaterThan(heights[0]);
    expect(heights[0]).toBeGreaterThan(heights[1]);
    expect(rects[1].getAttribute('fill')).not.toBe(
      rects[0].getAttribute('fill'),
    );
    expect(rects[0].getAttribute('fill')).toBe(rects[2].getAttribute('fill'));
    expect(bars[1].querySelector('title')).toHaveTextContent(
      'failed in 12 seconds (identitystore: Rate exceeded)',
    );
    expect(screen.queryByRole('button', { name: 'Sync now' })).toBeNull();
  });

  it('warns about stale data with the last error', async () => {
    const api = board({
      getSyncStatus: async () =>
        syncStatus({
          stale: true,
          snapshotAge: 3 * 3600,
          lastRun: {
            id: 'run-9',
            trigger: 'schedule',
            startedAt: '2026-11-30T13:00:00Z',
            outcome: 'failed',
            error: {
              source: 'graph',
              class: 'http500',
              message: 'Graph returned 500',
            },
          },
        }),
    });
    renderWithApi(<AwsPlatformPage />, { api, allowed: [READ] });
    expect(await screen.findByTestId('stale-banner')).toHaveTextContent(
      'AWS access data is 3 hours old; the last sync failed: Graph returned 500',
    );
  });

  it('names the side that is old when Entra refreshes kept the other fresh', async () => {
    const api = board({
      getSyncStatus: async () =>
        syncStatus({
          stale: true,
          snapshotAge: 3 * 3600,
          sides: {
            identity: '2026-11-30T12:50:00Z',
            aws: '2026-11-30T10:00:00Z',
            older: 'aws',
          },
        }),
    });
    renderWithApi(<AwsPlatformPage />, { api, allowed: [READ] });
    expect(await screen.findByTestId('stale-side')).toHaveTextContent(
      'AWS (IAM Identity Center) was last read in full 3 hours ago; only Entra has been read since (10 minutes ago).',
    );
  });

  it('lets the platform team start a sync and follow it', async () => {
    const api = board({
      // What the backend answers: 202, the run itself is not known yet.
      triggerSync: async () => ({
        accepted: true as const,
        message: 'A sync starts within seconds; follow it on /sync/status',
      }),
    });
    renderWithApi(<AwsPlatformPage />, {
      api,
      allowed: [READ, awsAccessSyncTriggerPermission.name],
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Sync now' }),
    );
    const started = await screen.findByTestId('sync-started');
    expect(started).toHaveTextContent(
      'Sync requested: it starts within seconds. Reload the status to follow it.',
    );
    expect(api.triggerSync).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(api.getSyncStatus).toHaveBeenCalledTimes(2));

    await userEvent.click(
      within(started).getByRole('button', { name: 'Reload' }),
    );
    await waitFor(() => expect(api.getSyncStatus).toHaveBeenCalledTimes(3));
  });

  it('says why a sync could not be started', async () => {
    const api = board({
      triggerSync: async () => {
        throw errors.conflict('A sync is already running');
      },
    });
    renderWithApi(<AwsPlatformPage />, {
      api,
      allowed: [READ, awsAccessSyncTriggerPermission.name],
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Sync now' }),
    );
    expect(
      await screen.findByText('A sync is already running'),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('sync-started')).toBeNull();
  });

  it('shows a held-back snapshot and approves it', async () => {
    const api = board({
      getSyncStatus: jest
        .fn()
        .mockResolvedValueOnce(syncStatus({ heldSnapshot: held }))
        .mockResolvedValue(syncStatus()),
      approveHeldSnapshot: async () => ({
        ...syncStatus().recentRuns[0],
        id: 'run-43',
        trigger: 'approval',
      }),
    });
    renderWithApi(<AwsPlatformPage />, {
      api,
      allowed: [READ, awsAccessSnapshotApprovePermission.name],
    });

    const card = await screen.findByTestId('held-snapshot');
    expect(card).toHaveTextContent(
      'Would remove 40% of assignments (limit 20%)',
    );
    expect(card).toHaveTextContent('assignments: 50 → 30');

    await userEvent.click(
      within(card).getByRole('button', { name: 'Approve held snapshot' }),
    );
    expect(api.approveHeldSnapshot).toHaveBeenCalledTimes(1);
    expect(await screen.findByTestId('approve-result')).toHaveTextContent(
      'Held snapshot approved (run run-43).',
    );
    await waitFor(() =>
      expect(screen.queryByTestId('held-snapshot')).toBeNull(),
    );
    expect(api.getDrift).toHaveBeenCalledTimes(2);
  });

  it('does not offer approval without the permission', async () => {
    const api = board({
      getSyncStatus: async () => syncStatus({ heldSnapshot: held }),
    });
    const { authorize } = renderWithApi(<AwsPlatformPage />, {
      api,
      allowed: [READ],
    });
    await screen.findByTestId('held-snapshot');
    await permissionsSettled(authorize);
    expect(
      screen.queryByRole('button', { name: 'Approve held snapshot' }),
    ).toBeNull();
  });

  it('lists drift: pending too long, revoking people, pending, nested, unmanaged', async () => {
    const api = board({
      getDrift: async () =>
        driftReport({
          stuck: [
            {
              ...driftReport().pending[0],
              state: 'stuck',
              accountName: 'sandbox',
            },
          ],
        }),
    });
    const { authorize } = renderWithApi(<AwsPlatformPage />, {
      api,
      allowed: [READ],
    });

    const stuck = await screen.findByTestId('stuck-list');
    await permissionsSettled(authorize);
    expect(within(stuck).getByTestId('drift-entry')).toHaveTextContent(
      'Aamir Siddiqui',
    );
    expect(within(stuck).getByTestId('drift-entry')).toHaveTextContent(
      'sandbox',
    );

    const revoking = screen.getByTestId('revoking-list');
    const people = within(revoking).getAllByTestId('revoking-person');
    expect(people).toHaveLength(1);
    expect(people[0].dataset.member).toBe(alex.entityRef);
    expect(people[0]).toHaveTextContent(
      'payments-prod (200000000003) · DeveloperReadOnly · AWS-Developers-ReadOnly',
    );
    expect(people[0]).toHaveTextContent(
      'payments-dev (200000000001) · DeveloperPowerUser',
    );

    expect(
      within(screen.getByTestId('pending-list')).getAllByTestId('drift-entry'),
    ).toHaveLength(1);
    expect(screen.getByTestId('nested-list')).toHaveTextContent(
      'Data-Team → AWS-Data-Analysts',
    );
    expect(screen.getByTestId('unmanaged-list')).toHaveTextContent(
      'USER breakglass: payments-prod / DeveloperAdmin',
    );
    expect(
      screen.getByTestId('accounts-without-assignments'),
    ).toHaveTextContent('legacy-archive (200000000011)');
    expect(
      screen
        .getAllByTestId('lint-finding')
        .map(finding => finding.dataset.code),
    ).toEqual(['admin-session-too-long', 'user-level-assignment']);
    expect(
      within(revoking).queryByRole('button', { name: /Deprovision/ }),
    ).toBeNull();
  });

  it('says when the drift lists are empty', async () => {
    const api = board({
      getDrift: async () =>
        driftReport({
          pending: [],
          stuck: [],
          revoking: [],
          nested: [],
          unmanaged: [],
          accountsWithoutAssignments: [],
          lint: [],
        }),
    });
    renderWithApi(<AwsPlatformPage />, { api, allowed: [READ] });
    expect(await screen.findByTestId('revoking-list')).toHaveTextContent(
      'Nothing here.',
    );
    expect(screen.getByTestId('lint-findings')).toHaveTextContent(
      'Nothing here.',
    );
  });

  it('deprovisions a leaver now and reloads the drift', async () => {
    const api = board({
      provision: async () =>
        provisionResult({
          user: alex,
          action: 'deprovision',
          outcome: 'success',
          message: '',
          access: userAccess({ user: alex, grants: [] }),
        }),
    });
    renderWithApi(<AwsPlatformPage />, {
      api,
      allowed: [READ, awsAccessProvisionAnyPermission.name],
    });

    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Deprovision Alex Morgan now',
      }),
    );
    expect(api.provision).toHaveBeenCalledWith({ user: alex.entityRef });
    expect(await screen.findByTestId('provision-result')).toHaveTextContent(
      'Entra removed Alex Morgan from AWS now.',
    );
    await waitFor(() => expect(api.getDrift).toHaveBeenCalledTimes(2));
  });

  it('shows why a deprovisioning failed', async () => {
    const api = board({
      provision: async () =>
        provisionResult({
          user: alex,
          action: 'deprovision',
          outcome: 'failure',
          message: 'SCIM endpoint returned 401',
        }),
    });
    renderWithApi(<AwsPlatformPage />, {
      api,
      allowed: [READ, awsAccessProvisionAnyPermission.name],
    });
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Deprovision Alex Morgan now',
      }),
    );
    const result = await screen.findByTestId('provision-result');
    expect(result.dataset.outcome).toBe('failure');
    expect(result).toHaveTextContent(
      'Deprovisioning Alex Morgan failed: SCIM endpoint returned 401',
    );
  });

  it('diagnoses a user and an account and shows the findings', async () => {
    const api = board({ diagnose: async () => diagnosis });
    renderWithApi(<AwsPlatformPage />, { api, allowed: [READ] });

    const form = await screen.findByRole('form', { name: 'Diagnose access' });
    await userEvent.type(
      within(form).getByRole('textbox', { name: /User/ }),
      'user:default/aamir_example.com',
    );
    await userEvent.type(
      within(form).getByRole('textbox', { name: /AWS account id/ }),
      '200000000003',
    );
    await userEvent.click(
      within(form).getByRole('button', { name: 'Diagnose' }),
    );

    expect(api.diagnose).toHaveBeenCalledWith({
      user: 'user:default/aamir_example.com',
      account: '200000000003',
    });
    expect(await screen.findByTestId('diagnosis-summary')).toHaveTextContent(
      'Aamir Siddiqui cannot sign in to payments-prod.',
    );
    const findings = screen.getAllByTestId('diagnosis-finding');
    expect(findings.map(finding => finding.dataset.code)).toEqual([
      'in-group',
      'provisioning-pending',
    ]);
    expect(findings[1]).toHaveTextContent('Fix: Provision on demand in Entra.');
  });

  it('does not submit an account id that is not 12 digits', async () => {
    const api = board({ diagnose: async () => diagnosis });
    renderWithApi(<AwsPlatformPage />, { api, allowed: [READ] });
    const form = await screen.findByRole('form', { name: 'Diagnose access' });
    await userEvent.type(
      within(form).getByRole('textbox', { name: /User/ }),
      'user:default/aamir_example.com',
    );
    await userEvent.type(
      within(form).getByRole('textbox', { name: /AWS account id/ }),
      '12345',
    );
    await userEvent.click(
      within(form).getByRole('button', { name: 'Diagnose' }),
    );
    expect(
      await within(form).findByText('An AWS account id has 12 digits'),
    ).toBeInTheDocument();
    expect(api.diagnose).not.toHaveBeenCalled();
  });

  it('shows a diagnosis error', async () => {
    const api = board({
      diagnose: async () => {
        throw Object.assign(new Error('Unknown user user:default/nobody'), {
          name: 'NotFoundError',
        });
      },
    });
    renderWithApi(<AwsPlatformPage />, { api, allowed: [READ] });
    const form = await screen.findByRole('form', { name: 'Diagnose access' });
    await userEvent.type(
      within(form).getByRole('textbox', { name: /User/ }),
      'user:default/nobody',
    );
    await userEvent.type(
      within(form).getByRole('textbox', { name: /AWS account id/ }),
      '200000000003',
    );
    await userEvent.click(
      within(form).getByRole('button', { name: 'Diagnose' }),
    );
    expect(
      await screen.findByText('Unknown user user:default/nobody'),
    ).toBeInTheDocument();
  });

  it('explains when nothing has been synced yet', async () => {
    const api = board({
      getSyncStatus: async () => {
        throw errors.notSynced();
      },
      getDrift: async () => {
        throw errors.notSynced();
      },
    });
    renderWithApi(<AwsPlatformPage />, { api, allowed: [READ] });
    expect(
      (
        await screen.findAllByText(
          'AWS access has not been synced yet. The first sync runs a minute after the backend starts.',
        )
      ).length,
    ).toBe(2);
  });

  it('explains when the backend refuses the drift report', async () => {
    const api = board({
      getDrift: async () => {
        throw errors.forbidden();
      },
    });
    renderWithApi(<AwsPlatformPage />, { api, allowed: [READ] });
    const panels = await screen.findAllByTestId('access-error');
    expect(panels.map(panel => panel.dataset.kind)).toContain('forbidden');
  });
});
