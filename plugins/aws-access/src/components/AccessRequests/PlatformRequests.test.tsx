import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AllRequestsCard } from './AllRequestsCard';
import { GovernanceLintCard } from './GovernanceLintCard';
import { fakeAwsAccessApi, renderWithApi } from '../../__testUtils__/render';
import {
  accessRequest,
  activeRequest,
  lintReport,
} from '../../__testUtils__/requests';
import { downloadText } from '../../lib/download';

jest.mock('../../lib/download', () => ({ downloadText: jest.fn() }));

describe('AllRequestsCard', () => {
  it('lists every request, filtered by state', async () => {
    const api = fakeAwsAccessApi({
      listRequests: async ({ state }) => ({
        items: state
          ? [accessRequest({ state })]
          : [activeRequest(), accessRequest({ id: 'req-2' })],
      }),
    });
    renderWithApi(<AllRequestsCard />, { api });
    await waitFor(() =>
      expect(screen.getAllByTestId('request-row')).toHaveLength(2),
    );
    expect(api.listRequests).toHaveBeenCalledWith({
      role: 'all',
      state: undefined,
    });

    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'State' }),
      'failed',
    );
    await waitFor(() =>
      expect(api.listRequests).toHaveBeenLastCalledWith({
        role: 'all',
        state: 'failed',
      }),
    );
    await waitFor(() =>
      expect(screen.getAllByTestId('request-row')).toHaveLength(1),
    );
    expect(screen.getByTestId('request-row')).toHaveAttribute(
      'data-state',
      'failed',
    );
  });

  it('exports a period as CSV or JSON', async () => {
    const api = fakeAwsAccessApi({
      listRequests: async () => ({ items: [] }),
      exportRequests: async ({ format }) =>
        format === 'csv' ? 'id,state\r\nreq-1,ended\r\n' : '{"items":[]}',
    });
    renderWithApi(<AllRequestsCard />, { api });
    expect(await screen.findByTestId('no-requests')).toBeInTheDocument();

    const from = screen.getByLabelText('From');
    const to = screen.getByLabelText('To');
    await userEvent.clear(from);
    await userEvent.type(from, '2026-11-01');
    await userEvent.clear(to);
    await userEvent.type(to, '2026-12-01');
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() =>
      expect(downloadText).toHaveBeenCalledWith(
        'aws-access-requests-2026-11-01-2026-12-01.csv',
        'id,state\r\nreq-1,ended\r\n',
        'text/csv;charset=utf-8',
      ),
    );
    expect(api.exportRequests).toHaveBeenCalledWith({
      from: '2026-11-01',
      to: '2026-12-01',
      format: 'csv',
    });
    await userEvent.click(screen.getByRole('button', { name: 'Export JSON' }));
    await waitFor(() =>
      expect(downloadText).toHaveBeenLastCalledWith(
        'aws-access-requests-2026-11-01-2026-12-01.json',
        '{"items":[]}',
        'application/json',
      ),
    );
  });

  it('is hidden when access requests are not configured', async () => {
    const api = fakeAwsAccessApi();
    renderWithApi(<AllRequestsCard />, { api });
    await waitFor(() => expect(api.listRequests).toHaveBeenCalled());
    await waitFor(() =>
      expect(screen.queryByTestId('all-requests')).toBeNull(),
    );
  });
});

describe('GovernanceLintCard', () => {
  it('lists the findings with their severity', async () => {
    const api = fakeAwsAccessApi({
      getGovernanceLint: async () => lintReport(),
    });
    renderWithApi(<GovernanceLintCard />, { api });
    const findings = await screen.findAllByTestId('governance-lint-finding');
    expect(findings.map(f => f.dataset.code)).toEqual([
      'admin-without-max-duration',
      'no-approvers',
    ]);
    expect(findings[0]).toHaveTextContent(
      'group:default/aws-*-admin grants an admin permission set without maxDuration',
    );
    expect(within(findings[1]).getByRole('alert')).toHaveClass(
      'MuiAlert-standardWarning',
    );
  });

  it('says when there is nothing to fix, and hides when not configured', async () => {
    const api = fakeAwsAccessApi({
      getGovernanceLint: async () => ({ findings: [] }),
    });
    const { unmount } = renderWithApi(<GovernanceLintCard />, { api });
    expect(await screen.findByTestId('no-lint-findings')).toBeInTheDocument();
    unmount();

    const off = fakeAwsAccessApi();
    renderWithApi(<GovernanceLintCard />, { api: off });
    await waitFor(() => expect(off.getGovernanceLint).toHaveBeenCalled());
    await waitFor(() =>
      expect(screen.queryByText('Access request policy lint')).toBeNull(),
    );
  });
});
