import { mockCredentials } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { SEED_SANDBOX_BASELINE } from '@aws-access/test-utils';
import { startEmulatorWorld } from '../__testUtils__/emulatorWorld';
import { startAccessBackend } from '../__testUtils__/testBackend';

/*
 * Issue 11, security (S1-S4): every route but health answers 401 without a token (the route list is read from
 * router.ts, so a new route is covered the day it is added); people get 403 for other people's data and for the
 * platform's routes; every write attempt and every cross-user read leaves an audit event, allowed or denied.
 */

jest.setTimeout(120_000);

const AAMIR = 'user:default/aamir_example.com';
const SHEN = 'user:default/shen.li_example.com';
const NOAH = 'user:default/noah_example.com';
const MARIA = 'user:default/maria_example.com';
const TOM = 'user:default/tom_example.com';
const SARA = 'user:default/sara_example.com';
const as = (ref: string) => mockCredentials.user.header(ref);
const enc = encodeURIComponent;

/** Every route of the API's route files, with its parameters filled in. */
function routesOfRouter(): Array<[string, string]> {
  // eslint-disable-next-line no-restricted-syntax -- tests run from source
  const api = path.resolve(__dirname, '../api');
  const source = fs
    .readdirSync(api)
    .filter(file => /^(router|\w+Routes)\.ts$/.test(file))
    .map(file => fs.readFileSync(path.join(api, file), 'utf8'))
    .join('\n');
  const samples: Record<string, string> = {
    ':entityRef': enc(SHEN),
    ':accountId': '200000000003',
    ':name': 'DeveloperReadOnly',
  };
  return [
    ...source.matchAll(/router\.(get|post|put|patch|delete)\('([^']+)'/g),
  ].map(([, method, route]) => [
    method,
    route.replace(/:\w+/g, param =>
      route.startsWith('/groups/')
        ? enc('group:default/backend-team')
        : samples[param] ?? 'x',
    ),
  ]);
}

describe('access control and audit of the aws-access API', () => {
  let world: Awaited<ReturnType<typeof startEmulatorWorld>>;
  let backend: Awaited<ReturnType<typeof startAccessBackend>>;
  const api = () => request(backend.server);

  beforeAll(async () => {
    world = await startEmulatorWorld();
    await world.emulators.control.updateSettings({ assignmentDelayMs: 20 });
    backend = await startAccessBackend(world.emulators, {
      configOverrides: {
        baseline: SEED_SANDBOX_BASELINE,
        write: { pollInterval: { milliseconds: 20 } },
      },
    });
    for (let i = 0; i < 100; i++) {
      const status = await api()
        .get('/api/aws-access/sync/status')
        .set('Authorization', as(SARA));
      if (status.body.snapshotVersion) break;
      await new Promise(r => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    await backend?.stop();
    await world?.emulators.close();
  });

  const routes = routesOfRouter();

  function send(method: string, route: string, caller: string, body?: object) {
    const test = (api() as any)
      [method](`/api/aws-access${route}`)
      .set('Authorization', as(caller));
    return body === undefined ? test : test.send(body);
  }

  it('reads every route of the router', () => {
    expect(routes.length).toBeGreaterThanOrEqual(22);
  });

  it.each(routes.filter(([, route]) => route !== '/health'))(
    '%s %s: 401 without a token, and with a bad user or service token',
    async (method, route) => {
      // (In a test backend a request without the header is the default mock user: `none` is the absent token.)
      for (const header of [
        mockCredentials.none.header(),
        mockCredentials.user.invalidHeader(),
        mockCredentials.service.invalidHeader(),
      ]) {
        const response = await (api() as any)
          [method](`/api/aws-access${route}`)
          .set('Authorization', header);
        expect({ header, status: response.status }).toEqual({
          header,
          status: 401,
        });
        // No data in the refusal.
        expect(Object.keys(response.body).sort()).toEqual([
          'error',
          'request',
          'response',
        ]);
        expect(JSON.stringify(response.body.error)).not.toMatch(
          /shen|aamir|200000000003|arn:aws/i,
        );
      }
    },
  );

  it.each([
    ['get', `/users/${enc(SHEN)}`, undefined],
    ['get', `/users/${enc(SHEN)}/timeline`, undefined],
    ['get', `/diagnose?user=${enc(SHEN)}&account=200000000003`, undefined],
    ['post', '/provision', { user: SHEN }],
    ['get', '/groups/group:default%2Fplatform-team', undefined],
    ['get', '/drift', undefined],
    ['get', '/onboarding/accounts', undefined],
    ['get', '/onboarding/accounts/200000000003', undefined],
    ['post', '/onboarding/accounts/200000000003/plan', {}],
    ['post', '/onboarding/accounts/200000000003/apply', { planId: 'x' }],
    ['post', '/sync', undefined],
    ['post', '/sync/held/approve', undefined],
    ['get', '/catalog/projection', undefined],
  ] as Array<[string, string, object | undefined]>)(
    '%s %s: 403 for an engineer asking for someone else or the platform',
    async (method, route, body) => {
      const response = await send(method, route, AAMIR, body);
      expect(response.status).toBe(403);
      expect(response.body.error.name).toBe('NotAllowedError');
    },
  );

  it('never lets the caller choose the subject of /me: such parameters are refused, a body is ignored', async () => {
    for (const parameter of ['user', 'entityRef', 'userEntityRef']) {
      const response = await api()
        .get(`/api/aws-access/me?${parameter}=${enc(SHEN)}`)
        .set('Authorization', as(AAMIR));
      // openapi.yaml declares no parameter of /me: the router refuses it by name, and answers for nobody.
      expect(response.status).toBe(400);
      expect(response.body.error.message).toBe(
        `Invalid query.${parameter}: is not a parameter of this route`,
      );
      expect(Object.keys(response.body).sort()).toEqual([
        'error',
        'request',
        'response',
      ]);
    }
    const body = await api()
      .get('/api/aws-access/me')
      .set('Authorization', as(AAMIR))
      .send({ user: SHEN });
    expect(body.body.user.entityRef).toBe(AAMIR);
  });

  /** [what, caller, method, route, body, status, audit event, outcome] */
  const audited: Array<
    [
      string,
      string,
      string,
      string,
      object | undefined,
      number,
      string,
      'success' | 'fail',
    ]
  > = [
    [
      'sync trigger',
      SARA,
      'post',
      '/sync',
      undefined,
      202,
      'sync-trigger',
      'success',
    ],
    [
      'sync trigger, denied',
      AAMIR,
      'post',
      '/sync',
      undefined,
      403,
      'sync-trigger',
      'fail',
    ],
    [
      'approval, nothing held',
      SARA,
      'post',
      '/sync/held/approve',
      undefined,
      404,
      'snapshot-approve',
      'fail',
    ],
    [
      'approval, denied',
      AAMIR,
      'post',
      '/sync/held/approve',
      undefined,
      403,
      'snapshot-approve',
      'fail',
    ],
    [
      'provisioning oneself',
      AAMIR,
      'post',
      '/provision',
      {},
      200,
      'provision-on-demand',
      'success',
    ],
    [
      'provisioning someone else, denied',
      AAMIR,
      'post',
      '/provision',
      { user: SHEN },
      403,
      'provision-on-demand',
      'fail',
    ],
    [
      'onboarding apply, denied',
      MARIA,
      'post',
      '/onboarding/accounts/200000000007/apply',
      { planId: 'x' },
      403,
      'account-onboarding-apply',
      'fail',
    ],
    [
      'onboarding apply of a stale plan',
      SARA,
      'post',
      '/onboarding/accounts/200000000007/apply',
      { planId: 'stale' },
      409,
      'account-onboarding-apply',
      'fail',
    ],
    [
      'reading someone',
      SARA,
      'get',
      `/users/${enc(SHEN)}`,
      undefined,
      200,
      'user-access-read',
      'success',
    ],
    [
      'reading someone, denied',
      AAMIR,
      'get',
      `/users/${enc(SHEN)}`,
      undefined,
      403,
      'user-access-read',
      'fail',
    ],
    [
      "reading someone's timeline",
      SARA,
      'get',
      `/users/${enc(SHEN)}/timeline`,
      undefined,
      200,
      'user-access-read',
      'success',
    ],
    [
      "reading someone's timeline, denied",
      TOM,
      'get',
      `/users/${enc(SHEN)}/timeline`,
      undefined,
      403,
      'user-access-read',
      'fail',
    ],
    [
      'diagnosing someone',
      SARA,
      'get',
      `/diagnose?user=${enc(NOAH)}&account=200000000006`,
      undefined,
      200,
      'user-access-diagnose',
      'success',
    ],
    [
      'diagnosing someone, denied',
      AAMIR,
      'get',
      `/diagnose?user=${enc(NOAH)}&account=200000000006`,
      undefined,
      403,
      'user-access-diagnose',
      'fail',
    ],
    [
      "reading one's group",
      MARIA,
      'get',
      '/groups/group:default%2Fbackend-team',
      undefined,
      200,
      'group-access-read',
      'success',
    ],
    [
      'reading another group, denied',
      TOM,
      'get',
      '/groups/group:default%2Fbackend-team',
      undefined,
      403,
      'group-access-read',
      'fail',
    ],
    [
      'a report of the team',
      MARIA,
      'get',
      '/report?format=csv',
      undefined,
      200,
      'access-report',
      'success',
    ],
  ];

  it.each(audited)(
    'audits %s',
    async (_what, caller, method, route, body, status, eventId, outcome) => {
      backend.auditEvents.length = 0;
      const response = await send(method, route, caller, body);
      expect(response.status).toBe(status);
      expect(backend.auditEvents).toContainEqual(
        expect.objectContaining({ eventId, outcome }),
      );
    },
  );

  it('audits an applied onboarding plan: the request and every assignment it creates', async () => {
    const plan = await api()
      .post('/api/aws-access/onboarding/accounts/200000000007/plan')
      .set('Authorization', as(SARA))
      .send({});
    expect(plan.status).toBe(200);
    expect(plan.body.create.length).toBeGreaterThan(0);
    backend.auditEvents.length = 0;
    const applied = await api()
      .post('/api/aws-access/onboarding/accounts/200000000007/apply')
      .set('Authorization', as(SARA))
      .send({ planId: plan.body.planId });
    expect(applied.status).toBe(200);
    expect(
      backend.auditEvents.filter(
        e => e.eventId === 'account-assignment-create',
      ),
    ).toHaveLength(plan.body.create.length);
    expect(backend.auditEvents).toContainEqual(
      expect.objectContaining({
        eventId: 'account-onboarding-apply',
        outcome: 'success',
      }),
    );
    for (const event of backend.auditEvents.filter(
      e => e.eventId === 'account-assignment-create',
    )) {
      expect(event.meta).toMatchObject({
        actor: SARA,
        accountId: '200000000007',
        permissionSetArn: expect.stringMatching(
          /^arn:aws:sso:::permissionSet\//,
        ),
      });
    }
  });

  it('does not audit reading oneself', async () => {
    backend.auditEvents.length = 0;
    expect(
      (
        await api()
          .get(`/api/aws-access/users/${enc(AAMIR)}`)
          .set('Authorization', as(AAMIR))
      ).status,
    ).toBe(200);
    expect(
      (await api().get('/api/aws-access/me').set('Authorization', as(AAMIR)))
        .status,
    ).toBe(200);
    expect(backend.auditEvents).toEqual([]);
  });
});
