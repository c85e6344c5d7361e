import type { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  MockPermissionApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import {
  AwsAccessPage,
  AwsAccessRequestsPage,
  AwsAccessReviewsPage,
  AwsPlatformPage,
  EntityAwsAccessCard,
  EntityAwsAccountAccessCard,
  EntityAwsPermissionSetCard,
  EntityAwsTeamAccessCard,
  awsAccessApiRef,
  awsAccessPlugin,
  isAwsAccount,
  isAwsPermissionSet,
} from './index';
import { FreshPermissionCache, fakeAwsAccessApi } from './__testUtils__/render';
import {
  activeGrant,
  driftReport,
  groupAccess,
  syncStatus,
  timeline,
  userAccess,
} from './__testUtils__/fixtures';
import { accessRequest, adminRequestable } from './__testUtils__/requests';
import {
  campaign,
  groupItems,
  itemPage,
  priyaItem,
} from './__testUtils__/reviews';

/*
 * Legacy frontend system smoke tests: the provided extensions render in a legacy test app with the shared ApiRef.
 */

const api = fakeAwsAccessApi({
  getMyAccess: async () => userAccess({ grants: [activeGrant] }),
  getMyTimeline: async () => timeline,
  getUserAccess: async () => userAccess({ grants: [activeGrant] }),
  getUserTimeline: async () => timeline,
  getGroupAccess: async () => groupAccess(),
  getSyncStatus: async () => syncStatus(),
  getDrift: async () => driftReport(),
});

function renderLegacy(element: JSX.Element, routeEntries?: string[]) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [awsAccessApiRef, api],
        [permissionApiRef, new MockPermissionApi(() => AuthorizeResult.ALLOW)],
      ]}
    >
      <FreshPermissionCache>{element}</FreshPermissionCache>
    </TestApiProvider>,
    { routeEntries },
  );
}

const resource = (type: string, kind = 'Resource'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'x' },
  spec: { type },
});

describe('legacy plugin', () => {
  it('has the plugin id and its routes', () => {
    expect(awsAccessPlugin.getId()).toBe('aws-access');
    expect(Object.keys(awsAccessPlugin.routes)).toEqual([
      'root',
      'platform',
      'requests',
      'reviews',
    ]);
  });

  it('renders the access reviews page with the reviewer items', async () => {
    const reviews = fakeAwsAccessApi({
      listReviewCampaigns: async () => ({ items: [campaign()] }),
      listReviewItems: async () => itemPage([groupItems([priyaItem()])]),
    });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [awsAccessApiRef, reviews],
          [permissionApiRef, new MockPermissionApi(() => AuthorizeResult.DENY)],
        ]}
      >
        <FreshPermissionCache>
          <Routes>
            <Route
              path="/aws-access/reviews"
              element={<AwsAccessReviewsPage />}
            />
          </Routes>
        </FreshPermissionCache>
      </TestApiProvider>,
      { routeEntries: ['/aws-access/reviews'] },
    );
    expect(await screen.findByTestId('review-item')).toHaveAttribute(
      'data-item-id',
      'item-priya',
    );
    expect(screen.getByText('AWS access reviews')).toBeInTheDocument();
  });

  it('renders the access requests page with the deep-linked request open', async () => {
    const request = accessRequest();
    const governed = fakeAwsAccessApi({
      getRequestables: async () => ({ items: [adminRequestable()] }),
      listRequests: async ({ role }) => ({
        items: role === 'mine' ? [request] : [],
      }),
      getRequest: async () => ({ ...request, history: [] }),
    });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [awsAccessApiRef, governed],
          [
            permissionApiRef,
            new MockPermissionApi(() => AuthorizeResult.ALLOW),
          ],
        ]}
      >
        <FreshPermissionCache>
          <Routes>
            <Route
              path="/aws-access/requests"
              element={<AwsAccessRequestsPage />}
            />
          </Routes>
        </FreshPermissionCache>
      </TestApiProvider>,
      { routeEntries: ['/aws-access/requests?request=req-1'] },
    );
    expect(await screen.findByTestId('request-details')).toHaveAttribute(
      'data-request-id',
      'req-1',
    );
    expect(await screen.findByTestId('no-approvals')).toBeInTheDocument();
  });

  it('renders the My AWS access page with a launch link', async () => {
    await renderLegacy(
      <Routes>
        <Route path="/aws-access" element={<AwsAccessPage />} />
      </Routes>,
      ['/aws-access'],
    );
    expect(
      await screen.findByRole('link', {
        name: /Open payments-prod as DeveloperReadOnly/,
      }),
    ).toHaveAttribute('href', activeGrant.launchUrl);
  });

  it('renders the platform board', async () => {
    await renderLegacy(
      <Routes>
        <Route path="/aws-access/platform" element={<AwsPlatformPage />} />
      </Routes>,
      ['/aws-access/platform'],
    );
    expect(await screen.findByTestId('revoking-list')).toBeInTheDocument();
  });

  it('renders the user and team cards inside an entity page', async () => {
    await renderLegacy(
      <EntityProvider
        entity={{
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'User',
          metadata: { name: 'aamir_example.com' },
        }}
      >
        <EntityAwsAccessCard />
      </EntityProvider>,
    );
    expect(
      await screen.findByTestId('aws-access-user-card'),
    ).toBeInTheDocument();
    expect(await screen.findByText('payments-prod')).toBeInTheDocument();

    await renderLegacy(
      <EntityProvider
        entity={{
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'team-payments' },
        }}
      >
        <EntityAwsTeamAccessCard />
      </EntityProvider>,
    );
    expect(await screen.findByTestId('access-matrix')).toBeInTheDocument();
  });

  it('exports the resource cards', () => {
    expect(EntityAwsAccountAccessCard).toBeDefined();
    expect(EntityAwsPermissionSetCard).toBeDefined();
  });

  it.each([
    [resource('cloud-account'), true, false],
    [resource('Cloud-Account', 'resource'), true, false],
    [resource('aws-permission-set'), false, true],
    [resource('database'), false, false],
    [resource('cloud-account', 'Component'), false, false],
    [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: { name: 'x' },
      },
      false,
      false,
    ],
  ])(
    'classifies %j for legacy EntityPage switches',
    (entity, account, permissionSet) => {
      expect(isAwsAccount(entity as Entity)).toBe(account);
      expect(isAwsPermissionSet(entity as Entity)).toBe(permissionSet);
    },
  );
});
