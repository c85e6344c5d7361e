import { mockApis, registerMswTestHooks } from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { AwsAccessClient } from './AwsAccessClient';
import {
  applyResult,
  checkoutDev,
  driftReport,
  groupAccess,
  onboardingOverview,
  onboardingPlan,
  provisionResult,
  syncStatus,
  timeline,
  userAccess,
} from '../__testUtils__/fixtures';

const BASE = 'http://backstage.test/api/aws-access';

describe('AwsAccessClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const requests: Request[] = [];
  const client = new AwsAccessClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage.test' }),
    fetchApi: mockApis.fetch({
      injectIdentityAuth: { token: 'backstage-token' },
    }),
  });

  beforeEach(() => {
    requests.length = 0;
    server.events.on('request:start', ({ request }) => {
      requests.push(request.clone());
    });
  });

  afterEach(() => {
    server.events.removeAllListeners();
  });

  it('reads /me with the Backstage token', async () => {
    server.use(http.get(`${BASE}/me`, () => HttpResponse.json(userAccess())));
    await expect(client.getMyAccess()).resolves.toEqual(userAccess());
    expect(requests[0].headers.get('authorization')).toBe(
      'Bearer backstage-token',
    );
  });

  it('encodes entity refs in the path', async () => {
    server.use(
      http.get(`${BASE}/users/:ref`, ({ params }) =>
        HttpResponse.json({
          ...userAccess(),
          user: { entityRef: params.ref, displayName: 'x' },
        }),
      ),
      http.get(`${BASE}/users/:ref/timeline`, () =>
        HttpResponse.json(timeline),
      ),
      http.get(`${BASE}/groups/:ref`, () => HttpResponse.json(groupAccess())),
    );
    const access = await client.getUserAccess('user:default/aamir_example.com');
    expect(access.user.entityRef).toBe('user:default/aamir_example.com');
    expect(new URL(requests[0].url).pathname).toBe(
      '/api/aws-access/users/user%3Adefault%2Faamir_example.com',
    );

    await client.getUserTimeline('user:default/a/b');
    expect(new URL(requests[1].url).pathname).toBe(
      '/api/aws-access/users/user%3Adefault%2Fa%2Fb/timeline',
    );

    await client.getGroupAccess('group:default/team-payments');
    expect(new URL(requests[2].url).pathname).toBe(
      '/api/aws-access/groups/group%3Adefault%2Fteam-payments',
    );
  });

  it('unwraps list envelopes', async () => {
    server.use(
      http.get(`${BASE}/accounts`, () =>
        HttpResponse.json({ accounts: [{ id: '1' }] }),
      ),
      http.get(`${BASE}/permission-sets`, () =>
        HttpResponse.json({ permissionSets: [{ name: 'A' }] }),
      ),
      http.get(`${BASE}/report`, () =>
        HttpResponse.json({ rows: [{ userEntityRef: 'u' }] }),
      ),
    );
    await expect(client.getAccounts()).resolves.toEqual([{ id: '1' }]);
    await expect(client.getPermissionSets()).resolves.toEqual([{ name: 'A' }]);
    await expect(
      client.getReport({ group: 'group:default/x' }),
    ).resolves.toEqual([{ userEntityRef: 'u' }]);
    expect(new URL(requests[2].url).search).toBe(
      '?format=json&group=group%3Adefault%2Fx',
    );
  });

  it('encodes account ids and permission set names', async () => {
    server.use(
      http.get(`${BASE}/accounts/:id`, () => HttpResponse.json({})),
      http.get(`${BASE}/permission-sets/:name`, () => HttpResponse.json({})),
    );
    await client.getAccountAccess('200000000003');
    await client.getPermissionSet('Dev+Ops@x');
    expect(new URL(requests[0].url).pathname).toBe(
      '/api/aws-access/accounts/200000000003',
    );
    expect(new URL(requests[1].url).pathname).toBe(
      '/api/aws-access/permission-sets/Dev%2BOps%40x',
    );
  });

  it('returns the CSV report as text', async () => {
    server.use(
      http.get(
        `${BASE}/report`,
        () =>
          new HttpResponse('"user"\r\n"Aamir"\r\n', {
            headers: { 'content-type': 'text/csv' },
          }),
      ),
    );
    await expect(
      client.getReportCsv({ group: 'group:default/team-payments' }),
    ).resolves.toBe('"user"\r\n"Aamir"\r\n');
    expect(new URL(requests[0].url).searchParams.get('format')).toBe('csv');
    expect(new URL(requests[0].url).searchParams.get('group')).toBe(
      'group:default/team-payments',
    );
  });

  it('builds the diagnose query', async () => {
    server.use(
      http.get(`${BASE}/diagnose`, () => HttpResponse.json({ findings: [] })),
    );
    await client.diagnose({
      user: 'user:default/aamir_example.com',
      account: '200000000003',
    });
    const url = new URL(requests[0].url);
    expect(url.searchParams.get('user')).toBe('user:default/aamir_example.com');
    expect(url.searchParams.get('account')).toBe('200000000003');
  });

  it('posts sync, approve and provision and unwraps the run', async () => {
    const run = syncStatus().recentRuns[0];
    server.use(
      http.post(`${BASE}/sync`, () =>
        HttpResponse.json(
          {
            accepted: true,
            message: 'A sync starts within seconds; follow it on /sync/status',
          },
          { status: 202 },
        ),
      ),
      http.post(`${BASE}/sync/held/approve`, () => HttpResponse.json({ run })),
      http.post(`${BASE}/provision`, () =>
        HttpResponse.json(provisionResult()),
      ),
      http.get(`${BASE}/drift`, () => HttpResponse.json(driftReport())),
      http.get(`${BASE}/sync/status`, () => HttpResponse.json(syncStatus())),
      http.get(`${BASE}/me/timeline`, () => HttpResponse.json(timeline)),
    );
    await expect(client.triggerSync()).resolves.toEqual({
      accepted: true,
      message: 'A sync starts within seconds; follow it on /sync/status',
    });
    await expect(client.approveHeldSnapshot()).resolves.toEqual(run);
    await expect(
      client.provision({ user: 'user:default/alex_example.com' }),
    ).resolves.toEqual(provisionResult());
    await expect(client.provision()).resolves.toEqual(provisionResult());
    await expect(client.getDrift()).resolves.toEqual(driftReport());
    await expect(client.getSyncStatus()).resolves.toEqual(syncStatus());
    await expect(client.getMyTimeline()).resolves.toEqual(timeline);

    expect(
      requests.map(r => `${r.method} ${new URL(r.url).pathname}`).slice(0, 4),
    ).toEqual([
      'POST /api/aws-access/sync',
      'POST /api/aws-access/sync/held/approve',
      'POST /api/aws-access/provision',
      'POST /api/aws-access/provision',
    ]);
    expect(await requests[2].json()).toEqual({
      user: 'user:default/alex_example.com',
    });
    expect(requests[2].headers.get('content-type')).toBe('application/json');
    expect(await requests[3].json()).toEqual({});
  });

  it('reads the onboarding overview and one account', async () => {
    server.use(
      http.get(`${BASE}/onboarding/accounts`, () =>
        HttpResponse.json(onboardingOverview()),
      ),
      http.get(`${BASE}/onboarding/accounts/:id`, () =>
        HttpResponse.json(checkoutDev),
      ),
    );
    await expect(client.getOnboarding()).resolves.toEqual(onboardingOverview());
    await expect(client.getAccountCompliance('300000000001')).resolves.toEqual(
      checkoutDev,
    );
    expect(requests.map(r => `${r.method} ${new URL(r.url).pathname}`)).toEqual(
      [
        'GET /api/aws-access/onboarding/accounts',
        'GET /api/aws-access/onboarding/accounts/300000000001',
      ],
    );
  });

  it('posts plans and applies with the reviewed plan id and explicit flags', async () => {
    server.use(
      http.post(`${BASE}/onboarding/accounts/:id/plan`, () =>
        HttpResponse.json(onboardingPlan()),
      ),
      http.post(`${BASE}/onboarding/accounts/:id/apply`, () =>
        HttpResponse.json(applyResult()),
      ),
    );
    await expect(
      client.planAccountBaseline({ accountId: '300000000001' }),
    ).resolves.toEqual(onboardingPlan());
    await client.planAccountBaseline({
      accountId: '300000000001',
      removeForbidden: true,
    });
    await expect(
      client.applyAccountBaseline({
        accountId: '300000000001',
        planId: 'plan-checkout-1',
      }),
    ).resolves.toEqual(applyResult());
    await client.applyAccountBaseline({
      accountId: '300000000001',
      planId: 'plan-checkout-2',
      removeForbidden: true,
      confirmRemoval: true,
    });

    expect(requests.map(r => `${r.method} ${new URL(r.url).pathname}`)).toEqual(
      [
        'POST /api/aws-access/onboarding/accounts/300000000001/plan',
        'POST /api/aws-access/onboarding/accounts/300000000001/plan',
        'POST /api/aws-access/onboarding/accounts/300000000001/apply',
        'POST /api/aws-access/onboarding/accounts/300000000001/apply',
      ],
    );
    expect(requests.map(r => r.headers.get('content-type'))).toEqual(
      Array(4).fill('application/json'),
    );
    expect(await Promise.all(requests.map(r => r.json()))).toEqual([
      { removeForbidden: false },
      { removeForbidden: true },
      {
        planId: 'plan-checkout-1',
        removeForbidden: false,
        confirmRemoval: false,
      },
      {
        planId: 'plan-checkout-2',
        removeForbidden: true,
        confirmRemoval: true,
      },
    ]);
  });

  it('encodes the account id of onboarding paths', async () => {
    server.use(
      http.get(`${BASE}/onboarding/accounts/:id`, () => HttpResponse.json({})),
    );
    await client.getAccountCompliance('12/../x');
    expect(new URL(requests[0].url).pathname).toBe(
      '/api/aws-access/onboarding/accounts/12%2F..%2Fx',
    );
  });

  it('rejects a changed plan with the 409 the backend sends', async () => {
    server.use(
      http.post(`${BASE}/onboarding/accounts/:id/apply`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'ConflictError',
              message: 'The plan changed since it was reviewed',
            },
            response: { statusCode: 409 },
          },
          { status: 409 },
        ),
      ),
    );
    const error = await client
      .applyAccountBaseline({ accountId: '300000000001', planId: 'old' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.body.error.name).toBe('ConflictError');
  });

  it.each([
    [403, 'NotAllowedError', 'You may not read this user', null],
    [
      404,
      'NotFoundError',
      'Your Backstage user has no graph.microsoft.com/user-id annotation',
      null,
    ],
    [
      503,
      'ServiceUnavailableError',
      'No access snapshot has been synced yet',
      '60',
    ],
    [500, 'Error', 'boom', null],
  ])(
    'throws a ResponseError on %d',
    async (status, name, message, retryAfter) => {
      server.use(
        http.get(`${BASE}/me`, () =>
          HttpResponse.json(
            { error: { name, message }, response: { statusCode: status } },
            {
              status,
              headers: retryAfter ? { 'retry-after': retryAfter } : {},
            },
          ),
        ),
      );
      const error = await client.getMyAccess().catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(status);
      expect(error.body.error).toEqual({ name, message });
      expect(error.response.headers.get('retry-after')).toBe(retryAfter);
    },
  );
});
