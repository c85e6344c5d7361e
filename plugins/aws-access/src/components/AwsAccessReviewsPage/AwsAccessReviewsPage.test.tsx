import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AwsAccessReviewsContent } from './AwsAccessReviewsPage';
import {
  errors,
  fakeAwsAccessApi,
  renderWithApi,
} from '../../__testUtils__/render';
import {
  MARIA,
  aamirItem,
  campaign,
  groupItems,
  itemPage,
  powerUserGroup,
  priyaItem,
  progress,
} from '../../__testUtils__/reviews';

function item(id: string) {
  const found = screen
    .getAllByTestId('review-item')
    .find(row => row.dataset.itemId === id);
  if (!found) {
    throw new Error(`no review item ${id}`);
  }
  return found;
}

/** Maria's page: one open campaign with AWS-Developers-ReadOnly's Priya and Aamir to decide. */
function mariasApi(overrides: Parameters<typeof fakeAwsAccessApi>[0] = {}) {
  return fakeAwsAccessApi({
    listReviewCampaigns: async () => ({ items: [campaign()] }),
    listReviewItems: async () =>
      itemPage([groupItems([priyaItem(), aamirItem()])]),
    ...overrides,
  });
}

describe('AwsAccessReviewsContent (a reviewer)', () => {
  it('shows a group as members × accounts and, per member, team, access, other paths and how they got it, from one call', async () => {
    const api = mariasApi({
      listReviewItems: async () =>
        itemPage([
          groupItems([
            priyaItem(),
            aamirItem({
              outOfSync: [
                // Listed already, with its state, as access through the group: not repeated.
                {
                  accountId: '200000000001',
                  accountName: 'payments-dev',
                  permissionSet: aamirItem().access[0].permissionSet,
                  via: [],
                  state: 'pending',
                },
                {
                  accountId: '400000000001',
                  accountName: 'data-dev',
                  permissionSet: {
                    name: 'DataAnalyst',
                    arn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-9',
                    sessionDuration: 'PT1H',
                  },
                  via: [],
                  state: 'revoking',
                },
              ],
            }),
          ]),
        ]),
    });
    renderWithApi(<AwsAccessReviewsContent />, {
      api,
      userEntityRef: MARIA,
    });

    const group = await screen.findByTestId('review-group');
    expect(group).toHaveAttribute(
      'data-group',
      'group:default/aws-developers-readonly',
    );
    // The matrix: Aamir's payments-dev cell is pending, Priya reaches both dev accounts.
    const cells = within(group).getAllByTestId('matrix-cell');
    const cell = (member: string, account: string) =>
      cells.find(
        c =>
          c.dataset.member === `user:default/${member}_example.com` &&
          c.dataset.accountId === account,
      );
    expect(cell('aamir', '200000000001')).toHaveAttribute(
      'data-state',
      'pending',
    );
    expect(cell('aamir', '300000000001')).toHaveAttribute('data-state', '');
    expect(cell('priya', '300000000001')).toHaveAttribute(
      'data-permission-set',
      'DeveloperReadOnly',
    );

    const priya = item('item-priya');
    expect(priya).toHaveTextContent('Priya Nair');
    expect(priya).toHaveTextContent('Backend-Team');
    expect(priya).toHaveTextContent(
      'DeveloperReadOnly on payments-dev (4 hours sessions)',
    );
    expect(within(priya).getByTestId('review-also-via')).toHaveTextContent(
      'also through AWS-Payments-Readers (active): removing keeps this',
    );
    expect(within(priya).getByTestId('review-origin')).toHaveAttribute(
      'data-kind',
      'standing',
    );
    expect(within(priya).getByTestId('review-state-chip')).toHaveTextContent(
      'To decide',
    );

    const aamir = item('item-aamir');
    expect(within(aamir).getByTestId('review-origin')).toHaveTextContent(
      /^Requested 2026-11-20 \d\d:\d\d, approved by Maria Gonzalez on 2026-11-20 \d\d:\d\d$/,
    );
    expect(within(aamir).getByTestId('review-out-of-sync')).toHaveTextContent(
      'AWS still holds DataAnalyst on data-dev (Being removed) that Entra no longer grants',
    );

    // One read of the campaigns and one of the campaign's items: nothing per member.
    expect(api.listReviewCampaigns).toHaveBeenCalledTimes(1);
    expect(api.listReviewCampaigns).toHaveBeenCalledWith({ role: 'reviewer' });
    expect(api.listReviewItems).toHaveBeenCalledTimes(1);
    expect(api.listReviewItems).toHaveBeenCalledWith({
      campaignId: 'rev-1',
      reviewer: 'me',
    });
    expect(api.getUserAccess).not.toHaveBeenCalled();
    expect(api.getGroupAccess).not.toHaveBeenCalled();
    // Not the platform team: no campaigns card.
    expect(screen.queryByTestId('review-campaigns')).not.toBeInTheDocument();
  });

  it('puts the campaign a notification links to (?campaign=<id>) first', async () => {
    const api = mariasApi({
      listReviewCampaigns: async () => ({
        items: [campaign(), campaign({ id: 'rev-2', name: 'Payments review' })],
      }),
      listReviewItems: async ({ campaignId }) =>
        itemPage([groupItems([priyaItem({ campaignId })])], {
          id: campaignId,
        }),
    });
    renderWithApi(<AwsAccessReviewsContent />, {
      api,
      userEntityRef: MARIA,
      route: '/?campaign=rev-2',
    });

    await waitFor(() =>
      expect(screen.getAllByTestId('review-campaign')).toHaveLength(2),
    );
    const [first, second] = screen.getAllByTestId('review-campaign');
    expect(first).toHaveAttribute('data-campaign-id', 'rev-2');
    expect(first).toHaveAttribute('data-focused', 'true');
    expect(second).not.toHaveAttribute('data-focused');
    expect(
      screen.queryByTestId('review-focus-missing'),
    ).not.toBeInTheDocument();
  });

  it('says so when the linked campaign has nothing open for the reviewer', async () => {
    renderWithApi(<AwsAccessReviewsContent />, {
      api: mariasApi(),
      userEntityRef: MARIA,
      route: '/?campaign=rev-closed',
    });

    expect(await screen.findByTestId('review-focus-missing')).toHaveTextContent(
      'The campaign you followed a link to has nothing open for you',
    );
    expect(await screen.findByTestId('review-campaign')).toHaveAttribute(
      'data-campaign-id',
      'rev-1',
    );
  });

  it('says why the reviewers review each group: policy approvers, else Entra owners, else the platform team', async () => {
    const api = mariasApi({
      listReviewItems: async () =>
        itemPage([
          groupItems([priyaItem()], { reviewerSource: 'policy' }),
          groupItems([], {
            group: powerUserGroup,
            reviewerSource: 'group-owners',
          }),
          groupItems([], {
            group: { entityRef: 'group:default/orphans', name: 'Orphans' },
            reviewers: [],
            reviewerSource: 'platform',
          }),
        ]),
    });
    renderWithApi(<AwsAccessReviewsContent />, { api, userEntityRef: MARIA });

    await screen.findAllByTestId('review-group');
    const reasons = screen.getAllByTestId('review-reason');
    expect(reasons.map(r => r.dataset.source)).toEqual([
      'policy',
      'group-owners',
      'platform',
    ]);
    expect(reasons[0]).toHaveTextContent(
      'Reviewed by the approvers of its request policy: those who approve requests for AWS-Developers-ReadOnly attest who keeps it.',
    );
    expect(reasons[1]).toHaveTextContent(
      'Reviewed by its owners in Entra: no request policy names approvers for AWS-Developers-PowerUser.',
    );
    expect(reasons[2]).toHaveTextContent(
      'Reviewed by the platform team: Orphans has no request policy approvers and no owners in Entra.',
    );
  });

  it('removes with a note and follows the item until AWS shows it gone', async () => {
    const removedAt = '2026-12-06T10:02:00.000Z';
    // What the backend answers once the removal started: nothing more to decide or delegate.
    const decided = {
      actions: { decide: false, delegate: false },
      decision: 'remove' as const,
      note: 'moved to data',
      decidedBy: MARIA,
      decidedByName: 'Maria Gonzalez',
      decidedAt: '2026-12-06T10:00:00.000Z',
    };
    const listReviewItems = jest
      .fn()
      .mockResolvedValueOnce(itemPage([groupItems([priyaItem()])]))
      .mockResolvedValueOnce(
        itemPage([groupItems([priyaItem({ ...decided, state: 'removing' })])]),
      )
      .mockResolvedValue(
        itemPage(
          [
            groupItems([
              priyaItem({
                ...decided,
                state: 'removed',
                removedAt,
                access: [],
              }),
            ]),
          ],
          { myProgress: progress({ total: 1, removed: 1 }) },
        ),
      );
    const api = mariasApi({
      listReviewItems,
      decideReviewItem: async () =>
        priyaItem({ ...decided, state: 'removing' }),
    });
    renderWithApi(<AwsAccessReviewsContent />, { api, userEntityRef: MARIA });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Remove: Priya Nair' }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Remove Priya Nair from AWS-Developers-ReadOnly?',
    });
    expect(dialog).toHaveTextContent(
      'Still reachable another way: DeveloperReadOnly on payments-dev.',
    );
    // Pasted rather than typed: this test also waits for a poll, and typing is slow on a busy machine.
    await userEvent.click(
      within(dialog).getByRole('textbox', { name: 'Note (optional)' }),
    );
    await userEvent.paste('moved to data');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Remove' }),
    );

    expect(api.decideReviewItem).toHaveBeenCalledWith({
      campaignId: 'rev-1',
      itemId: 'item-priya',
      decision: 'remove',
      note: 'moved to data',
    });
    await waitFor(() =>
      expect(item('item-priya')).toHaveAttribute('data-state', 'removing'),
    );
    expect(item('item-priya')).toHaveTextContent(
      'Being removed (AWS still shows it)',
    );
    expect(
      within(item('item-priya')).getByTestId('review-decided'),
    ).toHaveTextContent(/^Remove by Maria Gonzalez on .*: “moved to data”$/);
    // No buttons while the removal is on its way.
    expect(
      within(item('item-priya')).queryByRole('button', { name: /Remove/ }),
    ).toBeNull();

    await waitFor(
      () => expect(item('item-priya')).toHaveAttribute('data-state', 'removed'),
      { timeout: 12_000 },
    );
    expect(
      within(item('item-priya')).getByTestId('review-removed-at'),
    ).toHaveTextContent(/^AWS showed it gone at 2026-12-06 \d\d:02$/);
    expect(
      screen.getByText(/^Q4 Backend-Team review: due .*, you decided 1 of 1$/),
    ).toBeInTheDocument();
  }, 20_000);

  it('keeps every pending member of a group at once, with one note', async () => {
    const own = priyaItem({
      id: 'item-maria',
      member: { entityRef: MARIA, displayName: 'Maria Gonzalez' },
      actions: { decide: false, delegate: false },
    });
    const api = mariasApi({
      listReviewItems: async () =>
        itemPage([groupItems([priyaItem(), aamirItem(), own])]),
      keepReviewGroup: async () => ({ items: [] }),
    });
    renderWithApi(<AwsAccessReviewsContent />, { api, userEntityRef: MARIA });

    // Maria's own membership is not hers to decide: two, not three.
    await userEvent.click(
      await screen.findByRole('button', { name: 'Keep all 2 pending' }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Keep every pending member of AWS-Developers-ReadOnly?',
    });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: 'Note (optional)' }),
      'all still on the team',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Keep' }));
    expect(api.keepReviewGroup).toHaveBeenCalledWith({
      campaignId: 'rev-1',
      group: 'group:default/aws-developers-readonly',
      note: 'all still on the team',
    });
    await waitFor(() => expect(api.listReviewItems).toHaveBeenCalledTimes(2));
    expect(
      within(item('item-maria')).queryByRole('button'),
    ).not.toBeInTheDocument();
  });

  it('delegates an item to a person named by their user name', async () => {
    const api = mariasApi({
      delegateReviewItem: async () => aamirItem({ reviewers: [] }),
    });
    renderWithApi(<AwsAccessReviewsContent />, { api, userEntityRef: MARIA });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Delegate: Aamir Siddiqui' }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Delegate the review of Aamir Siddiqui in AWS-Developers-ReadOnly',
    });
    const confirm = within(dialog).getByRole('button', { name: 'Delegate' });
    expect(confirm).toBeDisabled();
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Delegate to/ }),
      'sara_example.com',
    );
    await userEvent.click(confirm);
    expect(api.delegateReviewItem).toHaveBeenCalledWith({
      campaignId: 'rev-1',
      itemId: 'item-aamir',
      to: 'user:default/sara_example.com',
      note: undefined,
    });
  });

  it('says why a decision was refused and shows the items as they are now', async () => {
    const api = mariasApi({
      decideReviewItem: async () => {
        throw errors.conflict('The campaign rev-1 is closed');
      },
    });
    renderWithApi(<AwsAccessReviewsContent />, { api, userEntityRef: MARIA });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Keep: Priya Nair' }),
    );
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', { name: 'Keep' }),
    );
    expect(await screen.findByTestId('request-action-error')).toHaveTextContent(
      'The campaign rev-1 is closed',
    );
    expect(api.listReviewItems).toHaveBeenCalledTimes(2);
  });

  it('says when there is nothing to review, skipping closed campaigns and those without items for the caller', async () => {
    const api = fakeAwsAccessApi({
      listReviewCampaigns: async () => ({
        items: [
          campaign({ id: 'closed', state: 'closed' }),
          campaign({ id: 'others', myProgress: progress({ total: 0 }) }),
        ],
      }),
    });
    renderWithApi(<AwsAccessReviewsContent />, { api, userEntityRef: MARIA });
    expect(await screen.findByTestId('no-reviews')).toHaveTextContent(
      /^Nothing to review/,
    );
    expect(api.listReviewItems).not.toHaveBeenCalled();
  });

  it('shows an error with a retry, and a note when reviews are not configured', async () => {
    const listReviewCampaigns = jest
      .fn()
      .mockRejectedValueOnce(errors.broken())
      .mockResolvedValue({ items: [] });
    const api = fakeAwsAccessApi({ listReviewCampaigns });
    renderWithApi(<AwsAccessReviewsContent />, { api });
    const error = await screen.findByTestId('access-error');
    await userEvent.click(within(error).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('no-reviews')).toBeInTheDocument();

    renderWithApi(<AwsAccessReviewsContent />, { api: fakeAwsAccessApi() });
    expect(
      await screen.findByTestId('reviews-not-configured'),
    ).toHaveTextContent('Access reviews are not configured on this Backstage.');
  });
});
