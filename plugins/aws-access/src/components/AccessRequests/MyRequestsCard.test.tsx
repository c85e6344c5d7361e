import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MyRequestsCard } from './MyRequestsCard';
import {
  errors,
  fakeAwsAccessApi,
  renderWithApi,
} from '../../__testUtils__/render';
import { localIso } from '../../__testUtils__/fixtures';
import {
  accessRequest,
  activeRequest,
  adminRequestable,
  maria,
} from '../../__testUtils__/requests';

function governedApi(overrides: Parameters<typeof fakeAwsAccessApi>[0] = {}) {
  return fakeAwsAccessApi({
    getRequestables: async () => ({
      items: [adminRequestable({ openRequestId: 'req-1' })],
    }),
    ...overrides,
  });
}

function row(id = 'req-1') {
  const found = screen
    .getAllByTestId('request-row')
    .find(element => element.dataset.requestId === id);
  if (!found) {
    throw new Error(`no request row ${id}`);
  }
  return found;
}

describe('MyRequestsCard', () => {
  it('follows a request in flight until AWS shows it, and tells the page', async () => {
    const inAnHour = new Date(Date.now() + 3600_000).toISOString();
    const listRequests = jest
      .fn()
      .mockResolvedValueOnce({
        items: [activeRequest({ state: 'granting', expiresAt: inAnHour })],
      })
      .mockResolvedValue({ items: [activeRequest({ expiresAt: inAnHour })] });
    const onChange = jest.fn();
    const api = governedApi({ listRequests });
    renderWithApi(<MyRequestsCard onChange={onChange} />, { api });

    expect(await screen.findByTestId('request-row')).toHaveAttribute(
      'data-state',
      'granting',
    );
    expect(within(row()).getByTestId('request-state-chip')).toHaveTextContent(
      'Granting',
    );
    expect(row()).toHaveTextContent('DeveloperAdmin on payments-prod');
    expect(row()).toHaveTextContent('this updates by itself');

    await waitFor(() => expect(row()).toHaveAttribute('data-state', 'active'), {
      timeout: 12_000,
    });
    expect(api.listRequests).toHaveBeenCalledWith({
      role: 'mine',
      state: undefined,
    });
    expect(within(row()).getByTestId('request-expiry')).toHaveTextContent(
      /^expires in (59|60) minutes$/,
    );
    expect(onChange).toHaveBeenCalledTimes(1);
  }, 20_000);

  it('does not poll requests nothing is happening to', async () => {
    const api = governedApi({
      listRequests: async () => ({ items: [accessRequest()] }),
    });
    renderWithApi(<MyRequestsCard />, { api });
    expect(await screen.findByTestId('request-row')).toBeInTheDocument();
    expect(row()).toHaveTextContent('Waiting for approval');
    expect(within(row()).getByTestId('request-expiry')).toHaveTextContent(
      'for 1 hour',
    );
    await new Promise(resolve => setTimeout(resolve, 6000));
    expect(api.listRequests).toHaveBeenCalledTimes(1);
  }, 20_000);

  it('offers only the actions the backend allows, and acts on the request', async () => {
    const failed = accessRequest({
      id: 'req-2',
      state: 'failed',
      error: 'Graph answered 403: Authorization_RequestDenied',
      actions: { retry: true, cancel: true } as never,
    });
    const active = activeRequest({
      actions: { revoke: true } as never,
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    const api = governedApi({
      listRequests: async () => ({ items: [active, failed] }),
      actOnRequest: async () => active,
    });
    renderWithApi(<MyRequestsCard />, { api });
    await screen.findAllByTestId('request-row');

    const activeButtons = within(row('req-1')).getAllByRole('button');
    expect(activeButtons.map(b => b.textContent)).toEqual([
      'Revoke now',
      'Details',
    ]);
    expect(
      within(row('req-2')).getByTestId('request-error-cause'),
    ).toHaveTextContent(
      'Failed: Graph answered 403: Authorization_RequestDenied',
    );
    expect(
      within(row('req-2'))
        .getAllByRole('button')
        .map(b => b.textContent),
    ).toEqual(['Retry', 'Cancel request', 'Details']);

    await userEvent.click(
      within(row('req-1')).getByRole('button', {
        name: 'Revoke now: AWS-Payments-Prod-Admin',
      }),
    );
    expect(api.actOnRequest).toHaveBeenCalledWith({
      id: 'req-1',
      action: 'revoke',
      note: undefined,
    });
    await userEvent.click(
      within(row('req-2')).getByRole('button', {
        name: 'Retry: AWS-Payments-Prod-Admin',
      }),
    );
    expect(api.actOnRequest).toHaveBeenLastCalledWith({
      id: 'req-2',
      action: 'retry',
      note: undefined,
    });
    await waitFor(() => expect(api.listRequests).toHaveBeenCalledTimes(3));
  });

  it('shows a refused action in the words of the backend', async () => {
    const api = governedApi({
      listRequests: async () => ({
        items: [accessRequest({ actions: { cancel: true } as never })],
      }),
      actOnRequest: async () => {
        throw errors.conflict('Request req-1 is approved, not submitted');
      },
    });
    renderWithApi(<MyRequestsCard />, { api });
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Cancel request: AWS-Payments-Prod-Admin',
      }),
    );
    expect(await screen.findByTestId('request-action-error')).toHaveTextContent(
      'Request req-1 is approved, not submitted',
    );
  });

  it('opens the details with the history', async () => {
    const request = activeRequest({ state: 'ended' });
    const api = governedApi({
      listRequests: async () => ({ items: [request] }),
      getRequest: async () => ({
        ...request,
        history: [
          {
            at: localIso(10, 0),
            by: request.requester,
            byName: 'Aamir Siddiqui',
            to: 'submitted',
          },
          {
            at: localIso(10, 2),
            by: maria.entityRef,
            byName: maria.displayName,
            from: 'submitted',
            to: 'approved',
            note: 'ok',
          },
          { at: localIso(10, 4), by: 'system', from: 'granting', to: 'active' },
        ],
      }),
    });
    renderWithApi(<MyRequestsCard openRequestId="req-1" />, { api });
    const history = await screen.findByTestId('request-history');
    expect(
      within(history)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual([
      '2026-11-30 10:00 · Aamir Siddiqui: Waiting for approval',
      '2026-11-30 10:02 · Maria Gonzalez: Approved — ok',
      '2026-11-30 10:04 · Backstage: Active',
    ]);
    expect(api.getRequest).toHaveBeenCalledWith('req-1');
    const details = screen.getByTestId('request-details');
    expect(details).toHaveTextContent('Fix the failing settlement job');
    expect(details).toHaveTextContent('INC-4711');
    expect(details).toHaveTextContent(
      'Maria Gonzalez, 2026-11-30 10:02 — ok, for the incident',
    );
    expect(within(row()).getByTestId('request-expiry')).toHaveTextContent(
      'until 2026-11-30 11:02',
    );
  });

  it('says when a request revoked early ended', async () => {
    const api = governedApi({
      listRequests: async () => ({
        items: [activeRequest({ state: 'ended', endedAt: localIso(10, 30) })],
      }),
    });
    renderWithApi(<MyRequestsCard />, { api });
    expect(await screen.findByTestId('request-expiry')).toHaveTextContent(
      'ended 2026-11-30 10:30',
    );
  });

  it('says when there are no requests yet, and hides when requests are not configured', async () => {
    const api = governedApi({ listRequests: async () => ({ items: [] }) });
    const { unmount } = renderWithApi(<MyRequestsCard />, { api });
    expect(await screen.findByTestId('no-requests')).toHaveTextContent(
      'You have not requested any AWS access yet.',
    );
    expect(
      await screen.findByRole('button', { name: 'Request access' }),
    ).toBeInTheDocument();
    unmount();

    const off = fakeAwsAccessApi();
    renderWithApi(<MyRequestsCard />, { api: off });
    await waitFor(() => expect(off.listRequests).toHaveBeenCalled());
    await waitFor(() => expect(screen.queryByTestId('my-requests')).toBeNull());
  });
});
