import type { UserEntity } from '@backstage/catalog-model';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EntityAwsAccessCard } from './EntityAwsAccessCard';
import {
  errors,
  fakeAwsAccessApi,
  renderWithApi,
} from '../../__testUtils__/render';
import {
  activeGrant,
  alex,
  nestedGrant,
  pendingGrant,
  revokingGrant,
  timeline,
  userAccess,
} from '../../__testUtils__/fixtures';

const aamirEntity: UserEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'aamir_example.com' },
  spec: { memberOf: [] },
};
const alexEntity: UserEntity = {
  ...aamirEntity,
  metadata: { name: 'alex_example.com', title: 'Alex Morgan' },
};

describe('EntityAwsAccessCard', () => {
  it("shows the user's grants, written to the person on their own page", async () => {
    const api = fakeAwsAccessApi({
      getUserAccess: async () =>
        userAccess({ grants: [activeGrant, pendingGrant, revokingGrant] }),
      getUserTimeline: async () => timeline,
    });
    renderWithApi(<EntityAwsAccessCard />, {
      api,
      entity: aamirEntity,
      userEntityRef: 'user:default/aamir_example.com',
    });

    expect(await screen.findByText('payments-prod')).toBeInTheDocument();
    expect(api.getUserAccess).toHaveBeenCalledWith(
      'user:default/aamir_example.com',
    );
    const launch = screen.getByRole('link', {
      name: 'Open payments-prod as DeveloperReadOnly in the AWS access portal',
    });
    expect(launch).toHaveAttribute('href', activeGrant.launchUrl);
    expect(launch).toHaveAttribute('target', '_blank');
    expect(
      screen.getAllByTestId('grant-sentence').map(s => s.textContent),
    ).toEqual([
      'You were added to AWS-Developers-PowerUser; AWS has not received it yet. Expected by ≈ 13:20.',
      'Entra removed this; AWS still allows it until the next provisioning cycle (≈ 13:20).',
    ]);
    expect(await screen.findAllByTestId('timeline-event')).toHaveLength(2);
    expect(api.getUserTimeline).toHaveBeenCalledWith(
      'user:default/aamir_example.com',
    );
  });

  it("talks about the person when someone else looks at a leaver's page", async () => {
    const api = fakeAwsAccessApi({
      getUserAccess: async () =>
        userAccess({ user: alex, grants: [revokingGrant] }),
      getUserTimeline: async () => ({ ...timeline, user: alex }),
    });
    renderWithApi(<EntityAwsAccessCard />, {
      api,
      entity: alexEntity,
      userEntityRef: 'user:default/aamir_example.com',
    });

    const row = await screen.findByTestId('grant-row');
    expect(within(row).getByTestId('grant-state-chip')).toHaveTextContent(
      'Being removed',
    );
    expect(screen.getByTestId('grant-sentence')).toHaveTextContent(
      'Removed in Entra; Alex Morgan can still use it in AWS until the next provisioning cycle (≈ 13:20).',
    );
  });

  it('names the person in the pending and nested sentences for others', async () => {
    const api = fakeAwsAccessApi({
      getUserAccess: async () =>
        userAccess({ user: alex, grants: [pendingGrant, nestedGrant] }),
      getUserTimeline: async () => ({ ...timeline, user: alex }),
    });
    renderWithApi(<EntityAwsAccessCard />, {
      api,
      entity: alexEntity,
      userEntityRef: 'user:default/aamir_example.com',
    });
    await screen.findAllByTestId('grant-row');
    expect(
      screen.getAllByTestId('grant-sentence').map(s => s.textContent),
    ).toEqual([
      "Alex Morgan's nested membership through Data-Team will never reach AWS: add them to AWS-Data-Analysts directly.",
      'Alex Morgan was added to AWS-Developers-PowerUser; AWS has not received it yet. Expected by ≈ 13:20.',
    ]);
  });

  it('shows a failed timeline below the access', async () => {
    const api = fakeAwsAccessApi({
      getUserAccess: async () => userAccess({ grants: [activeGrant] }),
      getUserTimeline: async () => {
        throw errors.notSynced();
      },
    });
    renderWithApi(<EntityAwsAccessCard />, { api, entity: aamirEntity });
    expect(await screen.findByText('payments-prod')).toBeInTheDocument();
    const panel = await screen.findByTestId('access-error');
    expect(panel.dataset.kind).toBe('not-synced');
    expect(screen.getByText('What happened')).toBeInTheDocument();
  });

  it('says when the user has no access', async () => {
    const api = fakeAwsAccessApi({
      getUserAccess: async () => userAccess({ user: alex, grants: [] }),
      getUserTimeline: async () => ({ ...timeline, events: [] }),
    });
    renderWithApi(<EntityAwsAccessCard />, { api, entity: alexEntity });
    expect(await screen.findByTestId('no-grants')).toHaveTextContent(
      'Alex Morgan has no AWS access.',
    );
  });

  it("explains that others' access needs a permission", async () => {
    const api = fakeAwsAccessApi({
      getUserAccess: async () => {
        throw errors.forbidden();
      },
    });
    renderWithApi(<EntityAwsAccessCard />, { api, entity: alexEntity });
    const panel = await screen.findByTestId('access-error');
    expect(panel.dataset.kind).toBe('forbidden');
    expect(panel).toHaveTextContent(
      "You can see your own access and your teams'. Ask the platform team for access to others'.",
    );
    expect(api.getUserTimeline).not.toHaveBeenCalled();
  });

  it('offers a retry while nothing is synced', async () => {
    const api = fakeAwsAccessApi({
      getUserAccess: async () => {
        throw errors.notSynced();
      },
    });
    renderWithApi(<EntityAwsAccessCard />, { api, entity: aamirEntity });
    expect(
      await screen.findByText('AWS access has not been synced yet'),
    ).toBeInTheDocument();
    api.getUserAccess.mockResolvedValueOnce(
      userAccess({ grants: [activeGrant] }),
    );
    api.getUserTimeline.mockResolvedValue(timeline);
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('payments-prod')).toBeInTheDocument();
  });

  it('shows other errors', async () => {
    const api = fakeAwsAccessApi({
      getUserAccess: async () => {
        throw errors.broken();
      },
    });
    renderWithApi(<EntityAwsAccessCard />, { api, entity: aamirEntity });
    expect(
      (await screen.findAllByText(/Something broke in the backend/)).length,
    ).toBeGreaterThan(0);
  });
});
