import { createHash } from 'node:crypto';
import { mockCredentials } from '@backstage/backend-test-utils';
import type { UserAccess } from '@aws-access/plugin-aws-access-common';
import request from 'supertest';
import { startEmulatorWorld } from '../__testUtils__/emulatorWorld';
import { startAccessBackend } from '../__testUtils__/testBackend';
import { openApiProblems } from '../__testUtils__/openapi';
import spec from '../schema/openapi.json';
import { createRouter } from './router';

jest.setTimeout(60_000);

const AAMIR = 'user:default/aamir_example.com';
const SHEN = 'user:default/shen.li_example.com';
const ALEX = 'user:default/alex_example.com';
const NOAH = 'user:default/noah_example.com';
const MARIA = 'user:default/maria_example.com';
const TOM = 'user:default/tom_example.com';
const SARA = 'user:default/sara_example.com';
const as = (ref: string) => mockCredentials.user.header(ref);
const PORTAL = 'https://d-9067a1b2c3.awsapps.com/start/#/console';

describe('aws-access API on the seed organisation', () => {
  let world: Awaited<ReturnType<typeof startEmulatorWorld>>;
  let backend: Awaited<ReturnType<typeof startAccessBackend>>;
  let api: ReturnType<typeof request>;
  const responses: Array<{
    method: string;
    url: string;
    status: number;
    type?: string;
    body: unknown;
  }> = [];

  beforeAll(async () => {
    world = await startEmulatorWorld();
    backend = await startAccessBackend(world.emulators);
    // Every response of this suite is checked against openapi.yaml at the end.
    const raw = request(backend.server);
    api = new Proxy(raw, {
      get: (target, method: string) => (url: string) =>
        (target as any)[method](url).on('response', (res: any) =>
          responses.push({
            method: method.toUpperCase(),
            url,
            status: res.status,
            type: res.headers['content-type'],
            body: res.body,
          }),
        ),
    });
    // The startup run of the sync commits the first snapshot.
    for (let i = 0; i < 100; i++) {
      const status = await api
        .get('/api/aws-access/sync/status')
        .set('Authorization', as(AAMIR));
      if (status.body.snapshotVersion) break;
      await new Promise(r => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    await backend?.stop();
    await world?.emulators.close();
  });

  const routes: Array<[string, string]> = [
    ['get', '/me'],
    ['get', `/users/${encodeURIComponent(AAMIR)}`],
    ['get', '/groups/group:default%2Fbackend-team'],
    ['get', '/groups/group:default%2Fbackend-team/export'],
    ['get', '/accounts'],
    ['get', '/accounts/200000000003'],
    ['get', '/permission-sets'],
    ['get', '/permission-sets/DeveloperReadOnly'],
    ['get', '/sync/status'],
    ['post', '/sync'],
    ['post', '/sync/held/approve'],
    ['get', '/drift'],
    ['get', `/diagnose?user=${encodeURIComponent(NOAH)}&account=200000000006`],
    ['get', '/report?format=csv'],
    ['get', '/catalog/projection'],
    ['get', '/requestables'],
    ['get', '/requests'],
    ['post', '/requests'],
    ['get', '/requests/some-id'],
    ['post', '/requests/some-id/approve'],
    ['get', '/governance/lint'],
  ];

  it.each(routes)('%s %s needs a Backstage token', async (method, path) => {
    const response = await (api as any)
      [method](`/api/aws-access${path}`)
      .set('Authorization', mockCredentials.none.header());
    expect(response.status).toBe(401);
  });

  it.each([
    ['get', '/requestables'],
    ['get', '/requests'],
    ['get', '/governance/lint'],
    ['post', '/requests/some-id/approve'],
  ])(
    '%s %s answers 404 while governance is not configured',
    async (method, path) => {
      const response = await (api as any)
        [method](`/api/aws-access${path}`)
        .set('Authorization', as(AAMIR));
      expect(response.status).toBe(404);
      expect(response.body.error.message).toBe(
        'Access requests are off: governance is not configured (awsAccess.governance)',
      );
    },
  );

  it('serves health without a token', async () => {
    const response = await api.get('/api/aws-access/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('shows the joiner his pending ReadOnly access with the next cycle, and no launch link yet', async () => {
    const response = await api
      .get('/api/aws-access/me')
      .set('Authorization', as(AAMIR));
    expect(response.status).toBe(200);
    const body = response.body as UserAccess;
    expect(body.user).toMatchObject({
      entityRef: AAMIR,
      displayName: 'Aamir Siddiqui',
    });
    expect(
      body.grants
        .map(g => `${g.accountName}/${g.permissionSet.name}/${g.state}`)
        .sort(),
    ).toEqual([
      'payments-dev/DeveloperReadOnly/pending',
      'payments-prod/DeveloperReadOnly/pending',
      'payments-staging/DeveloperReadOnly/pending',
      'web-dev/DeveloperReadOnly/pending',
      'web-prod/DeveloperReadOnly/pending',
    ]);
    for (const grant of body.grants) {
      expect(grant.launchUrl).toBeUndefined();
      expect(Date.parse(grant.expectedBy!)).toBeGreaterThan(
        Date.now() - 60_000,
      );
      expect(grant.via).toEqual([
        expect.objectContaining({
          name: 'AWS-Developers-ReadOnly',
          state: 'pending',
          entityRef: 'group:default/aws-developers-readonly',
        }),
      ]);
    }
    expect(body.identityCenter).toBeNull();
    expect(body.entra).toMatchObject({ enabled: true });
    expect(body.myAppsUrl).toBe(
      'https://launcher.myapps.microsoft.com/api/signin/2f6e1b2a-7c3d-4e5f-8a9b-0000000000aa?tenantId=8b1c7f3e-5a2d-4c1e-9f00-00000000a001',
    );
  });

  it('shows the mover what stays, what comes and what goes, with launch links for what AWS allows', async () => {
    const body = (
      await api.get('/api/aws-access/me').set('Authorization', as(SHEN))
    ).body as UserAccess;
    const byKey = Object.fromEntries(
      body.grants.map(g => [`${g.accountName}/${g.permissionSet.name}`, g]),
    );
    expect(byKey['payments-prod/DeveloperReadOnly']).toMatchObject({
      state: 'active',
      launchUrl: `${PORTAL}?account_id=200000000003&role_name=DeveloperReadOnly`,
    });
    expect(byKey['payments-dev/DeveloperReadOnly']).toMatchObject({
      state: 'revoking',
      launchUrl: `${PORTAL}?account_id=200000000001&role_name=DeveloperReadOnly`,
    });
    expect(byKey['payments-dev/DeveloperPowerUser'].state).toBe('pending');
    // The ~/.aws/config is a download of its own, not part of every page.
    expect(body).not.toHaveProperty('awsCliConfig');
  });

  it('downloads the whole ~/.aws/config: a profile for each grant AWS lets the person use now', async () => {
    const response = await api
      .get('/api/aws-access/me/aws-cli-config')
      .set('Authorization', as(SHEN));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="aws-config"',
    );
    expect(response.text).toContain('[sso-session ');
    expect(response.text).toContain('sso_start_url = https://');
    // Shen's two usable grants (payments-prod stays, payments-dev is revoking but AWS still lets him in); the
    // pending PowerUser is not usable yet.
    expect(response.text.match(/\[profile /g)).toHaveLength(2);
    expect(response.text).toContain(
      '[profile payments-prod-developerreadonly]',
    );
    expect(response.text).not.toContain('developerpoweruser');
  });

  it("downloads another user's ~/.aws/config only for those who may read their access", async () => {
    const own = await api
      .get('/api/aws-access/me/aws-cli-config')
      .set('Authorization', as(SHEN));
    const path = `/api/aws-access/users/${encodeURIComponent(
      SHEN,
    )}/aws-cli-config`;
    const self = await api.get(path).set('Authorization', as(SHEN));
    expect(self.status).toBe(200);
    expect(self.text).toBe(own.text);

    const refused = await api.get(path).set('Authorization', as(AAMIR));
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { name: 'NotAllowedError' } });
    expect(refused.text).not.toContain('[profile');

    const platform = await api.get(path).set('Authorization', as(SARA));
    expect(platform.status).toBe(200);
    expect(platform.text).toBe(own.text);
    expect(
      backend.auditEvents.filter(
        e =>
          e.eventId === 'user-access-read' &&
          (e.meta as { subject?: string }).subject === SHEN,
      ),
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ outcome: 'fail' }),
        expect.objectContaining({ outcome: 'success' }),
      ]),
    );

    const anonymous = await api
      .get('/api/aws-access/me/aws-cli-config')
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
  });

  it('shows the leaver revoking everywhere, and noah the nested group that never provisions', async () => {
    const alex = (
      await api.get('/api/aws-access/me').set('Authorization', as(ALEX))
    ).body as UserAccess;
    expect(alex.grants.length).toBeGreaterThan(0);
    expect(new Set(alex.grants.map(g => g.state))).toEqual(
      new Set(['revoking']),
    );
    expect(alex.entra?.enabled).toBe(false);

    const noah = (
      await api.get('/api/aws-access/me').set('Authorization', as(NOAH))
    ).body as UserAccess;
    const dataLake = noah.grants.find(g => g.accountName === 'data-lake')!;
    expect(dataLake).toMatchObject({
      state: 'unsupported-nesting',
      permissionSet: { name: 'DataAnalyst' },
    });
    expect(dataLake.via[0]).toMatchObject({
      type: 'nested-group',
      name: 'Data-Team',
      through: { name: 'AWS-Data-Analysts' },
    });
    expect(dataLake.launchUrl).toBeUndefined();
  });

  it('lets people read their own access by ref, others only with permission, and audits cross-user reads', async () => {
    await api
      .get(`/api/aws-access/users/${encodeURIComponent(AAMIR)}`)
      .set('Authorization', as(AAMIR))
      .expect(200);
    const denied = await api
      .get(`/api/aws-access/users/${encodeURIComponent(SHEN)}`)
      .set('Authorization', as(AAMIR));
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({ name: 'NotAllowedError' });
    const allowed = await api
      .get(`/api/aws-access/users/${encodeURIComponent(SHEN)}`)
      .set('Authorization', as(SARA));
    expect(allowed.status).toBe(200);
    expect(backend.auditEvents).toContainEqual({
      eventId: 'user-access-read',
      meta: { subject: SHEN },
      outcome: 'success',
    });
  });

  it('lets members read their group, denies non-members, and the platform group reads all', async () => {
    const asMaria = await api
      .get('/api/aws-access/groups/group:default%2Fbackend-team')
      .set('Authorization', as(MARIA));
    expect(asMaria.status).toBe(200);
    expect(
      asMaria.body.members.map((m: any) => m.user.entityRef).sort(),
    ).toEqual(
      [AAMIR, ALEX, MARIA, 'user:default/priya_example.com', SHEN].sort(),
    );
    const asTom = await api
      .get('/api/aws-access/groups/group:default%2Fbackend-team')
      .set('Authorization', as(TOM));
    expect(asTom.status).toBe(403);
    const asSara = await api
      .get('/api/aws-access/groups/group:default%2Fbackend-team')
      .set('Authorization', as(SARA));
    expect(asSara.status).toBe(200);
    const readOnly = await api
      .get('/api/aws-access/groups/group:default%2Faws-developers-readonly')
      .set('Authorization', as(SARA));
    expect(
      readOnly.body.assignments.map((a: any) => a.accountName).sort(),
    ).toEqual([
      'payments-dev',
      'payments-prod',
      'payments-staging',
      'web-dev',
      'web-prod',
    ]);
  });

  it("answers a team's kept page with the ETag of its bytes: 304 while they are the same, never to a non-member", async () => {
    const route = '/api/aws-access/groups/group:default%2Fbackend-team';
    // Express's weak ETag of the body (W/"<length in hex>-<SHA-1 in base64, 27 characters>").
    const etagOf = (text: string) => {
      const bytes = Buffer.from(text);
      const hash = createHash('sha1').update(bytes).digest('base64');
      return `W/"${bytes.length.toString(16)}-${hash.substring(0, 27)}"`;
    };
    // Conditional requests (304) are express's, not the spec's: sent past the suite's spec check.
    const read = (ref: string, etag?: string) => {
      const call = request(backend.server)
        .get(route)
        .set('Authorization', as(ref));
      return etag ? call.set('If-None-Match', etag) : call;
    };

    const first = await read(MARIA);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe(
      'application/json; charset=utf-8',
    );
    expect(first.headers.etag).toBe(etagOf(first.text));
    // The page is kept: a non-member with its ETag is still refused, and gets nothing of it.
    const tom = await read(TOM, first.headers.etag);
    expect(tom.status).toBe(403);
    expect(tom.text).not.toContain('"members"');
    const again = await read(MARIA, first.headers.etag);
    // 304, unless the sync summary's age turned a second between the two (then a new body, with its ETag).
    expect(
      again.status === 304 ||
        again.body.sync.snapshotAge !== first.body.sync.snapshotAge,
    ).toBe(true);

    // A second later the summary's age differs: new bytes, their own ETag, and the old one no longer matches.
    await new Promise(r => setTimeout(r, 1100));
    const later = await read(MARIA, first.headers.etag);
    expect(later.status).toBe(200);
    expect(later.body.sync.snapshotAge).not.toBe(first.body.sync.snapshotAge);
    expect(later.headers.etag).toBe(etagOf(later.text));
    expect(later.headers.etag).not.toBe(first.headers.etag);
  });

  it("answers HEAD on a team's page as GET, without the body; a non-member still gets 403", async () => {
    const route = '/api/aws-access/groups/group:default%2Fbackend-team';
    // The page is sent gzipped to a client that accepts it: HEAD answers as GET does for the same client.
    const ask = async (encoding: string) => ({
      get: await api
        .get(route)
        .set('Authorization', as(MARIA))
        .set('Accept-Encoding', encoding),
      head: await api
        .head(route)
        .set('Authorization', as(MARIA))
        .set('Accept-Encoding', encoding),
    });
    for (const encoding of ['gzip, deflate', 'identity']) {
      // The page carries the snapshot's age in seconds: asked again when the second turned between the two.
      let { get, head } = await ask(encoding);
      if (head.headers.etag !== get.headers.etag)
        ({ get, head } = await ask(encoding));

      expect(get.status).toBe(200);
      expect(head.status).toBe(200);
      expect(head.headers['content-type']).toBe(get.headers['content-type']);
      expect(head.headers['content-encoding']).toBe(
        get.headers['content-encoding'],
      );
      expect(head.headers['content-length']).toBe(
        get.headers['content-length'],
      );
      expect(head.headers.etag).toBe(get.headers.etag);
      expect(head.text ?? '').toBe('');
    }
    const asTom = await api.head(route).set('Authorization', as(TOM));
    expect(asTom.status).toBe(403);
    expect(asTom.text ?? '').toBe('');
  });

  // One of each kind of body: a paged JSON page with parameters, a list, one item, text and CSV sent whole.
  const headRoutes: Array<[string, string]> = [
    ['/me?limit=5&sort=state', MARIA],
    ['/accounts', MARIA],
    ['/permission-sets/DeveloperReadOnly', MARIA],
    ['/me/aws-cli-config', SHEN],
    ['/report?format=csv', MARIA],
    ['/sync/status', AAMIR],
  ];

  it.each(headRoutes)(
    'answers HEAD %s as GET, without the body',
    async (path, who) => {
      const route = `/api/aws-access${path}`;
      const ask = async () => ({
        get: await api.get(route).set('Authorization', as(who)),
        head: await api.head(route).set('Authorization', as(who)),
      });
      // Some bodies carry the snapshot's age in seconds: asked again when the second turned between the two.
      let { get, head } = await ask();
      if (head.headers.etag !== get.headers.etag) ({ get, head } = await ask());

      expect(get.status).toBe(200);
      expect(head.status).toBe(200);
      expect(head.headers['content-type']).toBe(get.headers['content-type']);
      expect(head.headers['content-length']).toBe(
        get.headers['content-length'],
      );
      expect(head.headers.etag).toBe(get.headers.etag);
      expect(head.text ?? '').toBe('');
    },
  );

  it.each(headRoutes)('HEAD %s needs a Backstage token', async path => {
    const response = await api
      .head(`/api/aws-access${path}`)
      .set('Authorization', mockCredentials.none.header());
    expect(response.status).toBe(401);
    expect(response.text ?? '').toBe('');
  });

  it('answers HEAD /health without a token, and no HEAD on the streamed routes', async () => {
    expect((await api.head('/api/aws-access/health')).status).toBe(200);
    // A streamed body has no ETag and would be built whole to be thrown away: openapi.yaml declares no HEAD
    // there. Asked outside the documented-responses check, since the spec rightly does not document it.
    for (const path of [
      '/groups/group:default%2Fbackend-team/export',
      '/catalog/projection',
    ]) {
      const response = await request(backend.server)
        .head(`/api/aws-access${path}`)
        .set('Authorization', as(AAMIR));
      expect(response.status).toBe(404);
    }
  });

  it.each([
    [
      'a team page (kept bytes, its own ETag)',
      '/groups/group:default%2Fbackend-team',
    ],
    ["a JSON body (express's ETag)", '/accounts'],
  ])(
    'answers a GET whose If-None-Match is the ETag of %s with 304 and no body, as openapi.yaml says',
    async (_, path) => {
      const route = `/api/aws-access${path}`;
      const ask = async () => {
        const first = await api.get(route).set('Authorization', as(MARIA));
        const again = await api
          .get(route)
          .set('Authorization', as(MARIA))
          .set('If-None-Match', first.headers.etag);
        return { first, again };
      };
      // A team's page carries the snapshot's age in seconds: asked again when the second turned between the two.
      let { first, again } = await ask();
      if (again.status === 200) ({ first, again } = await ask());

      expect(first.status).toBe(200);
      expect(first.headers.etag).toMatch(/^W\/"/);
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      expect(
        openApiProblems('GET', path, 304, again.headers['content-type'], {}),
      ).toEqual([]);
    },
  );

  it('puts only visible rows into reports', async () => {
    const asMaria = (
      await api
        .get('/api/aws-access/report?format=json')
        .set('Authorization', as(MARIA))
    ).body.rows;
    const mariaUsers = new Set(asMaria.map((r: any) => r.userEntityRef));
    expect(mariaUsers.has(SHEN)).toBe(true);
    expect(mariaUsers.has(NOAH)).toBe(false);
    expect(mariaUsers.has(SARA)).toBe(false);

    // Tom is only in AWS-Developers-ReadOnly: he sees its members, nobody else.
    const asTom = (
      await api
        .get('/api/aws-access/report?format=json')
        .set('Authorization', as(TOM))
    ).body.rows;
    expect(new Set(asTom.map((r: any) => r.userEntityRef))).toEqual(
      new Set([TOM, AAMIR, NOAH, 'user:default/priya_example.com']),
    );

    const asSara = (
      await api
        .get('/api/aws-access/report?format=json')
        .set('Authorization', as(SARA))
    ).body.rows;
    expect(
      new Set(asSara.map((r: any) => r.userEntityRef)).size,
    ).toBeGreaterThan(7);

    const csv = await api
      .get('/api/aws-access/report?format=csv')
      .set('Authorization', as(MARIA));
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.split('\r\n')[0]).toBe(
      'user,user_ref,account,account_id,permission_set,session_duration,via,state',
    );
    expect(backend.auditEvents.some(e => e.eventId === 'access-report')).toBe(
      true,
    );
  });

  it('diagnoses noah on data-lake: nested group provisioning is the cause', async () => {
    const response = await api
      .get(
        `/api/aws-access/diagnose?user=${encodeURIComponent(
          NOAH,
        )}&account=200000000006`,
      )
      .set('Authorization', as(NOAH));
    expect(response.status).toBe(200);
    expect(response.body.hasAccess).toBe(false);
    const firstError = response.body.findings.find(
      (f: any) => f.severity === 'error',
    );
    expect(firstError).toMatchObject({ code: 'nested-group-membership' });
    expect(firstError.title).toContain('Data-Team');
    expect(firstError.fix).toContain('AWS-Data-Analysts');

    const other = await api
      .get(
        `/api/aws-access/diagnose?user=${encodeURIComponent(
          NOAH,
        )}&account=200000000006`,
      )
      .set('Authorization', as(AAMIR));
    expect(other.status).toBe(403);
  });

  it.each([
    [
      '/users/group:default%2Fx',
      /Invalid entityRef: must be a user entity ref/,
    ],
    ['/users/user:default%2F', /Invalid entityRef: is not an entity ref/],
    ['/accounts/12345', /Invalid accountId: must be a 12-digit AWS account id/],
    ['/permission-sets/bad%20name', /Invalid name/],
    ['/report?format=xml', /Invalid query.format/],
    ['/diagnose?user=user:default%2Fnoah_example.com', /Invalid query.account/],
  ])(
    'refuses bad input %s with 400 naming the parameter',
    async (path, message) => {
      const response = await api
        .get(`/api/aws-access${path}`)
        .set('Authorization', as(SARA));
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(message);
    },
  );

  it.each([
    ['/accounts/999999999999', /not in the organization/],
    ['/permission-sets/Nope', /does not exist/],
    [
      `/users/${encodeURIComponent('user:default/ghost_example.com')}`,
      /not in the catalog/,
    ],
    ['/groups/group:default%2Fghosts', /not an Entra group/],
  ])('answers 404 for unknown %s', async (path, message) => {
    const response = await api
      .get(`/api/aws-access${path}`)
      .set('Authorization', as(SARA));
    expect(response.status).toBe(404);
    expect(response.body.error.message).toMatch(message);
  });

  it('reports sync status with provisioning and the SAML certificate', async () => {
    const response = await api
      .get('/api/aws-access/sync/status')
      .set('Authorization', as(AAMIR));
    expect(response.body).toMatchObject({
      lastRun: { outcome: 'succeeded' },
      stale: false,
      provisioning: { status: 'Active', intervalSeconds: 2400 },
    });
    expect(Date.parse(response.body.samlCertificateExpires)).toBe(
      Date.parse('2027-06-01T00:00:00Z'),
    );
    expect(Date.parse(response.body.provisioning.nextCycleAt)).toBeGreaterThan(
      Date.now(),
    );
  });

  it('gates writes: sync triggers and approvals need permissions', async () => {
    expect(
      (await api.post('/api/aws-access/sync').set('Authorization', as(AAMIR)))
        .status,
    ).toBe(403);
    expect(
      (await api.post('/api/aws-access/sync').set('Authorization', as(SARA)))
        .status,
    ).toBe(202);
    expect(
      (
        await api
          .post('/api/aws-access/sync/held/approve')
          .set('Authorization', as(AAMIR))
      ).status,
    ).toBe(403);
    expect(
      (
        await api
          .post('/api/aws-access/sync/held/approve')
          .set('Authorization', as(SARA))
      ).status,
    ).toBe(404);
    expect(backend.auditEvents).toContainEqual(
      expect.objectContaining({ eventId: 'sync-trigger', outcome: 'success' }),
    );
  });

  it('serves the catalog projection to other plugins, not to engineers', async () => {
    const asService = await api
      .get('/api/aws-access/catalog/projection')
      .set('Authorization', mockCredentials.service.header());
    expect(asService.status).toBe(200);
    expect(asService.body.accounts).toHaveLength(12);
    expect(asService.body.permissionSets).toHaveLength(5);
    expect(
      (
        await api
          .get('/api/aws-access/catalog/projection')
          .set('Authorization', as(AAMIR))
      ).status,
    ).toBe(403);
  });

  it('serves only what openapi.yaml declares: other routes are not found, other parameters are refused by name', async () => {
    const raw = request(backend.server);
    const notFound = await raw
      .get('/api/aws-access/teams')
      .set('Authorization', as(SARA));
    expect(notFound.status).toBe(404);
    expect(notFound.body.error).toEqual({
      name: 'NotFoundError',
      message: 'GET /teams is not a route of the aws-access API',
    });
    expect(
      (
        await raw
          .get('/api/aws-access/openapi.json')
          .set('Authorization', as(SARA))
      ).status,
    ).toBe(404);
    const wrongMethod = await raw
      .delete('/api/aws-access/report')
      .set('Authorization', as(SARA));
    expect(wrongMethod.status).toBe(404);

    const unknownParameter = await raw
      .get('/api/aws-access/report?format=json&verbose=1')
      .set('Authorization', as(SARA));
    expect(unknownParameter.status).toBe(400);
    expect(unknownParameter.body.error).toEqual({
      name: 'InputError',
      message: 'Invalid query.verbose: is not a parameter of this route',
    });
    const refusedValue = await raw
      .get('/api/aws-access/report?format=xml')
      .set('Authorization', as(SARA));
    expect(refusedValue.body.error).toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/^Invalid query\.format: .*json, csv/),
    });
    const missingBody = await raw
      .post('/api/aws-access/onboarding/accounts/200000000003/apply')
      .set('Authorization', as(SARA))
      .send({ removeForbidden: true });
    expect(missingBody.body.error).toEqual({
      name: 'InputError',
      message: 'Invalid body.planId: is required',
      field: 'planId',
    });
  });

  it('documents every response above in openapi.yaml', () => {
    expect(responses.length).toBeGreaterThan(40);
    const problems = responses
      .filter(r => r.status !== 401)
      .flatMap(r =>
        openApiProblems(
          r.method,
          r.url.replace(/^\/api\/aws-access/, ''),
          r.status,
          r.type,
          r.body,
        ),
      );
    expect(problems).toEqual([]);
    // The check itself bites: a grant without a state, or an undocumented status, is reported.
    expect(
      openApiProblems('GET', '/me', 200, 'application/json', {
        ...(responses.find(
          r => r.url === '/api/aws-access/me' && r.status === 200,
        )!.body as object),
        grants: [{ accountId: '200000000001' }],
      }),
    ).not.toEqual([]);
    expect(
      openApiProblems('GET', '/accounts', 418, 'application/json', {}),
    ).toEqual(['GET /accounts: status 418 not documented']);
  });
});

describe('the router and openapi.yaml', () => {
  it('has a handler for every operation the spec declares, and no other', async () => {
    const router: any = await createRouter({} as any);
    const served = router.stack
      // Backstage's router adds GET /openapi.json, which the spec does not declare: the validator refuses it.
      .filter(
        (layer: any) => layer.route && layer.route.path !== '/openapi.json',
      )
      .flatMap((layer: any) =>
        Object.keys(layer.route.methods).map(
          method => `${method} ${layer.route.path}`,
        ),
      )
      .sort();
    const declared = Object.entries(spec.paths)
      .flatMap(([template, operations]) =>
        Object.keys(operations)
          // Express answers HEAD through the GET route of the same path.
          .filter(method => !(method === 'head' && 'get' in operations))
          .map(method => `${method} ${template.replace(/\{(\w+)\}/g, ':$1')}`),
      )
      .sort();
    expect(served).toEqual(declared);
    expect(served.length).toBe(45);
  });
});

describe('aws-access API before the first sync', () => {
  it('answers 503 with Retry-After and the sync state instead of an empty list', async () => {
    const world = await startEmulatorWorld();
    const backend = await startAccessBackend(world.emulators, {
      skipInitialSync: true,
    });
    try {
      const response = await request(backend.server)
        .get('/api/aws-access/me')
        .set('Authorization', as(AAMIR));
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('30');
      expect(response.body.error.message).toMatch(
        /AWS access has not been synced yet: the first sync has not started yet/,
      );
    } finally {
      await backend.stop();
      await world.emulators.close();
    }
  });
});
