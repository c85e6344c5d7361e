import type { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { MockWithApiFactory } from '@backstage/frontend-test-utils';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import type { PermissionApi } from '@backstage/plugin-permission-react';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { RenderResult } from '@testing-library/react';
import { act, waitFor } from '@testing-library/react';
import { SWRConfig } from 'swr';
import type { AwsAccessApi } from '../api';
import { awsAccessApiRef } from '../api';

/** What the backend answers on the access request routes when `awsAccess.governance` is not configured. */
export const governanceNotConfigured = () =>
  Object.assign(new NotFoundError('Access requests are not configured'), {
    statusCode: 404,
  });

/**
 * Every API method rejects unless the test provides it, so a test notices calls it did not expect. The reads
 * the pages make of access requests answer as a backend without governance does (404 "not configured"), so the
 * pages' other tests need not mention requests.
 */
export function fakeAwsAccessApi(
  overrides: Partial<AwsAccessApi> = {},
): jest.Mocked<AwsAccessApi> {
  const unexpected = (name: string) =>
    jest.fn(async () => Promise.reject(new Error(`unexpected call: ${name}`)));
  const notConfigured = () =>
    jest.fn(async () => Promise.reject(governanceNotConfigured()));
  const byDefault: Partial<Record<keyof AwsAccessApi, () => jest.Mock>> = {
    getRequestables: notConfigured,
    listRequests: notConfigured,
    getGovernanceLint: notConfigured,
    listReviewCampaigns: notConfigured,
    listOverdueReviewItems: notConfigured,
  };
  const methods: Array<keyof AwsAccessApi> = [
    'getMyAccess',
    'getUserAccess',
    'getMyAwsCliConfig',
    'getUserAwsCliConfig',
    'getGroupAccess',
    'exportGroupAccessCsv',
    'getAccounts',
    'getAccountAccess',
    'getPermissionSets',
    'getPermissionSet',
    'getSyncStatus',
    'triggerSync',
    'approveHeldSnapshot',
    'getDrift',
    'diagnose',
    'getReport',
    'getReportCsv',
    'provision',
    'getMyTimeline',
    'getUserTimeline',
    'getOnboarding',
    'getAccountCompliance',
    'planAccountBaseline',
    'applyAccountBaseline',
    'getRequestables',
    'createRequest',
    'listRequests',
    'getRequest',
    'actOnRequest',
    'exportRequests',
    'getGovernanceLint',
    'listReviewCampaigns',
    'createReviewCampaign',
    'getReviewCampaign',
    'listReviewItems',
    'decideReviewItem',
    'keepReviewGroup',
    'delegateReviewItem',
    'listOverdueReviewItems',
    'exportReviewEvidence',
  ];
  const api = Object.fromEntries(
    methods.map(method => [
      method,
      overrides[method]
        ? jest.fn(overrides[method] as any)
        : byDefault[method]?.() ?? unexpected(method),
    ]),
  );
  return api as unknown as jest.Mocked<AwsAccessApi>;
}

/** Permission names that are allowed; everything else is denied. `authorize` records the checks. */
export function permissions(...allowed: string[]): {
  api: MockWithApiFactory<PermissionApi>;
  authorize: jest.Mock;
} {
  const authorize = jest.fn((request: { permission: { name: string } }) =>
    allowed.includes(request.permission.name)
      ? AuthorizeResult.ALLOW
      : AuthorizeResult.DENY,
  );
  return { api: mockApis.permission({ authorize }), authorize };
}

/**
 * A fresh permission cache per render: `usePermission` caches answers in SWR's global cache and dedupes for two
 * seconds, which would leak one test's permissions into the next.
 */
export function FreshPermissionCache(props: { children: JSX.Element }) {
  return (
    <SWRConfig value={{ provider: () => new Map() }}>
      {props.children}
    </SWRConfig>
  );
}

export function renderWithApi(
  element: JSX.Element,
  options: {
    api: AwsAccessApi;
    allowed?: string[];
    userEntityRef?: string;
    entity?: Entity;
    /** The page's URL, e.g. `/?campaign=rev-2` for a deep link. */
    route?: string;
  },
): RenderResult & { authorize: jest.Mock } {
  const content = options.entity ? (
    <EntityProvider entity={options.entity}>{element}</EntityProvider>
  ) : (
    element
  );
  const permission = permissions(...(options.allowed ?? []));
  const result = renderInTestApp(
    <FreshPermissionCache>{content}</FreshPermissionCache>,
    {
      apis: [
        [awsAccessApiRef, options.api],
        permission.api,
        mockApis.identity({
          userEntityRef:
            options.userEntityRef ?? 'user:default/aamir_example.com',
        }),
      ],
      ...(options.route && { initialRouteEntries: [options.route] }),
    },
  );
  return Object.assign(result, { authorize: permission.authorize });
}

/** Waits until every permission check made so far has been answered and rendered. */
export async function permissionsSettled(authorize: jest.Mock) {
  await waitFor(() => expect(authorize).toHaveBeenCalled());
  await act(async () => {
    await new Promise(resolve => setTimeout(resolve, 0));
  });
}

/** The errors the backend answers with, as `ResponseError` would carry them (name and status code). */
export const errors = {
  notSynced: () =>
    Object.assign(
      new ServiceUnavailableError('No access snapshot has been synced yet'),
      { statusCode: 503 },
    ),
  notMatched: () =>
    Object.assign(
      new NotFoundError(
        'Your Backstage user has no graph.microsoft.com/user-id or microsoft.com/email annotation that matches an Entra user',
      ),
      { statusCode: 404 },
    ),
  forbidden: (message = 'Not allowed') =>
    Object.assign(new NotAllowedError(message), { statusCode: 403 }),
  conflict: (message: string) =>
    Object.assign(new ConflictError(message), { statusCode: 409 }),
  invalid: (message: string) =>
    Object.assign(new InputError(message), { statusCode: 400 }),
  broken: () => new Error('Something broke in the backend'),
};
