import { mockApis, registerMswTestHooks } from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { AwsAccessClient } from './AwsAccessClient';
import { describeError } from '../lib/errors';
import {
  accessRequest,
  activeRequest,
  adminRequestable,
  lintReport,
} from '../__testUtils__/requests';

const BASE = 'http://backstage.test/api/aws-access';

/** The access request routes (governance.md §5). */
describe('AwsAccessClient: access requests', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const requests: Request[] = [];
  const client = new AwsAccessClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage.test' }),
    fetchApi: mockApis.fetch({
      injectIdentityAuth: { token: 'backstage-token' },
    }),
  });
  const calls = () =>
    requests.map(r => {
      const url = new URL(r.url);
      return `${r.method} ${url.pathname}${url.search}`;
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

  it('reads the requestables with the Backstage token', async () => {
    server.use(
      http.get(`${BASE}/requestables`, () =>
        HttpResponse.json({ items: [adminRequestable()] }),
      ),
    );
    await expect(client.getRequestables()).resolves.toEqual({
      items: [adminRequestable()],
    });
    expect(requests[0].headers.get('authorization')).toBe(
      'Bearer backstage-token',
    );
  });

  it('posts a new request as JSON and returns the created request', async () => {
    server.use(
      http.post(`${BASE}/requests`, () =>
        HttpResponse.json(accessRequest(), { status: 201 }),
      ),
    );
    const body = {
      group: 'group:default/aws-payments-prod-admin',
      duration: 'PT1H',
      justification: 'Fix the settlement job',
      ticket: 'INC-4711',
    };
    await expect(client.createRequest(body)).resolves.toEqual(accessRequest());
    expect(calls()).toEqual(['POST /api/aws-access/requests']);
    expect(requests[0].headers.get('content-type')).toBe('application/json');
    expect(await requests[0].json()).toEqual(body);
  });

  it('lists requests by role, with a state only when asked', async () => {
    server.use(
      http.get(`${BASE}/requests`, () =>
        HttpResponse.json({ items: [accessRequest()] }),
      ),
    );
    await expect(client.listRequests({ role: 'mine' })).resolves.toEqual({
      items: [accessRequest()],
    });
    await client.listRequests({ role: 'all', state: 'failed' });
    expect(calls()).toEqual([
      'GET /api/aws-access/requests?role=mine',
      'GET /api/aws-access/requests?role=all&state=failed',
    ]);
  });

  it('reads one request by its encoded id', async () => {
    server.use(
      http.get(`${BASE}/requests/:id`, () =>
        HttpResponse.json(activeRequest({ history: [] })),
      ),
    );
    await expect(client.getRequest('req/1')).resolves.toEqual(
      activeRequest({ history: [] }),
    );
    expect(calls()).toEqual(['GET /api/aws-access/requests/req%2F1']);
  });

  it('posts each transition to its route, with the note when there is one', async () => {
    server.use(
      http.post(`${BASE}/requests/:id/:action`, () =>
        HttpResponse.json(accessRequest()),
      ),
    );
    await client.actOnRequest({ id: 'req-1', action: 'approve', note: 'ok' });
    await client.actOnRequest({ id: 'req-1', action: 'deny', note: 'no' });
    await client.actOnRequest({ id: 'req-1', action: 'cancel' });
    await client.actOnRequest({ id: 'req-1', action: 'revoke' });
    await client.actOnRequest({ id: 'req-1', action: 'retry' });
    expect(calls()).toEqual([
      'POST /api/aws-access/requests/req-1/approve',
      'POST /api/aws-access/requests/req-1/deny',
      'POST /api/aws-access/requests/req-1/cancel',
      'POST /api/aws-access/requests/req-1/revoke',
      'POST /api/aws-access/requests/req-1/retry',
    ]);
    expect(await Promise.all(requests.map(r => r.json()))).toEqual([
      { note: 'ok' },
      { note: 'no' },
      {},
      {},
      {},
    ]);
  });

  it('returns the export as text in the asked format', async () => {
    server.use(
      http.get(
        `${BASE}/requests/export`,
        ({ request }) =>
          new HttpResponse(
            new URL(request.url).searchParams.get('format') === 'csv'
              ? '"id","state"\r\n"req-1","ended"\r\n'
              : '{"items":[]}',
          ),
      ),
    );
    await expect(
      client.exportRequests({
        from: '2026-11-01',
        to: '2026-12-01',
        format: 'csv',
      }),
    ).resolves.toBe('"id","state"\r\n"req-1","ended"\r\n');
    await expect(
      client.exportRequests({
        from: '2026-11-01',
        to: '2026-12-01',
        format: 'json',
      }),
    ).resolves.toBe('{"items":[]}');
    expect(calls()).toEqual([
      'GET /api/aws-access/requests/export?from=2026-11-01&to=2026-12-01&format=csv',
      'GET /api/aws-access/requests/export?from=2026-11-01&to=2026-12-01&format=json',
    ]);
    expect(requests[0].headers.get('accept')).toBe('text/csv');
  });

  it('reads the policy lint', async () => {
    server.use(
      http.get(`${BASE}/governance/lint`, () =>
        HttpResponse.json(lintReport()),
      ),
    );
    await expect(client.getGovernanceLint()).resolves.toEqual(lintReport());
  });

  it("surfaces a 400's message and the field it names", async () => {
    server.use(
      http.post(`${BASE}/requests`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'InputError',
              message: 'ticket "4711" does not match ^(INC|CHG)-\\d+$',
              field: 'ticket',
            },
            response: { statusCode: 400 },
          },
          { status: 400 },
        ),
      ),
    );
    const error = await client
      .createRequest({ group: 'group:default/aws-payments-prod-admin' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(describeError(error)).toMatchObject({
      kind: 'invalid',
      field: 'ticket',
      message: 'ticket "4711" does not match ^(INC|CHG)-\\d+$',
    });
  });

  it('rejects with 404 when access requests are not configured', async () => {
    server.use(
      http.get(`${BASE}/requestables`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotFoundError',
              message: 'Access requests are not configured',
            },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );
    const error = await client.getRequestables().catch(e => e);
    expect(describeError(error).kind).toBe('not-found');
  });
});
