import type { Entity } from '@backstage/catalog-model';
import { screen, waitFor } from '@testing-library/react';
import {
  EntityAwsPermissionSetCard,
  permissionSetNameOf,
} from './EntityAwsPermissionSetCard';
import {
  errors,
  fakeAwsAccessApi,
  renderWithApi,
} from '../../__testUtils__/render';
import { permissionSetDetails } from '../../__testUtils__/fixtures';

const permissionSetEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'developeradmin',
    title: 'DeveloperAdmin',
    annotations: {
      'amazonaws.com/permission-set-arn':
        'arn:aws:sso:::permissionSet/ssoins-1/ps-3',
    },
  },
  spec: { type: 'aws-permission-set', owner: 'group:default/platform-team' },
};

describe('EntityAwsPermissionSetCard', () => {
  it('reads the permission set by its exact name (title), else the entity name', () => {
    expect(permissionSetNameOf(permissionSetEntity)).toBe('DeveloperAdmin');
    expect(
      permissionSetNameOf({
        ...permissionSetEntity,
        metadata: { name: 'readonly' },
      }),
    ).toBe('readonly');
  });

  it('shows the definition, policies, session and where it is assigned', async () => {
    const api = fakeAwsAccessApi({
      getPermissionSet: async () => permissionSetDetails(),
    });
    renderWithApi(<EntityAwsPermissionSetCard />, {
      api,
      entity: permissionSetEntity,
    });

    expect(await screen.findByTestId('permission-set-name')).toHaveTextContent(
      'DeveloperAdmin',
    );
    expect(api.getPermissionSet).toHaveBeenCalledWith('DeveloperAdmin');
    expect(
      screen.getByText('Full administrator access for developers'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('permission-set-session')).toHaveTextContent(
      'Session duration: 4 h (PT4H)',
    );
    expect(screen.getByTestId('managed-policies')).toHaveTextContent(
      'AdministratorAccess',
    );
    await waitFor(() =>
      expect(screen.getByTestId('inline-policy')).toHaveTextContent(
        '2012-10-17',
      ),
    );
    const assignments = screen.getAllByTestId('assignment-row');
    expect(assignments).toHaveLength(1);
    expect(assignments[0]).toHaveTextContent('payments-prod (200000000003)');
    expect(assignments[0]).toHaveTextContent('AWS-Developers-Admin');
    expect(screen.getByTestId('provisioning-failures')).toHaveTextContent(
      'sandbox (200000000009): AccessDenied',
    );
  });

  it('says when the permission set is not assigned anywhere', async () => {
    const api = fakeAwsAccessApi({
      getPermissionSet: async () =>
        permissionSetDetails({ assignments: [], provisioningFailures: [] }),
    });
    renderWithApi(<EntityAwsPermissionSetCard />, {
      api,
      entity: permissionSetEntity,
    });
    expect(await screen.findByTestId('not-assigned')).toHaveTextContent(
      'This permission set is not assigned anywhere.',
    );
    expect(screen.queryByTestId('provisioning-failures')).toBeNull();
  });

  it('shows a viewer their own rows and how many others are hidden, without claiming it is unassigned', async () => {
    const api = fakeAwsAccessApi({
      getPermissionSet: async () =>
        permissionSetDetails({
          assignments: [],
          principalsHidden: { assignments: 3, principals: 2 },
        }),
    });
    renderWithApi(<EntityAwsPermissionSetCard />, {
      api,
      entity: permissionSetEntity,
    });
    expect(await screen.findByTestId('principals-hidden')).toHaveTextContent(
      '3 more assignments, 2 principals (hidden). You see the rows on accounts you own and your own',
    );
    expect(screen.getByTestId('not-assigned')).toHaveTextContent(
      'it is not assigned to you or on an account you own',
    );
  });

  it('explains a permission denial', async () => {
    const api = fakeAwsAccessApi({
      getPermissionSet: async () => {
        throw errors.forbidden();
      },
    });
    renderWithApi(<EntityAwsPermissionSetCard />, {
      api,
      entity: permissionSetEntity,
    });
    expect((await screen.findByTestId('access-error')).dataset.kind).toBe(
      'forbidden',
    );
  });

  it('explains that nothing is synced yet', async () => {
    const api = fakeAwsAccessApi({
      getPermissionSet: async () => {
        throw errors.notSynced();
      },
    });
    renderWithApi(<EntityAwsPermissionSetCard />, {
      api,
      entity: permissionSetEntity,
    });
    expect(await screen.findByTestId('access-error')).toHaveTextContent(
      'AWS access has not been synced yet. The first sync runs a minute after the backend starts.',
    );
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });
});
