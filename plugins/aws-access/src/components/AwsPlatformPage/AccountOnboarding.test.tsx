import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { awsAccessAssignmentWritePermission } from '@aws-access/plugin-aws-access-common';
import { AccountOnboarding } from './AccountOnboarding';
import {
  errors,
  fakeAwsAccessApi,
  permissionsSettled,
  renderWithApi,
} from '../../__testUtils__/render';
import {
  applyResult,
  checkoutDev,
  createAdmin,
  createReadOnly,
  deleteBreakglass,
  deletePowerUser,
  GROUP_IDS,
  hostileName,
  onboardingOverview,
  onboardingPlan,
  webProd,
} from '../../__testUtils__/fixtures';

const WRITE = awsAccessAssignmentWritePermission.name;

function onboardingApi(overrides: Parameters<typeof fakeAwsAccessApi>[0] = {}) {
  return fakeAwsAccessApi({
    getOnboarding: async () => onboardingOverview(),
    planAccountBaseline: async () => onboardingPlan(),
    getAccountCompliance: async () => ({
      ...checkoutDev,
      compliant: true,
      missing: [],
      unassigned: false,
    }),
    ...overrides,
  });
}

async function openPlan(accountName: string): Promise<HTMLElement> {
  await userEvent.click(
    await screen.findByRole('button', {
      name: `Review the onboarding plan for ${accountName}`,
    }),
  );
  return screen.findByTestId('onboarding-plan');
}

function applyButton(): HTMLElement {
  return screen.getByTestId('onboarding-apply');
}

describe('AccountOnboarding', () => {
  it('shows the baseline and every account, non-compliant first, with its chips and pairs', async () => {
    const api = onboardingApi({
      // Whatever order the backend sends, non-compliant accounts come first.
      getOnboarding: async () => {
        const overview = onboardingOverview();
        return { ...overview, accounts: [...overview.accounts].reverse() };
      },
    });
    renderWithApi(<AccountOnboarding />, { api });

    const rules = await screen.findAllByTestId('onboarding-rule');
    expect(rules.map(rule => rule.dataset.rule)).toEqual([
      'workloads',
      'prod-no-poweruser',
    ]);
    expect(rules[0]).toHaveTextContent('Accounts: OU Workloads/*');
    expect(rules[0]).toHaveTextContent(
      'Requires: AWS-Developers-ReadOnly → DeveloperReadOnly, AWS-Developers-Admin → DeveloperAdmin',
    );
    expect(rules[1]).toHaveTextContent('Accounts: tag env=prod');
    expect(rules[1]).toHaveTextContent(
      'Forbids: any group → DeveloperPowerUser',
    );
    expect(screen.queryByTestId('onboarding-problems')).toBeNull();
    expect(screen.queryByTestId('onboarding-not-configured')).toBeNull();

    const table = screen.getByTestId('onboarding-table');
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map(row => row.dataset.accountId);
    expect(rows.slice(0, 2).sort()).toEqual(['200000000005', '300000000001']);
    expect(rows.slice(2).sort()).toEqual(['200000000003', '200000000011']);

    const checkout = screen.getByTestId('onboarding-row-300000000001');
    expect(checkout.dataset.compliant).toBe('false');
    expect(
      within(checkout).getByTestId('onboarding-compliant-chip'),
    ).toHaveTextContent('Not compliant');
    expect(
      within(checkout).getByTestId('onboarding-new-chip'),
    ).toHaveTextContent('New');
    expect(
      within(checkout).getByTestId('onboarding-unassigned-chip'),
    ).toHaveTextContent('No assignments');
    expect(
      within(checkout)
        .getAllByTestId('onboarding-missing')
        .map(pair => pair.textContent),
    ).toEqual([
      'AWS-Developers-ReadOnly → DeveloperReadOnly',
      'AWS-Developers-Admin → DeveloperAdmin',
    ]);
    expect(
      within(checkout).getByTestId('onboarding-matched-rules'),
    ).toHaveTextContent('workloads');

    const web = screen.getByTestId('onboarding-row-200000000005');
    expect(
      within(web)
        .getAllByTestId('onboarding-forbidden')
        .map(pair => pair.textContent),
    ).toEqual([
      'AWS-Developers-PowerUser → DeveloperPowerUser',
      'user breakglass → DeveloperPowerUser',
    ]);
    expect(within(web).queryByTestId('onboarding-new-chip')).toBeNull();
    expect(
      within(web).getByTestId('onboarding-matched-rules'),
    ).toHaveTextContent('workloads, prod-no-poweruser');

    const payments = screen.getByTestId('onboarding-row-200000000003');
    expect(
      within(payments).getByTestId('onboarding-compliant-chip'),
    ).toHaveTextContent('Compliant');
    expect(payments.dataset.compliant).toBe('true');

    // An account no rule matches counts as compliant, but its missing assignments still show.
    const legacy = screen.getByTestId('onboarding-row-200000000011');
    expect(legacy.dataset.compliant).toBe('true');
    expect(
      within(legacy).getByTestId('onboarding-unassigned-chip'),
    ).toBeTruthy();
    expect(
      within(legacy).getByTestId('onboarding-matched-rules'),
    ).toHaveTextContent('No rule applies');
  });

  it('describes a rule with several selectors, all of which must match', async () => {
    const api = onboardingApi({
      getOnboarding: async () =>
        onboardingOverview({
          rules: [
            {
              name: 'payments-prod',
              accounts: {
                ouPath: 'Workloads/**',
                name: 'payments-*',
                tags: { env: 'prod', team: 'payments' },
              },
              require: [],
              forbid: [
                {
                  group: 'AWS-Developers-Admin',
                  permissionSet: 'DeveloperAdmin',
                },
              ],
            },
          ],
        }),
    });
    renderWithApi(<AccountOnboarding />, { api });
    const rule = await screen.findByTestId('onboarding-rule');
    expect(rule).toHaveTextContent(
      'Accounts: OU Workloads/** and name payments-* and tag env=prod and tag team=payments',
    );
    expect(rule).toHaveTextContent(
      'Forbids: AWS-Developers-Admin → DeveloperAdmin',
    );
    expect(rule).not.toHaveTextContent('Requires');
  });

  it('filters to non-compliant accounts', async () => {
    renderWithApi(<AccountOnboarding />, { api: onboardingApi() });
    await screen.findByTestId('onboarding-row-200000000003');

    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Only non-compliant (2)' }),
    );
    expect(screen.queryByTestId('onboarding-row-200000000003')).toBeNull();
    expect(screen.queryByTestId('onboarding-row-200000000011')).toBeNull();
    expect(screen.getByTestId('onboarding-row-300000000001')).toBeTruthy();
    expect(screen.getByTestId('onboarding-row-200000000005')).toBeTruthy();
  });

  it('says so when every account complies and the filter is on', async () => {
    const api = onboardingApi({
      getOnboarding: async () =>
        onboardingOverview({
          accounts: onboardingOverview().accounts.filter(a => a.compliant),
        }),
    });
    renderWithApi(<AccountOnboarding />, { api });
    await userEvent.click(
      await screen.findByRole('checkbox', { name: 'Only non-compliant (0)' }),
    );
    expect(screen.getByTestId('onboarding-all-compliant')).toHaveTextContent(
      'Every account complies with the baseline.',
    );
  });

  it('shows configuration problems prominently', async () => {
    const problems = [
      'awsAccess.baseline.rules[0].require[1].group: no Entra group is named "AWS-Developers-Admn"',
      'awsAccess.baseline.rules[1].forbid[0].permissionSet: no permission set is named "PowerUsr"',
    ];
    const api = onboardingApi({
      getOnboarding: async () => onboardingOverview({ problems }),
    });
    renderWithApi(<AccountOnboarding />, { api });

    const panel = await screen.findByTestId('onboarding-problems');
    expect(panel).toHaveTextContent('The baseline configuration has problems');
    expect(
      within(panel)
        .getAllByTestId('onboarding-problem')
        .map(problem => problem.textContent),
    ).toEqual(problems);
  });

  it('says when there are no accounts and no rules', async () => {
    const api = onboardingApi({
      getOnboarding: async () =>
        onboardingOverview({ rules: [], accounts: [] }),
    });
    renderWithApi(<AccountOnboarding />, { api });
    expect(await screen.findByTestId('onboarding-no-rules')).toHaveTextContent(
      'No baseline is configured (awsAccess.baseline.rules): no account is checked.',
    );
    expect(screen.getByTestId('onboarding-no-accounts')).toHaveTextContent(
      'No AWS accounts have been synced yet.',
    );
    expect(screen.queryByTestId('onboarding-table')).toBeNull();
  });

  it('explains that nothing has been synced yet and retries', async () => {
    const api = onboardingApi({
      getOnboarding: jest
        .fn()
        .mockRejectedValueOnce(errors.notSynced())
        .mockResolvedValue(onboardingOverview()),
    });
    renderWithApi(<AccountOnboarding />, { api });
    const panel = await screen.findByTestId('access-error');
    expect(panel.dataset.kind).toBe('not-synced');
    await userEvent.click(within(panel).getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByTestId('onboarding-row-300000000001'),
    ).toBeInTheDocument();
  });

  it('explains when the backend refuses the overview', async () => {
    const api = onboardingApi({
      getOnboarding: async () => {
        throw errors.forbidden();
      },
    });
    renderWithApi(<AccountOnboarding />, { api });
    const panel = await screen.findByTestId('access-error');
    expect(panel.dataset.kind).toBe('forbidden');
    expect(panel).toHaveTextContent(
      'Account onboarding is for the platform team (permission aws-access.all.read).',
    );
  });

  it('shows other errors as they are', async () => {
    const api = onboardingApi({
      getOnboarding: async () => {
        throw errors.broken();
      },
    });
    renderWithApi(<AccountOnboarding />, { api });
    expect(
      await screen.findByText('Something broke in the backend'),
    ).toBeInTheDocument();
  });

  it('renders hostile names as text', async () => {
    const api = onboardingApi({
      getOnboarding: async () =>
        onboardingOverview({
          problems: [`no Entra group is named "${hostileName}"`],
          accounts: [
            {
              ...checkoutDev,
              account: { ...checkoutDev.account, name: hostileName },
              rules: [hostileName],
              missing: [
                { group: hostileName, permissionSet: 'DeveloperReadOnly' },
              ],
            },
          ],
        }),
      planAccountBaseline: async () =>
        onboardingPlan({
          create: [{ ...createReadOnly, description: hostileName }],
          blocked: [
            {
              group: hostileName,
              permissionSet: 'DeveloperAdmin',
              reason: hostileName,
            },
          ],
        }),
    });
    renderWithApi(<AccountOnboarding />, { api });
    const row = await screen.findByTestId('onboarding-row-300000000001');
    expect(within(row).getAllByText(hostileName)).toHaveLength(2);
    expect(within(row).getByTestId('onboarding-missing')).toHaveTextContent(
      `${hostileName} → DeveloperReadOnly`,
    );
    expect(screen.getByTestId('onboarding-problem')).toHaveTextContent(
      `no Entra group is named "${hostileName}"`,
    );

    const plan = await openPlan(hostileName);
    expect(within(plan).getByText(hostileName)).toBeInTheDocument();
    expect(
      within(plan).getByTestId('onboarding-plan-blocked'),
    ).toHaveTextContent(`${hostileName} → DeveloperAdmin: ${hostileName}`);
    expect(document.querySelector('img')).toBeNull();
  });

  it('shows the exact calls of a plan and the pairs that cannot be planned', async () => {
    const api = onboardingApi({
      planAccountBaseline: async () =>
        onboardingPlan({
          create: [createReadOnly],
          blocked: [
            {
              group: 'AWS-Developers-Admin',
              permissionSet: 'DeveloperAdmin',
              reason:
                'AWS-Developers-Admin is not in IAM Identity Center yet: assign it to the AWS enterprise application and wait for provisioning',
            },
          ],
        }),
    });
    renderWithApi(<AccountOnboarding />, { api });
    const plan = await openPlan('checkout-dev');

    expect(screen.getByRole('dialog')).toHaveTextContent(
      'Onboarding plan for checkout-dev (300000000001)',
    );
    expect(api.planAccountBaseline).toHaveBeenCalledWith({
      accountId: '300000000001',
      removeForbidden: false,
    });
    expect(
      within(plan).getByTestId('onboarding-plan-current'),
    ).toHaveTextContent(
      'Missing: AWS-Developers-ReadOnly → DeveloperReadOnly, AWS-Developers-Admin → DeveloperAdmin. Forbidden: None.',
    );
    const calls = await within(plan).findAllByTestId('onboarding-plan-call');
    expect(calls).toHaveLength(1);
    expect(calls[0].dataset.operation).toBe('CreateAccountAssignment');
    const cells = within(calls[0])
      .getAllByRole('cell')
      .map(cell => cell.textContent);
    expect(cells).toEqual([
      'CreateAccountAssignment',
      'AWS-Developers-ReadOnly → DeveloperReadOnly',
      '300000000001 (AWS_ACCOUNT)',
      'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
      `GROUP ${GROUP_IDS.readOnly}`,
    ]);
    expect(
      within(plan).getByTestId('onboarding-plan-blocked'),
    ).toHaveTextContent(
      'AWS-Developers-Admin → DeveloperAdmin: AWS-Developers-Admin is not in IAM Identity Center yet',
    );
    // No forbidden pairs on this account: nothing to remove, no toggle.
    expect(
      within(plan).queryByTestId('onboarding-remove-forbidden'),
    ).toBeNull();
    expect(within(plan).queryByTestId('onboarding-confirm-removal')).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('says when a plan has nothing to do', async () => {
    const api = onboardingApi({
      planAccountBaseline: async () =>
        onboardingPlan({
          accountId: '200000000003',
          accountName: 'payments-prod',
          create: [],
        }),
    });
    const { authorize } = renderWithApi(<AccountOnboarding />, {
      api,
      allowed: [WRITE],
    });
    const plan = await openPlan('payments-prod');
    expect(
      await within(plan).findByTestId('onboarding-plan-empty'),
    ).toHaveTextContent(
      'Nothing to do: payments-prod already has its baseline.',
    );
    await permissionsSettled(authorize);
    expect(applyButton()).toBeDisabled();
  });

  it('shows why a plan could not be made', async () => {
    const api = onboardingApi({
      planAccountBaseline: jest
        .fn()
        .mockRejectedValueOnce(
          Object.assign(
            new Error(
              'Account 300000000001 is not in the organization (or not synced yet)',
            ),
            { name: 'NotFoundError', statusCode: 404 },
          ),
        )
        .mockResolvedValue(onboardingPlan()),
    });
    renderWithApi(<AccountOnboarding />, { api });
    const plan = await openPlan('checkout-dev');
    const error = await within(plan).findByTestId('onboarding-plan-error');
    expect(error.dataset.kind).toBe('not-found');
    expect(error).toHaveTextContent(
      'Account 300000000001 is not in the organization (or not synced yet)',
    );
    await userEvent.click(within(error).getByRole('button', { name: 'Retry' }));
    expect(
      await within(plan).findAllByTestId('onboarding-plan-call'),
    ).toHaveLength(2);
  });

  it('does not let people without the write permission apply', async () => {
    const api = onboardingApi();
    const { authorize } = renderWithApi(<AccountOnboarding />, { api });
    const plan = await openPlan('checkout-dev');
    await within(plan).findAllByTestId('onboarding-plan-call');
    await permissionsSettled(authorize);

    expect(authorize).toHaveBeenCalledWith(
      expect.objectContaining({
        permission: expect.objectContaining({ name: WRITE }),
      }),
    );
    expect(applyButton()).toBeDisabled();
    expect(
      within(plan).getByTestId('onboarding-apply-blocked-reason'),
    ).toHaveTextContent(
      'Applying needs the aws-access.assignment.write permission.',
    );
    expect(api.applyAccountBaseline).not.toHaveBeenCalled();
  });

  it('does not apply when the backend has no write credentials', async () => {
    const api = onboardingApi({
      getOnboarding: async () => onboardingOverview({ canApply: false }),
    });
    const { authorize } = renderWithApi(<AccountOnboarding />, {
      api,
      allowed: [WRITE],
    });
    expect(
      await screen.findByTestId('onboarding-not-configured'),
    ).toHaveTextContent(
      'Applying plans is not configured on this Backstage (write credentials, awsAccess.write): plans can be reviewed but not applied.',
    );
    const plan = await openPlan('checkout-dev');
    await within(plan).findAllByTestId('onboarding-plan-call');
    await permissionsSettled(authorize);
    expect(applyButton()).toBeDisabled();
    expect(
      within(plan).getByTestId('onboarding-apply-blocked-reason'),
    ).toHaveTextContent(
      'Applying is not configured on this Backstage (no write credentials).',
    );
  });

  it('applies the reviewed plan, shows every outcome and reloads the compliance', async () => {
    const api = onboardingApi({
      getOnboarding: jest
        .fn()
        .mockResolvedValueOnce(onboardingOverview())
        .mockResolvedValue(
          onboardingOverview({
            accounts: onboardingOverview().accounts.filter(
              a => a.account.id !== '300000000001',
            ),
          }),
        ),
      applyAccountBaseline: async () =>
        applyResult({
          results: [
            {
              call: createReadOnly,
              outcome: 'succeeded',
              attempts: 2,
              requestId: 'req-ro-1',
            },
            {
              call: createAdmin,
              outcome: 'failed',
              reason:
                'InternalServerException: We encountered an internal error',
              attempts: 1,
            },
          ],
        }),
      getAccountCompliance: async () => ({
        ...checkoutDev,
        missing: [checkoutDev.missing[1]],
        unassigned: false,
      }),
    });
    const { authorize } = renderWithApi(<AccountOnboarding />, {
      api,
      allowed: [WRITE],
    });
    const plan = await openPlan('checkout-dev');
    await within(plan).findAllByTestId('onboarding-plan-call');
    await permissionsSettled(authorize);
    expect(
      within(plan).queryByTestId('onboarding-apply-blocked-reason'),
    ).toBeNull();

    await userEvent.click(applyButton());
    expect(api.applyAccountBaseline).toHaveBeenCalledWith({
      accountId: '300000000001',
      planId: 'plan-checkout-1',
      removeForbidden: false,
      confirmRemoval: false,
    });

    const results = await within(plan).findAllByTestId('onboarding-result');
    expect(results.map(result => result.dataset.outcome)).toEqual([
      'succeeded',
      'failed',
    ]);
    expect(results[0]).toHaveTextContent(
      'CreateAccountAssignment: AWS-Developers-ReadOnly → DeveloperReadOnly',
    );
    expect(results[0]).toHaveTextContent(
      'Succeeded · attempts: 2 · request req-ro-1',
    );
    expect(results[1]).toHaveTextContent(
      'Failed: InternalServerException: We encountered an internal error',
    );
    expect(
      within(plan).getByTestId('onboarding-result-summary'),
    ).toHaveTextContent('1 succeeded, 1 failed, 0 skipped');
    expect(api.getAccountCompliance).toHaveBeenCalledWith('300000000001');
    const after = within(plan).getByTestId('onboarding-compliance-after');
    expect(after.dataset.compliant).toBe('false');
    expect(after).toHaveTextContent(
      'checkout-dev does not comply with the baseline yet: review a new plan.',
    );
    // The applied plan is spent: no second Apply, only a new review.
    expect(screen.queryByTestId('onboarding-apply')).toBeNull();

    // The overview reloads behind the dialog.
    await waitFor(() => expect(api.getOnboarding).toHaveBeenCalledTimes(2));
    await waitFor(() =>
      expect(screen.queryByTestId('onboarding-row-300000000001')).toBeNull(),
    );

    await userEvent.click(screen.getByTestId('onboarding-replan'));
    await waitFor(() =>
      expect(api.planAccountBaseline).toHaveBeenCalledTimes(2),
    );
    expect(await screen.findByTestId('onboarding-apply')).toBeInTheDocument();
  });

  it('says "already assigned" for calls that were in place', async () => {
    const api = onboardingApi({
      applyAccountBaseline: async () => applyResult(),
    });
    const { authorize } = renderWithApi(<AccountOnboarding />, {
      api,
      allowed: [WRITE],
    });
    const plan = await openPlan('checkout-dev');
    await within(plan).findAllByTestId('onboarding-plan-call');
    await permissionsSettled(authorize);
    await userEvent.click(applyButton());

    const results = await within(plan).findAllByTestId('onboarding-result');
    expect(results[1].dataset.outcome).toBe('skipped');
    expect(results[1]).toHaveTextContent('Skipped: already assigned');
    expect(
      within(plan).getByTestId('onboarding-compliance-after'),
    ).toHaveTextContent('checkout-dev now complies with the baseline.');
  });

  it('removes forbidden assignments only after re-planning and an explicit confirmation', async () => {
    const withoutRemoval = onboardingPlan({
      accountId: '200000000005',
      accountName: 'web-prod',
      planId: 'plan-web-keep',
      create: [],
    });
    const withRemoval = {
      ...withoutRemoval,
      planId: 'plan-web-remove',
      delete: [deletePowerUser, deleteBreakglass],
    };
    const api = onboardingApi({
      planAccountBaseline: async ({ removeForbidden }) =>
        removeForbidden ? withRemoval : withoutRemoval,
      applyAccountBaseline: async () =>
        applyResult({
          accountId: '200000000005',
          planId: 'plan-web-remove',
          results: [
            { call: deletePowerUser, outcome: 'succeeded', attempts: 1 },
            {
              call: deleteBreakglass,
              outcome: 'skipped',
              reason: 'already removed',
              attempts: 0,
            },
          ],
        }),
      getAccountCompliance: async () => ({
        ...webProd,
        compliant: true,
        forbidden: [],
      }),
    });
    const { authorize } = renderWithApi(<AccountOnboarding />, {
      api,
      allowed: [WRITE],
    });
    const plan = await openPlan('web-prod');
    expect(
      await within(plan).findByTestId('onboarding-plan-empty'),
    ).toBeInTheDocument();
    await permissionsSettled(authorize);

    await userEvent.click(
      within(plan).getByRole('checkbox', {
        name: 'Also remove forbidden assignments',
      }),
    );
    expect(api.planAccountBaseline).toHaveBeenLastCalledWith({
      accountId: '200000000005',
      removeForbidden: true,
    });
    const calls = await within(plan).findAllByTestId('onboarding-plan-call');
    expect(calls.map(call => call.dataset.operation)).toEqual([
      'DeleteAccountAssignment',
      'DeleteAccountAssignment',
    ]);
    expect(calls[1]).toHaveTextContent(`USER ${GROUP_IDS.breakglass}`);

    // Deleting needs its own confirmation before Apply is enabled.
    expect(applyButton()).toBeDisabled();
    expect(
      within(plan).getByTestId('onboarding-apply-blocked-reason'),
    ).toHaveTextContent('Confirm the removals to apply this plan.');
    const confirm = within(plan).getByRole('checkbox', {
      name: 'I confirm removing 2 assignments',
    });
    await userEvent.click(confirm);
    expect(applyButton()).toBeEnabled();

    await userEvent.click(applyButton());
    expect(api.applyAccountBaseline).toHaveBeenCalledWith({
      accountId: '200000000005',
      planId: 'plan-web-remove',
      removeForbidden: true,
      confirmRemoval: true,
    });
    const results = await within(plan).findAllByTestId('onboarding-result');
    expect(results.map(result => result.dataset.operation)).toEqual([
      'DeleteAccountAssignment',
      'DeleteAccountAssignment',
    ]);
    expect(results[1]).toHaveTextContent('Skipped: already removed');
  });

  it('drops the confirmation when the plan is made again', async () => {
    const api = onboardingApi({
      planAccountBaseline: async ({ removeForbidden }) =>
        onboardingPlan({
          accountId: '200000000005',
          planId: removeForbidden ? 'plan-web-remove' : 'plan-web-keep',
          create: [],
          delete: removeForbidden ? [deletePowerUser] : [],
        }),
    });
    const { authorize } = renderWithApi(<AccountOnboarding />, {
      api,
      allowed: [WRITE],
    });
    const plan = await openPlan('web-prod');
    await permissionsSettled(authorize);
    const toggle = within(plan).getByRole('checkbox', {
      name: 'Also remove forbidden assignments',
    });
    await userEvent.click(toggle);
    await userEvent.click(
      await within(plan).findByRole('checkbox', {
        name: 'I confirm removing 1 assignment',
      }),
    );
    expect(applyButton()).toBeEnabled();

    await userEvent.click(toggle);
    await within(plan).findByTestId('onboarding-plan-empty');
    await userEvent.click(toggle);
    const confirm = await within(plan).findByRole('checkbox', {
      name: 'I confirm removing 1 assignment',
    });
    expect(confirm).not.toBeChecked();
    expect(applyButton()).toBeDisabled();
  });

  it('re-plans when the plan changed since it was reviewed (409)', async () => {
    const reviewed = onboardingPlan();
    const changed = onboardingPlan({
      planId: 'plan-checkout-2',
      snapshotVersion: 8,
      create: [createAdmin],
    });
    const api = onboardingApi({
      planAccountBaseline: jest
        .fn()
        .mockResolvedValueOnce(reviewed)
        .mockResolvedValue(changed),
      applyAccountBaseline: jest
        .fn()
        .mockRejectedValueOnce(
          errors.conflict(
            'The plan changed since it was reviewed (a sync brought new data); review the new plan and apply it',
          ),
        )
        .mockResolvedValue(
          applyResult({
            planId: 'plan-checkout-2',
            results: [{ call: createAdmin, outcome: 'succeeded', attempts: 1 }],
          }),
        ),
    });
    const { authorize } = renderWithApi(<AccountOnboarding />, {
      api,
      allowed: [WRITE],
    });
    const plan = await openPlan('checkout-dev');
    expect(
      await within(plan).findAllByTestId('onboarding-plan-call'),
    ).toHaveLength(2);
    await permissionsSettled(authorize);

    await userEvent.click(applyButton());
    expect(
      await within(plan).findByTestId('onboarding-plan-changed'),
    ).toHaveTextContent('The plan changed; review it again.');
    expect(api.planAccountBaseline).toHaveBeenCalledTimes(2);
    await waitFor(() =>
      expect(within(plan).getAllByTestId('onboarding-plan-call')).toHaveLength(
        1,
      ),
    );
    expect(within(plan).getByTestId('onboarding-plan-call')).toHaveTextContent(
      'AWS-Developers-Admin → DeveloperAdmin',
    );
    expect(within(plan).queryByTestId('onboarding-apply-error')).toBeNull();
    await waitFor(() => expect(api.getOnboarding).toHaveBeenCalledTimes(2));

    await userEvent.click(applyButton());
    expect(api.applyAccountBaseline).toHaveBeenLastCalledWith({
      accountId: '300000000001',
      planId: 'plan-checkout-2',
      removeForbidden: false,
      confirmRemoval: false,
    });
    expect(
      await within(plan).findByTestId('onboarding-result'),
    ).toHaveTextContent('Succeeded');
    expect(within(plan).queryByTestId('onboarding-plan-changed')).toBeNull();
  });

  it("shows the backend's reason when a 409 was not about the plan", async () => {
    const api = onboardingApi({
      applyAccountBaseline: async () => {
        throw errors.conflict(
          'Account 300000000001 is SUSPENDED, not ACTIVE: nothing was written',
        );
      },
    });
    const { authorize } = renderWithApi(<AccountOnboarding />, {
      api,
      allowed: [WRITE],
    });
    const plan = await openPlan('checkout-dev');
    await within(plan).findAllByTestId('onboarding-plan-call');
    await permissionsSettled(authorize);
    await userEvent.click(applyButton());

    const error = await within(plan).findByTestId('onboarding-apply-error');
    expect(error.dataset.kind).toBe('conflict');
    expect(error).toHaveTextContent(
      'Account 300000000001 is SUSPENDED, not ACTIVE: nothing was written',
    );
    expect(within(plan).queryByTestId('onboarding-plan-changed')).toBeNull();
  });

  it('shows why the backend refused to apply', async () => {
    const api = onboardingApi({
      applyAccountBaseline: async () => {
        throw errors.forbidden(
          'Account onboarding is not configured: set awsAccess.write (see the plugin README)',
        );
      },
    });
    const { authorize } = renderWithApi(<AccountOnboarding />, {
      api,
      allowed: [WRITE],
    });
    const plan = await openPlan('checkout-dev');
    await within(plan).findAllByTestId('onboarding-plan-call');
    await permissionsSettled(authorize);
    await userEvent.click(applyButton());

    const error = await within(plan).findByTestId('onboarding-apply-error');
    expect(error.dataset.kind).toBe('forbidden');
    expect(error).toHaveTextContent(
      'Account onboarding is not configured: set awsAccess.write (see the plugin README)',
    );
    expect(api.planAccountBaseline).toHaveBeenCalledTimes(1);
  });
});
