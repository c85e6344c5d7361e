import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type {
  AccessPageQuery,
  Grant,
  UserAccess,
} from '@aws-access/plugin-aws-access-common';
import { AwsAccessPage } from './AwsAccessPage';
import { fakeAwsAccessApi, renderWithApi } from '../../__testUtils__/render';
import {
  activeGrant,
  awsCliConfig,
  pendingGrant,
  timeline,
  userAccess,
} from '../../__testUtils__/fixtures';
import { downloadText } from '../../lib/download';

jest.mock('../../lib/download', () => ({ downloadText: jest.fn() }));

/*
 * A power user's *My AWS access*: 9,000 grants that the backend pages and filters. The fake backend answers
 * every query with the page it asks for, so each test sees exactly what the page sent.
 */

const TOTAL = 9000;

/** Grant number `i` of the power user: three permission sets on account `i / 3`. */
function grantAt(i: number): Grant {
  const account = Math.floor(i / 3);
  const id = `2${String(account).padStart(11, '0')}`;
  const base = i % 3 === 2 ? pendingGrant : activeGrant;
  return {
    ...base,
    accountId: id,
    accountName: `acct-${String(account).padStart(5, '0')}`,
    permissionSet: {
      ...base.permissionSet,
      name: ['ReadOnly', 'PowerUser', 'Admin'][i % 3],
    },
  };
}

/** The page `query` asks for: a search or filter matches nothing when it says `nothing`. */
function pageFor(query: AccessPageQuery = {}): UserAccess {
  const limit = query.limit ?? 200;
  const offset = query.offset ?? 0;
  const { limit: _l, offset: _o, ...filters } = query;
  const filtered = Object.keys(filters).length > 0;
  let matching = filtered ? Math.floor(TOTAL / 3) : TOTAL;
  if (query.q === 'nothing') matching = 0;
  const returned = Math.max(0, Math.min(limit, matching - offset));
  const grants = Array.from({ length: returned }, (_, k) =>
    grantAt((offset + k) * (filtered ? 3 : 1)),
  );
  return userAccess({
    grants,
    summary: {
      members: 1,
      grants: TOTAL,
      matchingMembers: matching ? 1 : 0,
      matchingGrants: matching,
      states: filtered ? { active: matching } : { active: 6000, pending: 3000 },
      ous: ['Sandbox', 'Workloads/Prod'],
      permissionSets: ['Admin', 'PowerUser', 'ReadOnly'],
    },
    page: {
      sort: 'account',
      order: 'asc',
      limit,
      offset,
      returned,
      total: matching,
    },
  });
}

function powerUserApi() {
  return fakeAwsAccessApi({
    getMyAccess: jest.fn(async (query?: AccessPageQuery) => pageFor(query)),
    getMyTimeline: async () => timeline,
    getMyAwsCliConfig: async () => awsCliConfig,
  });
}

const accountIds = () =>
  screen.getAllByTestId('grant-row').map(row => row.dataset.accountId);

async function choose(filter: string, option: string) {
  await userEvent.click(screen.getByTestId(`filter-${filter}`));
  await userEvent.click(await screen.findByRole('option', { name: option }));
}

describe('My AWS access for a power user', () => {
  beforeEach(() => jest.mocked(downloadText).mockClear());

  it('asks the backend for one page of 50 and pages through the rest', async () => {
    const api = powerUserApi();
    renderWithApi(<AwsAccessPage />, { api });

    await screen.findAllByTestId('grant-row');
    expect(api.getMyAccess).toHaveBeenCalledWith({ limit: 50, offset: 0 });
    expect(screen.getAllByTestId('grant-row')).toHaveLength(50);
    const pagination = screen.getByTestId('grants-pagination');
    expect(pagination).toHaveTextContent('1-50 of 9000');

    await userEvent.click(
      within(pagination).getByRole('button', { name: 'Next page' }),
    );
    await waitFor(() => expect(accountIds()[0]).toBe('200000000016'));
    expect(api.getMyAccess).toHaveBeenLastCalledWith({ limit: 50, offset: 50 });
    expect(screen.getByTestId('grants-pagination')).toHaveTextContent(
      '51-100 of 9000',
    );
  });

  it('sends the search and every filter to the backend, starting again from the first page', async () => {
    const api = powerUserApi();
    renderWithApi(<AwsAccessPage />, { api });
    await screen.findAllByTestId('grant-row');
    await userEvent.click(
      within(screen.getByTestId('grants-pagination')).getByRole('button', {
        name: 'Next page',
      }),
    );
    await waitFor(() =>
      expect(api.getMyAccess).toHaveBeenLastCalledWith({
        limit: 50,
        offset: 50,
      }),
    );

    await userEvent.type(screen.getByTestId('filter-q'), 'staging');
    await waitFor(() =>
      expect(api.getMyAccess).toHaveBeenLastCalledWith({
        q: 'staging',
        limit: 50,
        offset: 0,
      }),
    );
    await userEvent.type(screen.getByTestId('filter-account'), 'acct-0004');
    await waitFor(() =>
      expect(api.getMyAccess).toHaveBeenLastCalledWith({
        q: 'staging',
        account: 'acct-0004',
        limit: 50,
        offset: 0,
      }),
    );
    await choose('ou', 'Sandbox');
    await choose('permissionSet', 'Admin');
    await choose('state', 'Pending');
    await waitFor(() =>
      expect(api.getMyAccess).toHaveBeenLastCalledWith({
        q: 'staging',
        account: 'acct-0004',
        ou: 'Sandbox',
        permissionSet: 'Admin',
        state: ['pending'],
        limit: 50,
        offset: 0,
      }),
    );
    expect(screen.getByTestId('grants-pagination')).toHaveTextContent(
      '1-50 of 3000',
    );
  });

  it('keeps the page shown with a progress bar while the next one is read', async () => {
    let answer: (access: UserAccess) => void = () => {};
    const api = powerUserApi();
    renderWithApi(<AwsAccessPage />, { api });
    await screen.findAllByTestId('grant-row');
    expect(screen.queryByTestId('grants-loading')).toBeNull();

    api.getMyAccess.mockImplementationOnce(
      () => new Promise(resolve => (answer = resolve)),
    );
    await userEvent.click(
      within(screen.getByTestId('grants-pagination')).getByRole('button', {
        name: 'Next page',
      }),
    );
    expect(await screen.findByTestId('grants-loading')).toBeInTheDocument();
    expect(accountIds()[0]).toBe('200000000000');

    answer(pageFor({ limit: 50, offset: 50 }));
    await waitFor(() => expect(accountIds()[0]).toBe('200000000016'));
    expect(screen.queryByTestId('grants-loading')).toBeNull();
  });

  it('says when nothing matches the filters, and keeps the filters to change them', async () => {
    const api = powerUserApi();
    renderWithApi(<AwsAccessPage />, { api });
    await screen.findAllByTestId('grant-row');

    await userEvent.type(screen.getByTestId('filter-q'), 'nothing');
    expect(await screen.findByTestId('no-grants')).toHaveTextContent(
      'None of your grants matches these filters.',
    );
    expect(screen.queryAllByTestId('grant-row')).toHaveLength(0);
    expect(screen.getByTestId('filter-q')).toHaveValue('nothing');
  });

  it('offers the whole ~/.aws/config as a download without reading it for the page', async () => {
    const api = powerUserApi();
    renderWithApi(<AwsAccessPage />, { api });
    await screen.findAllByTestId('grant-row');

    const download = screen.getByTestId('aws-cli-config-download');
    expect(screen.queryByTestId('aws-cli-config')).toBeNull();
    expect(api.getMyAwsCliConfig).not.toHaveBeenCalled();

    await userEvent.click(download);
    await waitFor(() =>
      expect(downloadText).toHaveBeenCalledWith(
        'aws-config',
        awsCliConfig,
        'text/plain;charset=utf-8',
      ),
    );
    expect(api.getMyAwsCliConfig).toHaveBeenCalledTimes(1);
    // Paging does not read it again.
    await userEvent.click(
      within(screen.getByTestId('grants-pagination')).getByRole('button', {
        name: 'Next page',
      }),
    );
    await waitFor(() =>
      expect(api.getMyAccess).toHaveBeenLastCalledWith({
        limit: 50,
        offset: 50,
      }),
    );
    expect(api.getMyAwsCliConfig).toHaveBeenCalledTimes(1);
  });
});
