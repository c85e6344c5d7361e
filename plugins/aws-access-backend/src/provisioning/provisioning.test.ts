import { mockCredentials } from '@backstage/backend-test-utils';
import type {
  ProvisionResult,
  UserAccess,
  UserTimeline,
} from '@aws-access/plugin-aws-access-common';
import request from 'supertest';
import { startEmulatorWorld } from '../__testUtils__/emulatorWorld';
import { startAccessBackend } from '../__testUtils__/testBackend';
import { openApiProblems } from '../__testUtils__/openapi';

jest.setTimeout(120_000);

const as = (ref: string) => mockCredentials.user.header(ref);
const AAMIR = 'user:default/aamir_example.com';
const ALEX = 'user:default/alex_example.com';
const SARA = 'user:default/sara_example.com';
const TOM = 'user:default/tom_example.com';

describe('provision-on-demand', () => {
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
    backend = await startAccessBackend(world.emulators, {
      configOverrides: { provisionOnDemand: { perUserPerHour: 2 } },
    });
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
  });

  afterAll(async () => {
    await backend?.stop();
    await world?.emulators.close();
  });

  it('lets the joiner provision himself: his pending access turns active at once, without a full sync', async () => {
    const beforeStatus = (
      await api
        .get('/api/aws-access/sync/status')
        .set('Authorization', as(AAMIR))
    ).body;
    const before = beforeStatus.snapshotVersion;
    const response = await api
      .post('/api/aws-access/provision')
      .set('Authorization', as(AAMIR))
      .send({});
    expect(response.status).toBe(200);
    const result = response.body as ProvisionResult;
    expect(result).toMatchObject({
      action: 'provision',
      outcome: 'success',
      user: { entityRef: AAMIR },
    });
    expect(result.access.grants.map(g => g.state)).toEqual([
      'active',
      'active',
      'active',
      'active',
      'active',
    ]);
    expect(result.access.grants[0].launchUrl).toMatch(
      /#\/console\?account_id=\d{12}&role_name=DeveloperReadOnly$/,
    );
    expect(result.access.sync.snapshotVersion).toBeGreaterThan(before);
    expect(backend.auditEvents).toContainEqual({
      eventId: 'provision-on-demand',
      meta: { subject: AAMIR, action: 'provision', outcome: 'success' },
      outcome: 'success',
    });

    // The targeted refresh is a run of its own, and /me serves the new version too.
    const status = (
      await api
        .get('/api/aws-access/sync/status')
        .set('Authorization', as(AAMIR))
    ).body;
    expect(status.lastRun).toMatchObject({
      trigger: 'targeted',
      outcome: 'succeeded',
    });
    // It re-read one person: neither side counts as read whole since the full sync.
    expect(status.sides).toEqual(beforeStatus.sides);
    const me = (
      await api.get('/api/aws-access/me').set('Authorization', as(AAMIR))
    ).body as UserAccess;
    expect(me.identityCenter).toMatchObject({
      status: 'ENABLED',
      groups: ['AWS-Developers-ReadOnly'],
    });

    // The timeline tells the story: added in Entra, provisioned by SCIM, seen active by our sync.
    const timeline = (
      await api
        .get('/api/aws-access/me/timeline')
        .set('Authorization', as(AAMIR))
    ).body as UserTimeline;
    expect(timeline.events.map(e => e.source)).toEqual(
      expect.arrayContaining(['entra', 'scim', 'sync']),
    );
    expect(timeline.events.find(e => e.source === 'sync')!.message).toMatch(
      /^Seen in AWS: DeveloperReadOnly on .+ is active$/,
    );
    const delay = timeline.provisioningDelays.find(d =>
      d.change.startsWith('Added to AWS-Developers-ReadOnly'),
    );
    // The seed added him 10 minutes before the emulators started.
    expect(delay!.seconds).toBeGreaterThanOrEqual(600);
  });

  it('lets the platform team deprovision a leaver now, and nobody else', async () => {
    expect(
      (
        await api
          .post('/api/aws-access/provision')
          .set('Authorization', as(AAMIR))
          .send({ user: ALEX })
      ).status,
    ).toBe(403);
    const response = await api
      .post('/api/aws-access/provision')
      .set('Authorization', as(SARA))
      .send({ user: ALEX });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      action: 'deprovision',
      outcome: 'success',
    });
    expect((response.body as ProvisionResult).access.grants).toEqual([]);
    expect(
      (response.body as ProvisionResult).access.identityCenter,
    ).toMatchObject({ status: 'DISABLED' });
  });

  it('reports what Entra skipped, in its words', async () => {
    // Tom is in sync already: Entra answers, and his access stays as it was.
    const response = await api
      .post('/api/aws-access/provision')
      .set('Authorization', as(TOM))
      .send({});
    expect(response.status).toBe(200);
    expect(['success', 'skipped']).toContain(response.body.outcome);
    expect(response.body.message).toEqual(expect.any(String));
    expect(
      response.body.access.grants.every((g: any) => g.state === 'active'),
    ).toBe(true);
  });

  it('limits requests per person and says when to come back', async () => {
    await api
      .post('/api/aws-access/provision')
      .set('Authorization', as(TOM))
      .send({});
    const limited = await api
      .post('/api/aws-access/provision')
      .set('Authorization', as(TOM))
      .send({});
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.error).toMatchObject({ name: 'TooManyRequestsError' });
  });

  it('leaves the snapshot alone when Entra refuses', async () => {
    const before = (
      await api
        .get('/api/aws-access/sync/status')
        .set('Authorization', as(SARA))
    ).body.snapshotVersion;
    await world.emulators.control.injectFault({
      service: 'graph',
      operation: '/v1.0/servicePrincipals',
      kind: 'access-denied',
      times: 5,
    });
    const response = await api
      .post('/api/aws-access/provision')
      .set('Authorization', as(SARA))
      .send({ user: 'user:default/priya_example.com' });
    await world.emulators.control.clearFaults();
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      outcome: 'failure',
      message: expect.stringMatching(/Authorization_RequestDenied/),
    });
    expect(
      (
        await api
          .get('/api/aws-access/sync/status')
          .set('Authorization', as(SARA))
      ).body.snapshotVersion,
    ).toBe(before);
  });

  it('documents every provisioning and timeline response in openapi.yaml', () => {
    expect(
      responses.filter(r => /provision|timeline/.test(r.url)).length,
    ).toBeGreaterThan(5);
    expect(
      responses.flatMap(r =>
        openApiProblems(
          r.method,
          r.url.replace(/^\/api\/aws-access/, ''),
          r.status,
          r.type,
          r.body,
        ),
      ),
    ).toEqual([]);
  });
});
