import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import request from 'supertest';
import { startEmulatorWorld } from '../__testUtils__/emulatorWorld';
import { startAccessBackend } from '../__testUtils__/testBackend';

/*
 * Issue 19 item 10: services (other plugins, external-access tokens) go through the permission framework like
 * users, so an operator's `accessRestrictions` hold. A reporting token limited to `aws-access.report.read` reads
 * the whole report and nothing else; a service without restrictions reads as before.
 */

jest.setTimeout(120_000);

const REPORTING = mockCredentials.service('external:reporting', {
  permissionNames: ['aws-access.report.read'],
});

/** Every request authenticates as the reporting token; user-only routes refuse it as Backstage's httpAuth does. */
const reportingTokenAuth = mockServices.httpAuth.mock({
  credentials: (async (_req: unknown, options?: { allow?: string[] }) => {
    if (options?.allow && !options.allow.includes('service'))
      throw new NotAllowedError(
        "This endpoint does not allow 'service' credentials",
      );
    return REPORTING;
  }) as any,
});

describe('service callers through the permission framework', () => {
  let world: Awaited<ReturnType<typeof startEmulatorWorld>>;
  let restricted: Awaited<ReturnType<typeof startAccessBackend>>;
  let open: Awaited<ReturnType<typeof startAccessBackend>>;

  async function firstSnapshot(backend: typeof open) {
    for (let i = 0; i < 200; i++) {
      const report = await request(backend.server)
        .get('/api/aws-access/report')
        .set('Authorization', mockCredentials.service.header());
      if (report.status === 200) return;
      await new Promise(r => setTimeout(r, 100));
    }
    throw new Error('no snapshot was committed');
  }

  beforeAll(async () => {
    world = await startEmulatorWorld();
    restricted = await startAccessBackend(world.emulators, {
      extraFeatures: [reportingTokenAuth.factory],
    });
    open = await startAccessBackend(world.emulators);
    await firstSnapshot(open);
  });

  afterAll(async () => {
    await restricted?.stop();
    await open?.stop();
    await world?.emulators.close();
  });

  it('gives a report-only token the whole report, as JSON and CSV', async () => {
    let report = await request(restricted.server).get('/api/aws-access/report');
    for (let i = 0; i < 200 && report.status === 503; i++) {
      await new Promise(r => setTimeout(r, 100));
      report = await request(restricted.server).get('/api/aws-access/report');
    }
    expect(report.status).toBe(200);
    const people = new Set(
      report.body.rows.map(
        (row: { userEntityRef: string }) => row.userEntityRef,
      ),
    );
    // Everyone with a grant, not a team's slice: a service has no team of its own.
    const full = await request(open.server)
      .get('/api/aws-access/report')
      .set('Authorization', mockCredentials.service.header());
    expect(report.body.rows).toEqual(full.body.rows);
    expect(people.size).toBeGreaterThanOrEqual(6);

    const csv = await request(restricted.server).get(
      '/api/aws-access/report?format=csv',
    );
    expect(csv.status).toBe(200);
    expect(csv.type).toBe('text/csv');
  });

  it.each([
    ['get', '/accounts', 'aws-access.all.read'],
    ['get', '/accounts/200000000003', 'aws-access.all.read'],
    ['get', '/permission-sets/DeveloperAdmin', 'aws-access.all.read'],
    ['get', '/sync/status', 'aws-access.all.read'],
    ['get', '/drift', 'aws-access.all.read'],
    ['get', '/catalog/projection', 'aws-access.all.read'],
    ['get', '/users/user:default%2Fshen.li_example.com', 'aws-access.all.read'],
    ['post', '/sync', 'aws-access.sync.trigger'],
  ])(
    'refuses the report-only token %s %s, naming %s',
    async (method, route, permission) => {
      const response = await (request(restricted.server) as any)[method](
        `/api/aws-access${route}`,
      );
      expect(response.status).toBe(403);
      expect(response.body.error.name).toBe('NotAllowedError');
      expect(response.body.error.message).toContain(permission);
    },
  );

  it('keeps user-only routes closed to services', async () => {
    const me = await request(restricted.server).get('/api/aws-access/me');
    expect(me.status).toBe(403);
  });

  it('lets a service without restrictions read and start a sync, as before', async () => {
    const asService = (method: 'get' | 'post', route: string) =>
      request(open.server)
        [method](`/api/aws-access${route}`)
        .set('Authorization', mockCredentials.service.header());
    expect((await asService('get', '/accounts')).status).toBe(200);
    expect((await asService('get', '/catalog/projection')).status).toBe(200);
    expect((await asService('get', '/drift')).status).toBe(200);
    expect([202, 409]).toContain((await asService('post', '/sync')).status);
  });
});
