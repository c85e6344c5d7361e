import type { Entity } from '@backstage/catalog-model';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { screen, waitFor } from '@testing-library/react';
import { awsAccessAllReadPermission } from '@aws-access/plugin-aws-access-common';
import awsAccessPlugin from './alpha';
import { awsAccessApiRef } from './api';
import { fakeAwsAccessApi, permissions } from './__testUtils__/render';
import {
  accountAccess,
  driftReport,
  groupAccess,
  permissionSetDetails,
  syncStatus,
  timeline,
  userAccess,
} from './__testUtils__/fixtures';
import { accessRequest } from './__testUtils__/requests';
import {
  campaign,
  groupItems,
  itemPage,
  priyaItem,
} from './__testUtils__/reviews';

const CARDS = {
  'entity-card:aws-access/user-access': 'aws-access-user-card',
  'entity-card:aws-access/team-access': 'aws-access-team-card',
  'entity-card:aws-access/account-access': 'aws-access-account-card',
  'entity-card:aws-access/permission-set': 'aws-access-permission-set-card',
} as const;

const entities: Record<string, Entity> = {
  user: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'aamir_example.com' },
    spec: {},
  },
  group: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-payments' },
    spec: { type: 'team', children: [] },
  },
  account: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'payments-prod',
      annotations: { 'amazonaws.com/account-id': '200000000003' },
    },
    spec: { type: 'cloud-account', owner: 'group:default/platform-team' },
  },
  permissionSet: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'developeradmin', title: 'DeveloperAdmin' },
    spec: { type: 'aws-permission-set', owner: 'group:default/platform-team' },
  },
  database: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'payments-db' },
    spec: { type: 'database', owner: 'group:default/platform-team' },
  },
  component: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-api' },
    spec: {
      type: 'service',
      owner: 'group:default/team-payments',
      lifecycle: 'production',
    },
  },
};

function api() {
  return fakeAwsAccessApi({
    getUserAccess: async () => userAccess(),
    getUserTimeline: async () => timeline,
    getMyAccess: async () => userAccess(),
    getMyTimeline: async () => timeline,
    getGroupAccess: async () => groupAccess(),
    getAccountAccess: async () => accountAccess(),
    getPermissionSet: async () => permissionSetDetails(),
    getSyncStatus: async () => syncStatus(),
    getDrift: async () => driftReport(),
  });
}

function renderEntityPage(entity: Entity) {
  return renderTestApp({
    extensions: [
      createTestEntityPage({ entity }),
      ...Object.keys(CARDS).map(id =>
        awsAccessPlugin.getExtension(id as keyof typeof CARDS),
      ),
    ],
    apis: [
      [awsAccessApiRef, api()],
      permissions().api,
      mockApis.identity({ userEntityRef: 'user:default/aamir_example.com' }),
    ],
  });
}

describe('aws-access new frontend system plugin', () => {
  it.each([
    ['user', 'aws-access-user-card'],
    ['group', 'aws-access-team-card'],
    ['account', 'aws-access-account-card'],
    ['permissionSet', 'aws-access-permission-set-card'],
  ])('shows only the matching card on a %s page', async (kind, testId) => {
    renderEntityPage(entities[kind]);
    expect(await screen.findByTestId(testId)).toBeInTheDocument();
    for (const other of Object.values(CARDS).filter(id => id !== testId)) {
      expect(screen.queryByTestId(other)).toBeNull();
    }
  });

  it.each(['database', 'component'])(
    'shows no card on a %s page',
    async kind => {
      renderEntityPage(entities[kind]);
      expect(
        await screen.findByTestId('empty-entity-page'),
      ).toBeInTheDocument();
    },
  );

  it('mounts "My AWS access" at /aws-access', async () => {
    renderTestApp({
      extensions: [awsAccessPlugin.getExtension('page:aws-access')],
      apis: [[awsAccessApiRef, api()], permissions().api],
      initialRouteEntries: ['/aws-access'],
    });
    expect(
      (await screen.findAllByText('My AWS access')).length,
    ).toBeGreaterThan(0);
    expect(await screen.findByText('payments-prod')).toBeInTheDocument();
  });

  it('mounts the platform board at /aws-access/platform', async () => {
    renderTestApp({
      extensions: [awsAccessPlugin.getExtension('page:aws-access/platform')],
      apis: [
        [awsAccessApiRef, api()],
        permissions(awsAccessAllReadPermission.name).api,
      ],
      initialRouteEntries: ['/aws-access/platform'],
    });
    expect((await screen.findAllByText('AWS platform')).length).toBeGreaterThan(
      0,
    );
    await waitFor(() =>
      expect(screen.getByTestId('revoking-list')).toBeInTheDocument(),
    );
  });

  it('mounts the access reviews page at /aws-access/reviews', async () => {
    const reviews = fakeAwsAccessApi({
      listReviewCampaigns: async () => ({ items: [campaign()] }),
      listReviewItems: async () => itemPage([groupItems([priyaItem()])]),
    });
    renderTestApp({
      extensions: [awsAccessPlugin.getExtension('page:aws-access/reviews')],
      apis: [[awsAccessApiRef, reviews], permissions().api],
      initialRouteEntries: ['/aws-access/reviews'],
    });
    expect(await screen.findByTestId('review-item')).toHaveAttribute(
      'data-item-id',
      'item-priya',
    );
    expect(reviews.listReviewItems).toHaveBeenCalledTimes(1);
  });

  it('mounts the access requests page at /aws-access/requests and opens the linked request', async () => {
    const request = accessRequest({
      actions: { approve: true, deny: true } as never,
    });
    const governed = fakeAwsAccessApi({
      getRequestables: async () => ({ items: [] }),
      listRequests: async ({ role }) => ({
        items: role === 'approver' ? [request] : [],
      }),
      getRequest: async () => ({ ...request, history: [] }),
      getUserAccess: async () => userAccess(),
    });
    renderTestApp({
      extensions: [awsAccessPlugin.getExtension('page:aws-access/requests')],
      apis: [[awsAccessApiRef, governed], permissions().api],
      initialRouteEntries: ['/aws-access/requests?request=req-1'],
    });
    expect(
      (await screen.findAllByText('AWS access requests')).length,
    ).toBeGreaterThan(0);
    expect(await screen.findByTestId('request-details')).toHaveAttribute(
      'data-request-id',
      'req-1',
    );
    expect(await screen.findByTestId('requester-access')).toHaveTextContent(
      "Aamir Siddiqui's current AWS access",
    );
    expect(screen.getByTestId('no-requests')).toBeInTheDocument();
  });
});
