import type { GroupEntity } from '@backstage/catalog-model';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EntityAwsTeamAccessCard } from './EntityAwsTeamAccessCard';
import {
  errors,
  fakeAwsAccessApi,
  renderWithApi,
} from '../../__testUtils__/render';
import {
  groupAccess,
  hostileName,
  shen,
  twoPathGrant,
} from '../../__testUtils__/fixtures';

const teamEntity: GroupEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-payments', title: 'Team Payments' },
  spec: { type: 'team', children: [] },
};

function cell(member: string, accountId: string): HTMLElement {
  const found = screen
    .getAllByTestId('matrix-cell')
    .find(
      element =>
        element.dataset.member === member &&
        element.dataset.accountId === accountId,
    );
  if (!found) {
    throw new Error(`no cell ${member} ${accountId}`);
  }
  return found;
}

describe('EntityAwsTeamAccessCard', () => {
  const createObjectURL = jest.fn((_blob: Blob) => 'blob:team-access');
  const revokeObjectURL = jest.fn();
  const originalCreate = URL.createObjectURL;
  const originalRevoke = URL.revokeObjectURL;
  const clicks: HTMLAnchorElement[] = [];
  let click: jest.SpyInstance;

  beforeEach(() => {
    clicks.length = 0;
    click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function record(this: HTMLAnchorElement) {
        clicks.push(this);
      });
    URL.createObjectURL = createObjectURL as typeof URL.createObjectURL;
    URL.revokeObjectURL = revokeObjectURL;
    createObjectURL.mockClear();
  });

  afterEach(() => {
    click.mockRestore();
  });

  afterAll(() => {
    URL.createObjectURL = originalCreate;
    URL.revokeObjectURL = originalRevoke;
  });

  it('shows members × accounts with the strongest permission set per cell', async () => {
    const api = fakeAwsAccessApi({ getGroupAccess: async () => groupAccess() });
    renderWithApi(<EntityAwsTeamAccessCard />, { api, entity: teamEntity });

    expect(await screen.findByTestId('access-matrix')).toBeInTheDocument();
    expect(api.getGroupAccess).toHaveBeenCalledWith(
      'group:default/team-payments',
      { limit: 500 },
    );
    expect(
      screen.getAllByRole('columnheader').map(header => header.textContent),
    ).toEqual(['Member', 'payments-dev', 'payments-prod']);
    expect(
      screen.getAllByTestId('matrix-row').map(row => row.dataset.member),
    ).toEqual([
      'user:default/aamir_example.com',
      'user:default/alex_example.com',
      'user:default/noor_example.com',
      'user:default/shen.li_example.com',
    ]);

    // Aamir: active ReadOnly plus a pending Admin on payments-prod → Admin, outlined as pending.
    const aamirProd = cell('user:default/aamir_example.com', '200000000003');
    expect(aamirProd).toHaveTextContent('DeveloperAdmin');
    expect(aamirProd.dataset.strength).toBe('3');
    expect(aamirProd.dataset.state).toBe('pending');
    expect(aamirProd).toHaveAttribute(
      'aria-label',
      'Aamir Siddiqui on payments-prod: DeveloperAdmin (Pending)',
    );

    // Alex, the leaver: still active in AWS, being removed.
    const alexProd = cell('user:default/alex_example.com', '200000000003');
    expect(alexProd).toHaveTextContent('DeveloperReadOnly');
    expect(alexProd.dataset.state).toBe('revoking');

    // Shen, the mover: PowerUser on dev is active and stronger than ReadOnly.
    const shenDev = cell('user:default/shen.li_example.com', '200000000001');
    expect(shenDev).toHaveTextContent('DeveloperPowerUser');
    expect(shenDev.dataset.strength).toBe('2');
    expect(shenDev.dataset.state).toBe('active');

    expect(
      cell('user:default/aamir_example.com', '200000000001'),
    ).toHaveTextContent('');
    expect(
      cell('user:default/aamir_example.com', '200000000001').dataset.state,
    ).toBe('');
  });

  it('highlights pending and revoking members and cells differently, with a legend', async () => {
    const api = fakeAwsAccessApi({ getGroupAccess: async () => groupAccess() });
    renderWithApi(<EntityAwsTeamAccessCard />, { api, entity: teamEntity });
    await screen.findByTestId('access-matrix');

    const rows = Object.fromEntries(
      screen.getAllByTestId('matrix-row').map(row => [row.dataset.member, row]),
    );
    expect(rows['user:default/aamir_example.com'].dataset.highlight).toBe(
      'pending',
    );
    expect(
      within(rows['user:default/aamir_example.com']).getByTestId(
        'grant-state-chip',
      ),
    ).toHaveTextContent('Pending');
    expect(rows['user:default/alex_example.com'].dataset.highlight).toBe(
      'revoking',
    );
    expect(
      within(rows['user:default/alex_example.com']).getByTestId(
        'grant-state-chip',
      ),
    ).toHaveTextContent('Being removed');
    expect(rows['user:default/shen.li_example.com'].dataset.highlight).toBe('');

    const pendingClass = cell(
      'user:default/aamir_example.com',
      '200000000003',
    ).className;
    const revokingClass = cell(
      'user:default/alex_example.com',
      '200000000003',
    ).className;
    const activeClass = cell(
      'user:default/shen.li_example.com',
      '200000000001',
    ).className;
    const pendingOnly = pendingClass
      .split(' ')
      .filter(
        c => !activeClass.split(' ').includes(c) && !c.includes('strength'),
      );
    const revokingOnly = revokingClass
      .split(' ')
      .filter(
        c => !activeClass.split(' ').includes(c) && !c.includes('strength'),
      );
    expect(pendingOnly.length).toBeGreaterThan(0);
    expect(revokingOnly.length).toBeGreaterThan(0);
    expect(pendingOnly).not.toEqual(revokingOnly);

    const legend = screen.getByTestId('matrix-legend');
    expect(legend).toHaveTextContent('Admin');
    expect(legend).toHaveTextContent('Pending or stuck (outlined)');
    expect(legend).toHaveTextContent('Being removed (hatched)');
  });

  it("saves the backend's streamed CSV of the whole team, with the filters in force", async () => {
    const csv =
      'user,user_ref\r\n"\'=HYPERLINK(""x"")","user:default/shen"\r\n';
    const api = fakeAwsAccessApi({
      getGroupAccess: async () => groupAccess(),
      exportGroupAccessCsv: async () => csv,
    });
    renderWithApi(<EntityAwsTeamAccessCard />, { api, entity: teamEntity });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Export CSV' }),
    );

    await waitFor(() => expect(createObjectURL).toHaveBeenCalledTimes(1));
    expect(api.exportGroupAccessCsv).toHaveBeenCalledWith(
      'group:default/team-payments',
      {},
    );
    const blob = createObjectURL.mock.calls[0][0];
    expect(blob.type).toBe('text/csv;charset=utf-8');
    expect(await blob.text()).toBe(csv);
    expect(clicks[0].download).toBe('team-access-team-payments.csv');
  });

  it('loads the next page of members on request and filters through the backend', async () => {
    const first = groupAccess();
    const [one, ...rest] = first.members;
    const page = (members: typeof first.members, nextCursor?: string) => ({
      ...first,
      members,
      page: {
        sort: 'member' as const,
        order: 'asc' as const,
        limit: 500,
        offset: 0,
        returned: 1,
        total: first.members.length,
        nextCursor,
      },
    });
    const api = fakeAwsAccessApi({
      getGroupAccess: async (_ref, query) =>
        query?.cursor ? page(rest) : page([one], 'c1'),
    });
    renderWithApi(<EntityAwsTeamAccessCard />, { api, entity: teamEntity });

    await screen.findByTestId('access-matrix');
    expect(screen.getAllByTestId('matrix-row')).toHaveLength(1);
    await userEvent.click(screen.getByTestId('matrix-load-more'));
    await waitFor(() =>
      expect(screen.getAllByTestId('matrix-row')).toHaveLength(
        first.members.length,
      ),
    );
    expect(api.getGroupAccess).toHaveBeenLastCalledWith(
      'group:default/team-payments',
      { limit: 500, cursor: 'c1' },
    );
    expect(screen.queryByTestId('matrix-load-more')).not.toBeInTheDocument();

    await userEvent.type(screen.getByTestId('filter-member'), 'shen');
    await waitFor(() =>
      expect(api.getGroupAccess).toHaveBeenLastCalledWith(
        'group:default/team-payments',
        { member: 'shen', limit: 500 },
      ),
    );
  });

  it('renders hostile member names as text', async () => {
    const api = fakeAwsAccessApi({
      getGroupAccess: async () =>
        groupAccess({
          members: [
            {
              user: { ...shen, displayName: hostileName },
              grants: [twoPathGrant],
            },
          ],
        }),
    });
    renderWithApi(<EntityAwsTeamAccessCard />, { api, entity: teamEntity });
    expect(await screen.findByText(hostileName)).toBeInTheDocument();
    expect(document.querySelector('img[src="x"]')).toBeNull();
  });

  it('says when no member has access, without an export', async () => {
    const api = fakeAwsAccessApi({
      getGroupAccess: async () =>
        groupAccess({ members: [{ user: shen, grants: [] }] }),
    });
    renderWithApi(<EntityAwsTeamAccessCard />, { api, entity: teamEntity });
    expect(await screen.findByTestId('no-grants')).toHaveTextContent(
      'No member of Team Payments has AWS access.',
    );
    expect(screen.queryByRole('button', { name: 'Export CSV' })).toBeNull();
  });

  it('tells non-members they may not see the team', async () => {
    const api = fakeAwsAccessApi({
      getGroupAccess: async () => {
        throw errors.forbidden();
      },
    });
    renderWithApi(<EntityAwsTeamAccessCard />, { api, entity: teamEntity });
    expect(await screen.findByTestId('access-error')).toHaveTextContent(
      "You can see your own access and your teams'. Ask the platform team for access to others'.",
    );
  });

  it('shows other errors', async () => {
    const api = fakeAwsAccessApi({
      getGroupAccess: async () => {
        throw errors.broken();
      },
    });
    renderWithApi(<EntityAwsTeamAccessCard />, { api, entity: teamEntity });
    expect(
      (await screen.findAllByText(/Something broke in the backend/)).length,
    ).toBeGreaterThan(0);
  });
});
