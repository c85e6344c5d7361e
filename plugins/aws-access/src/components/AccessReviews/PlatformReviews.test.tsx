import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { OverdueReviewsCard } from './OverdueReviewsCard';
import { AwsAccessReviewsContent } from '../AwsAccessReviewsPage';
import {
  errors,
  fakeAwsAccessApi,
  renderWithApi,
} from '../../__testUtils__/render';
import {
  SARA,
  campaign,
  overdueItem,
  progress,
} from '../../__testUtils__/reviews';
import { downloadText } from '../../lib/download';

jest.mock('../../lib/download', () => ({ downloadText: jest.fn() }));

const MANAGE = 'aws-access.review.manage';

/** Puts text into a field at once (typing it key by key is slow on a busy machine). */
async function fill(field: HTMLElement, text: string) {
  await userEvent.click(field);
  await userEvent.paste(text);
}

function platformApi(overrides: Parameters<typeof fakeAwsAccessApi>[0] = {}) {
  return fakeAwsAccessApi({
    listReviewCampaigns: async ({ role } = {}) => ({
      items:
        role === 'all'
          ? [
              campaign({
                progress: progress({ total: 5, kept: 2, removing: 1 }),
                overdueItems: 2,
              }),
            ]
          : [],
    }),
    ...overrides,
  });
}

describe('Review campaigns (the platform team)', () => {
  it('opens the details of the campaign a link names (?campaign=<id>)', async () => {
    const api = platformApi({
      listReviewCampaigns: async ({ role } = {}) => ({
        items:
          role === 'all'
            ? [campaign(), campaign({ id: 'rev-2', name: 'Payments review' })]
            : [],
      }),
    });
    renderWithApi(<AwsAccessReviewsContent />, {
      api,
      allowed: [MANAGE],
      userEntityRef: SARA,
      route: '/?campaign=rev-2',
    });

    const rows = await screen.findAllByTestId('review-campaign-row');
    expect(rows.map(row => row.dataset.focused)).toEqual([undefined, 'true']);
    expect(screen.getByTestId('campaign-reviewers')).toBeInTheDocument();
    expect(
      screen.getByText('Payments review: Progress per reviewer'),
    ).toBeInTheDocument();
  });

  it('starts a campaign over named groups with a due date', async () => {
    const created = campaign({ id: 'rev-2', name: 'Backend-Team Q4' });
    const api = platformApi({
      createReviewCampaign: async () => created,
    });
    renderWithApi(<AwsAccessReviewsContent />, {
      api,
      allowed: [MANAGE],
      userEntityRef: SARA,
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Start a campaign' }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Start an access review campaign',
    });
    const start = within(dialog).getByRole('button', {
      name: 'Start campaign',
    });
    expect(start).toBeDisabled();
    await fill(
      within(dialog).getByRole('textbox', { name: /Name/ }),
      'Backend-Team Q4',
    );
    await fill(
      within(dialog).getByRole('textbox', { name: 'Groups' }),
      'AWS-Developers-ReadOnly, group:default/aws-developers-poweruser',
    );
    fireEvent.change(within(dialog).getByLabelText(/Due date/), {
      target: { value: '2026-12-31' },
    });
    await userEvent.click(start);

    expect(api.createReviewCampaign).toHaveBeenCalledTimes(1);
    const body = api.createReviewCampaign.mock.calls[0][0];
    expect(body).toEqual({
      name: 'Backend-Team Q4',
      groups: [
        'group:default/aws-developers-readonly',
        'group:default/aws-developers-poweruser',
      ],
      dueAt: new Date(2026, 11, 31, 23, 59, 59).toISOString(),
    });
    expect(await screen.findByTestId('campaign-created')).toHaveTextContent(
      'Started Backend-Team Q4 with 2 items.',
    );
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    // The list is read again, so the new campaign shows.
    await waitFor(() =>
      expect(
        api.listReviewCampaigns.mock.calls.filter(
          ([options]) => options?.role === 'all',
        ),
      ).toHaveLength(2),
    );
  });

  it('shows a refused field under the field and keeps the dialog open', async () => {
    const api = platformApi({
      createReviewCampaign: async () => {
        throw Object.assign(errors.invalid('dueAt must be in the future'), {
          body: {
            error: {
              name: 'InputError',
              message: 'dueAt must be in the future',
              field: 'dueAt',
            },
          },
        });
      },
    });
    renderWithApi(<AwsAccessReviewsContent />, {
      api,
      allowed: [MANAGE],
      userEntityRef: SARA,
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Start a campaign' }),
    );
    const dialog = screen.getByRole('dialog');
    await fill(within(dialog).getByRole('textbox', { name: /Name/ }), 'Q4');
    await userEvent.click(
      within(dialog).getByRole('radio', {
        name: 'Every group that gives AWS access',
      }),
    );
    fireEvent.change(within(dialog).getByLabelText(/Due date/), {
      target: { value: '2020-01-01' },
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Start campaign' }),
    );
    expect(
      await within(dialog).findByText('dueAt must be in the future'),
    ).toBeInTheDocument();
    expect(api.createReviewCampaign.mock.calls[0][0]).not.toHaveProperty(
      'groups',
    );
  });

  it('lists campaigns with progress, per-reviewer progress on demand and the evidence export', async () => {
    const api = platformApi({
      getReviewCampaign: async () =>
        campaign({
          reviewers: [
            {
              reviewer: 'user:default/maria_example.com',
              reviewerName: 'Maria Gonzalez',
              progress: progress({ total: 4, kept: 2, removing: 1 }),
            },
            { reviewer: 'platform', progress: progress({ total: 1 }) },
          ],
        }),
      exportReviewEvidence: async ({ format }) =>
        format === 'csv' ? '"campaignId"\r\n"rev-1"\r\n' : '{"rows":[]}',
    });
    renderWithApi(<AwsAccessReviewsContent />, {
      api,
      allowed: [MANAGE],
      userEntityRef: SARA,
    });
    const row = await screen.findByTestId('review-campaign-row');
    expect(within(row).getByTestId('campaign-progress')).toHaveTextContent(
      '3 of 5 decided (2 kept, 1 being removed, 0 removed)',
    );
    expect(
      within(row).getByRole('progressbar', {
        name: 'Q4 Backend-Team review: 3 of 5 decided',
      }),
    ).toHaveAttribute('aria-valuenow', '60');
    expect(api.getReviewCampaign).not.toHaveBeenCalled();

    await userEvent.click(
      within(row).getByRole('button', { name: 'Progress per reviewer' }),
    );
    const reviewers = await screen.findAllByTestId('campaign-reviewer');
    expect(api.getReviewCampaign).toHaveBeenCalledWith('rev-1');
    expect(reviewers.map(r => r.textContent)).toEqual([
      expect.stringMatching(/^Maria Gonzalez3 of 4 decided/),
      expect.stringMatching(/^the platform team0 of 1 decided/),
    ]);

    await userEvent.click(
      within(row).getByRole('button', {
        name: 'Export the evidence of Q4 Backend-Team review as CSV',
      }),
    );
    await waitFor(() =>
      expect(downloadText).toHaveBeenCalledWith(
        'aws-access-review-rev-1.csv',
        '"campaignId"\r\n"rev-1"\r\n',
        'text/csv;charset=utf-8',
      ),
    );
    await userEvent.click(
      within(row).getByRole('button', {
        name: 'Export the evidence of Q4 Backend-Team review as JSON',
      }),
    );
    await waitFor(() =>
      expect(downloadText).toHaveBeenLastCalledWith(
        'aws-access-review-rev-1.json',
        '{"rows":[]}',
        'application/json',
      ),
    );
  });
});

describe('OverdueReviewsCard', () => {
  it('lists the items nobody decided by the due date', async () => {
    const api = fakeAwsAccessApi({
      listOverdueReviewItems: async () => ({
        items: [
          overdueItem(),
          overdueItem({
            itemId: 'item-olu',
            member: {
              entityRef: 'user:default/olu_example.com',
              displayName: 'Olu Adeyemi',
            },
            reviewers: [],
            reviewerSource: 'platform',
          }),
        ],
      }),
    });
    renderWithApi(<OverdueReviewsCard />, { api });
    const rows = await screen.findAllByTestId('overdue-review-item');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent(
      /^Q3 review \(due 2026-10-01 \d\d:\d\d\)AWS-Developers-ReadOnlyTom Beckeruser:default\/maria_example.comTo decide$/,
    );
    expect(rows[1]).toHaveTextContent('the platform team');
  });

  it('hides for a board viewer who may not manage reviews, and without governance', async () => {
    const forbidden = fakeAwsAccessApi({
      listOverdueReviewItems: async () => {
        throw errors.forbidden();
      },
    });
    const first = renderWithApi(<OverdueReviewsCard />, { api: forbidden });
    await waitFor(() =>
      expect(forbidden.listOverdueReviewItems).toHaveBeenCalled(),
    );
    await waitFor(() =>
      expect(
        screen.queryByText('Overdue access review items'),
      ).not.toBeInTheDocument(),
    );
    first.unmount();

    const unconfigured = fakeAwsAccessApi();
    renderWithApi(<OverdueReviewsCard />, { api: unconfigured });
    await waitFor(() =>
      expect(unconfigured.listOverdueReviewItems).toHaveBeenCalled(),
    );
    await waitFor(() =>
      expect(
        screen.queryByText('Overdue access review items'),
      ).not.toBeInTheDocument(),
    );
  });
});
