import type { Entity } from '@backstage/catalog-model';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AwsAccessPage } from '../AwsAccessPage';
import { EntityAwsAccountAccessCard } from '../EntityAwsAccountAccessCard';
import {
  errors,
  fakeAwsAccessApi,
  renderWithApi,
} from '../../__testUtils__/render';
import {
  accountAccess,
  timeline,
  userAccess,
} from '../../__testUtils__/fixtures';
import {
  accessRequest,
  adminRequestable,
  powerUserRequestable,
} from '../../__testUtils__/requests';

function governedApi(overrides: Parameters<typeof fakeAwsAccessApi>[0] = {}) {
  return fakeAwsAccessApi({
    getMyAccess: async () => userAccess(),
    getMyTimeline: async () => timeline,
    getRequestables: async () => ({
      items: [adminRequestable(), powerUserRequestable({ member: true })],
    }),
    listRequests: async () => ({ items: [] }),
    ...overrides,
  });
}

async function openDialog() {
  await userEvent.click(
    await screen.findByRole('button', { name: 'Request access' }),
  );
  return screen.findByRole('dialog', { name: 'Request AWS access' });
}

async function chooseAdmin(dialog: HTMLElement) {
  await userEvent.type(
    within(dialog).getByRole('searchbox', { name: 'What do you need?' }),
    'admin payments-prod',
  );
  await userEvent.click(
    within(dialog).getByRole('radio', {
      name: /DeveloperAdmin on payments-prod/,
    }),
  );
}

describe('Request access', () => {
  it('finds a group by what it gives, checks the form against the policy and submits it', async () => {
    const api = governedApi({
      createRequest: async () => accessRequest(),
    });
    renderWithApi(<AwsAccessPage />, { api });
    const dialog = await openDialog();

    // Both groups are listed; the one Aamir already has cannot be chosen.
    const options = within(dialog).getAllByRole('radio');
    expect(options).toHaveLength(2);
    expect(
      within(dialog).getByRole('radio', { name: /AWS-Developers-PowerUser/ }),
    ).toBeDisabled();
    expect(
      within(dialog).getByText('(you are already a member)', { exact: false }),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('radio', { name: /AWS-Payments-Prod-Admin/ }),
    ).toHaveAccessibleName(
      'AWS-Payments-Prod-Admin DeveloperAdmin on payments-prod (200000000003, 4 h sessions)',
    );

    await chooseAdmin(dialog);
    expect(within(dialog).getAllByRole('radio')).toHaveLength(1);

    // The policy: default 1 h, at most 4 h, a required justification, an incident ticket.
    const duration = within(dialog).getByRole('combobox', { name: 'Duration' });
    expect(duration).toHaveValue('PT1H');
    expect(
      within(duration)
        .getAllByRole('option')
        .map(option => option.textContent),
    ).toEqual(['15 minutes', '30 minutes', '1 hour', '2 hours', '4 hours']);
    expect(
      within(dialog).getByText('At most 4 hours (the policy for this group).'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('Must match ^(INC|CHG)-\\d+$'),
    ).toBeInTheDocument();

    await userEvent.type(
      within(dialog).getByRole('textbox', { name: 'Ticket' }),
      '4711',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Submit request' }),
    );
    expect(
      within(dialog).getByText('A justification is required for this group.'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('The ticket must match ^(INC|CHG)-\\d+$.'),
    ).toBeInTheDocument();
    expect(api.createRequest).not.toHaveBeenCalled();

    // Pasted, not typed key by key: this test ran close to its 20 s limit on a busy machine.
    await userEvent.click(
      within(dialog).getByRole('textbox', { name: /Justification/ }),
    );
    await userEvent.paste('Fix the failing settlement job');
    const ticket = within(dialog).getByRole('textbox', { name: 'Ticket' });
    await userEvent.clear(ticket);
    await userEvent.type(ticket, 'INC-4711');
    await userEvent.selectOptions(duration, 'PT2H');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Submit request' }),
    );

    expect(
      await within(dialog).findByTestId('request-submitted'),
    ).toHaveTextContent(
      'Requested AWS-Payments-Prod-Admin. Your approvers have been notified',
    );
    expect(api.createRequest).toHaveBeenCalledWith({
      group: 'group:default/aws-payments-prod-admin',
      duration: 'PT2H',
      justification: 'Fix the failing settlement job',
      ticket: 'INC-4711',
    });
    // My requests and the requestables are read again.
    await waitFor(() => expect(api.listRequests).toHaveBeenCalledTimes(2));
    expect(api.getRequestables).toHaveBeenCalledTimes(2);
  });

  it("shows the backend's 400 under the field it names, and other refusals above the form", async () => {
    const api = governedApi({
      createRequest: jest
        .fn()
        .mockRejectedValueOnce(
          Object.assign(errors.invalid('Request failed with 400 Bad Request'), {
            body: {
              error: {
                name: 'InputError',
                message: 'duration PT4H is longer than the policy allows',
                field: 'duration',
              },
            },
          }),
        )
        .mockRejectedValueOnce(
          errors.conflict(
            'You already have an open request for AWS-Payments-Prod-Admin',
          ),
        ),
    });
    renderWithApi(<AwsAccessPage />, { api });
    const dialog = await openDialog();
    await chooseAdmin(dialog);
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Justification/ }),
      'incident',
    );
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: 'Ticket' }),
      'INC-1',
    );
    const submit = within(dialog).getByRole('button', {
      name: 'Submit request',
    });

    await userEvent.click(submit);
    const duration = within(dialog).getByRole('combobox', { name: 'Duration' });
    await waitFor(() =>
      expect(duration).toHaveAccessibleDescription(
        'duration PT4H is longer than the policy allows',
      ),
    );
    expect(duration).toHaveAttribute('aria-invalid', 'true');

    await userEvent.click(submit);
    expect(
      await within(dialog).findByTestId('request-error'),
    ).toHaveTextContent(
      'You already have an open request for AWS-Payments-Prod-Admin',
    );
    expect(within(dialog).queryByTestId('request-submitted')).toBeNull();
  });

  it('is hidden when access requests are not configured', async () => {
    const api = fakeAwsAccessApi({
      getMyAccess: async () => userAccess(),
      getMyTimeline: async () => timeline,
    });
    renderWithApi(<AwsAccessPage />, { api });
    expect(await screen.findByText('payments-prod')).toBeInTheDocument();
    await waitFor(() => expect(api.getRequestables).toHaveBeenCalled());
    await waitFor(() => expect(api.listRequests).toHaveBeenCalled());
    expect(screen.queryByRole('button', { name: 'Request access' })).toBeNull();
    expect(screen.queryByText('My requests')).toBeNull();
  });

  it("offers on an account's card only what a policy allows on that account", async () => {
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'payments-prod',
        annotations: { 'amazonaws.com/account-id': '200000000003' },
      },
      spec: { type: 'cloud-account', owner: 'group:default/payments-team' },
    };
    const api = governedApi({ getAccountAccess: async () => accountAccess() });
    renderWithApi(<EntityAwsAccountAccessCard />, { api, entity });

    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Request access to payments-prod',
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Request access to payments-prod',
    });
    expect(
      within(dialog)
        .getAllByTestId('requestable-option')
        .map(option => option.textContent),
    ).toEqual([expect.stringContaining('AWS-Payments-Prod-Admin')]);
  });

  it('has no button on an account nothing can be requested for', async () => {
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'sandbox',
        annotations: { 'amazonaws.com/account-id': '999999999999' },
      },
      spec: { type: 'cloud-account', owner: 'group:default/platform-team' },
    };
    const api = governedApi({ getAccountAccess: async () => accountAccess() });
    renderWithApi(<EntityAwsAccountAccessCard />, { api, entity });
    expect(await screen.findByTestId('account-summary')).toBeInTheDocument();
    await waitFor(() => expect(api.getRequestables).toHaveBeenCalled());
    expect(screen.queryByRole('button', { name: /Request access/ })).toBeNull();
  });
});
