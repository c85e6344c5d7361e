import type { Entity } from '@backstage/catalog-model';
import { screen, within } from '@testing-library/react';
import { EntityAwsAccountAccessCard } from './EntityAwsAccountAccessCard';
import {
  errors,
  fakeAwsAccessApi,
  renderWithApi,
} from '../../__testUtils__/render';
import { accountAccess, hostileName } from '../../__testUtils__/fixtures';

const accountEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'payments-prod',
    annotations: { 'amazonaws.com/account-id': '200000000003' },
  },
  spec: { type: 'cloud-account', owner: 'group:default/platform-team' },
};

describe('EntityAwsAccountAccessCard', () => {
  it('lists who can reach the account and how', async () => {
    const api = fakeAwsAccessApi({
      getAccountAccess: async () => accountAccess(),
    });
    renderWithApi(<EntityAwsAccountAccessCard />, {
      api,
      entity: accountEntity,
    });

    expect(await screen.findByTestId('account-summary')).toHaveTextContent(
      'payments-prod · Account id: 200000000003 · OU: Workloads/Prod · Status: ACTIVE',
    );
    expect(api.getAccountAccess).toHaveBeenCalledWith('200000000003');

    const assignments = screen.getAllByTestId('assignment-row');
    expect(assignments).toHaveLength(2);
    expect(assignments[0]).toHaveTextContent('AWS-Developers-ReadOnly');
    expect(assignments[0]).toHaveTextContent('DeveloperReadOnly');
    expect(assignments[1]).toHaveTextContent('breakglass');
    expect(assignments[1]).toHaveTextContent('Unmanaged (no Entra source)');

    const people = screen.getAllByTestId('person-row');
    expect(people.map(row => row.dataset.member)).toEqual([
      'user:default/aamir_example.com',
      'user:default/alex_example.com',
    ]);
    expect(within(people[0]).getByTestId('grant-state-chip')).toHaveTextContent(
      'Active',
    );
    expect(people[0]).toHaveTextContent('via AWS-Developers-ReadOnly (active)');
    expect(within(people[1]).getByTestId('grant-state-chip')).toHaveTextContent(
      'Being removed',
    );
  });

  it('says when nothing is assigned and nobody can reach it', async () => {
    const api = fakeAwsAccessApi({
      getAccountAccess: async () =>
        accountAccess({ assignments: [], people: [] }),
    });
    renderWithApi(<EntityAwsAccountAccessCard />, {
      api,
      entity: accountEntity,
    });
    expect(await screen.findByTestId('no-assignments')).toHaveTextContent(
      'Nothing is assigned on this account: nobody can sign in to it through Identity Center.',
    );
    expect(screen.getByTestId('no-people')).toBeInTheDocument();
  });

  it('shows a viewer who does not own the account their own rows and how many are hidden', async () => {
    const base = accountAccess();
    const api = fakeAwsAccessApi({
      getAccountAccess: async () =>
        accountAccess({
          assignments: [base.assignments[0]],
          people: [base.people[0]],
          principalsHidden: { assignments: 4, principals: 3, people: 1 },
        }),
    });
    renderWithApi(<EntityAwsAccountAccessCard />, {
      api,
      entity: accountEntity,
    });
    expect(await screen.findAllByTestId('assignment-row')).toHaveLength(1);
    expect(screen.getAllByTestId('person-row')).toHaveLength(1);
    expect(screen.getByTestId('principals-hidden')).toHaveTextContent(
      "4 more assignments, 3 principals; 1 more person with access (hidden). You see your own rows: only the account's owners and readers of all AWS access see who holds what.",
    );
  });

  it('does not claim an account with only hidden assignments has none', async () => {
    const api = fakeAwsAccessApi({
      getAccountAccess: async () =>
        accountAccess({
          assignments: [],
          people: [],
          principalsHidden: { assignments: 1, principals: 1, people: 0 },
        }),
    });
    renderWithApi(<EntityAwsAccountAccessCard />, {
      api,
      entity: accountEntity,
    });
    expect(await screen.findByTestId('principals-hidden')).toHaveTextContent(
      '1 more assignment, 1 principal (hidden).',
    );
    expect(screen.queryByTestId('no-assignments')).toBeNull();
  });

  it('asks for the account id annotation when it is missing', async () => {
    const api = fakeAwsAccessApi();
    renderWithApi(<EntityAwsAccountAccessCard />, {
      api,
      entity: { ...accountEntity, metadata: { name: 'payments-prod' } },
    });
    expect(
      (await screen.findAllByText(/amazonaws.com\/account-id/)).length,
    ).toBeGreaterThan(0);
    expect(api.getAccountAccess).not.toHaveBeenCalled();
  });

  it('explains a permission denial', async () => {
    const api = fakeAwsAccessApi({
      getAccountAccess: async () => {
        throw errors.forbidden();
      },
    });
    renderWithApi(<EntityAwsAccountAccessCard />, {
      api,
      entity: accountEntity,
    });
    expect((await screen.findByTestId('access-error')).dataset.kind).toBe(
      'forbidden',
    );
  });

  it('shows an unknown account and other errors', async () => {
    const api = fakeAwsAccessApi({
      getAccountAccess: async () => {
        throw Object.assign(
          new Error('No account 200000000003 in the snapshot'),
          { name: 'NotFoundError' },
        );
      },
    });
    renderWithApi(<EntityAwsAccountAccessCard />, {
      api,
      entity: accountEntity,
    });
    const panel = await screen.findByTestId('access-error');
    expect(panel.dataset.kind).toBe('not-found');
    expect(panel).toHaveTextContent('No account 200000000003 in the snapshot');
  });

  it('renders hostile principal names as text', async () => {
    const base = accountAccess();
    const api = fakeAwsAccessApi({
      getAccountAccess: async () =>
        accountAccess({
          assignments: [
            {
              ...base.assignments[0],
              principal: {
                ...base.assignments[0].principal,
                name: hostileName,
              },
            },
          ],
        }),
    });
    renderWithApi(<EntityAwsAccountAccessCard />, {
      api,
      entity: accountEntity,
    });
    expect(await screen.findByText(hostileName)).toBeInTheDocument();
    expect(document.querySelector('img[src="x"]')).toBeNull();
  });
});
