import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type {
  SyncStatus,
  UserAccess,
} from '@aws-access/plugin-aws-access-common';
import {
  IDENTITY_CENTER_ONLY_SCENARIO,
  REPO_ROOT,
} from '@aws-access/test-utils';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import { startEmulatorWorld } from './__testUtils__/emulatorWorld';
import { startAccessBackend } from './__testUtils__/testBackend';

/*
 * Identity Center alone (no awsAccess.entra), against examples/scenarios/identity-center-only.yaml and the demo's
 * catalog of it (which turns awsAccess.userMatching.byEmail on): every grant active, people matched by Identity
 * Store user name then email (never by an email two users share), and the routes that need Entra refusing by name.
 */

jest.setTimeout(60_000);

const as = (ref: string) => mockCredentials.user.header(ref);
const MARIA = 'user:default/maria';
const SARA = 'user:default/sara';
const SHEN = 'user:default/shen';
const NOAH = 'user:default/noah_example.com';
const PRIYA = 'user:default/priya';
const TOM = 'user:default/tom';

const catalog: Entity[] = parseAllDocuments(
  fs.readFileSync(
    path.join(
      REPO_ROOT,
      'examples/scenarios/identity-center-only.catalog.yaml',
    ),
    'utf8',
  ),
).map(doc => doc.toJS() as Entity);

describe('aws-access with Identity Center alone', () => {
  let world: Awaited<ReturnType<typeof startEmulatorWorld>>;
  let backend: Awaited<ReturnType<typeof startAccessBackend>>;
  const get = (url: string, ref: string) =>
    request(backend.server)
      .get(`/api/aws-access${url}`)
      .set('Authorization', as(ref));
  const grantsOf = (body: UserAccess) =>
    Object.fromEntries(
      body.grants.map(g => [
        `${g.accountName} / ${g.permissionSet.name}`,
        `${g.state} via ${g.via.map(v => v.name).join(', ')}`,
      ]),
    );

  beforeAll(async () => {
    world = await startEmulatorWorld({
      scenario: IDENTITY_CENTER_ONLY_SCENARIO,
    });
    backend = await startAccessBackend(world.emulators, {
      catalogEntities: catalog,
      configOverrides: { userMatching: { byEmail: true } },
      ownership: ref =>
        ref === SARA ? [ref, 'group:default/platform-team'] : [ref],
    });
    for (let i = 0; i < 100; i++) {
      if ((await get('/sync/status', SARA)).body.snapshotVersion) break;
      await new Promise(r => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    await backend?.stop();
    await world?.emulators.close();
  });

  it('is configured without Entra, and the sync never calls Graph', async () => {
    expect(world.config.entra).toBeUndefined();
    expect(world.sources.identity).toBeUndefined();
    expect(world.sources.provisioner).toBeUndefined();
    const status: SyncStatus = (await get('/sync/status', MARIA)).body;
    expect(status.identitySource).toBe('none');
    expect(status.lastRun?.outcome).toBe('succeeded');
    expect(status.samlCertificateExpires).toBeUndefined();
    const counters = await world.emulators.control.getCounters();
    expect(counters.totals.graph ?? 0).toBe(0);
  });

  it('matches by the Identity Store user name: every grant active, via the Identity Center group', async () => {
    const response = await get('/me', MARIA);
    expect(response.status).toBe(200);
    const body: UserAccess = response.body;
    expect(body.sync.identitySource).toBe('none');
    expect(body.identityCenter?.userName).toBe('maria');
    expect(body.entra).toBeUndefined();
    expect(grantsOf(body)).toEqual({
      'payments-dev / DeveloperPowerUser': 'active via Developers-PowerUser',
      'web-dev / DeveloperPowerUser': 'active via Developers-PowerUser',
    });
    expect(body.grants.every(g => g.launchUrl)).toBe(true);
  });

  it('matches a direct assignment to the user, and the user name as the catalog names it', async () => {
    expect(grantsOf((await get('/me', PRIYA)).body)).toEqual({
      'data-lake / DeveloperReadOnly': 'active via Priya Nair',
    });
    const noah: UserAccess = (await get('/me', NOAH)).body;
    expect(noah.identityCenter?.userName).toBe('noah@example.com');
    expect(grantsOf(noah)).toMatchObject({
      'data-lake / DataAnalyst': 'active via Data-Analysts',
    });
  });

  it('matches by email when the name does not match', async () => {
    const shen: UserAccess = (await get('/me', SHEN)).body;
    expect(shen.identityCenter?.userName).toBe('shen.li');
    expect(new Set(shen.grants.map(g => g.state))).toEqual(new Set(['active']));
    expect(shen.grants).toHaveLength(6);
  });

  it('refuses to guess when two Identity Center users share the email', async () => {
    const response = await get('/me', TOM);
    expect(response.status).toBe(404);
    expect(response.body.error.message).toBe(
      'Your Backstage user user:default/tom has the email tom@example.com, which 2 Identity Center users share (tom.becker, tom.becker-admin), so it identifies none of them. Name the Backstage user like the Identity Store user name, or give the Identity Center users distinct emails.',
    );
  });

  it('finds someone by the entity ref its answers give them, which the catalog does not have', async () => {
    // The file names Priya `priya`; the API names her from her Identity Center email, and links there.
    const priyaRef = (await get('/me', PRIYA)).body.user.entityRef;
    expect(priyaRef).toBe('user:default/priya_example.com');
    const priya = await get(`/users/${encodeURIComponent(priyaRef)}`, SARA);
    expect(priya.status).toBe(200);
    expect(priya.body.identityCenter?.userName).toBe('priya');
    // Signed in under that ref, with no catalog user, she is nobody: sign-in goes through the catalog.
    expect((await get('/me', priyaRef)).status).toBe(404);
  });

  it('refuses provision-on-demand (501), naming the configuration it needs', async () => {
    const response = await request(backend.server)
      .post('/api/aws-access/provision')
      .set('Authorization', as(SARA))
      .send({ user: MARIA });
    expect(response.status).toBe(501);
    expect(response.body.error.message).toBe(
      'Provision-on-demand needs an identity source: configure awsAccess.entra. This backend reads IAM Identity Center alone.',
    );
  });

  it("skips Entra's steps when diagnosing, and says so", async () => {
    const response = await get(
      `/diagnose?user=${encodeURIComponent(MARIA)}&account=200000000007`,
      SARA,
    );
    expect(response.status).toBe(200);
    const codes = response.body.findings.map((f: { code: string }) => f.code);
    expect(codes).toContain('no-identity-source');
    expect(codes).toContain('not-in-group');
    expect(codes).not.toContain('provisioning-not-running');
    const notInGroup = response.body.findings.find(
      (f: { code: string }) => f.code === 'not-in-group',
    );
    expect(notInGroup.fix).toMatch(/in IAM Identity Center/);
  });

  it('shows no Entra drift: nothing pending, stuck, being removed or unmanaged', async () => {
    const drift = (await get('/drift', SARA)).body;
    expect(drift.sync.identitySource).toBe('none');
    expect([
      drift.pending,
      drift.stuck,
      drift.revoking,
      drift.nested,
      drift.unmanaged,
    ]).toEqual([[], [], [], [], []]);
  });

  it('projects accounts, permission sets and Identity Center principals for the catalog module', async () => {
    const projection = (await get('/catalog/projection', SARA)).body;
    expect(projection.accounts).toHaveLength(7);
    expect(projection.entraUsers.map((u: { mail: string }) => u.mail)).toEqual(
      expect.arrayContaining(['maria@example.com', 'shen.li@example.com']),
    );
    expect(
      projection.assignments.every(
        (a: { principal: { entraId?: string } }) => a.principal.entraId,
      ),
    ).toBe(true);
  });
});

describe('Identity Center alone, without email matching (the default)', () => {
  it('matches by the Identity Store user name only, and says that email matching is off', async () => {
    const world = await startEmulatorWorld({
      scenario: IDENTITY_CENTER_ONLY_SCENARIO,
    });
    const backend = await startAccessBackend(world.emulators, {
      catalogEntities: catalog,
    });
    try {
      const get = (url: string, ref: string) =>
        request(backend.server)
          .get(`/api/aws-access${url}`)
          .set('Authorization', as(ref));
      for (let i = 0; i < 100; i++) {
        if ((await get('/sync/status', SARA)).body.snapshotVersion) break;
        await new Promise(r => setTimeout(r, 100));
      }
      expect((await get('/me', MARIA)).status).toBe(200);
      const shen = await get('/me', SHEN);
      expect(shen.status).toBe(404);
      expect(shen.body.error.message).toBe(
        'No Identity Center user has the user name shen. Name the Backstage user like its Identity Store user name (matching by email is off: awsAccess.userMatching.byEmail).',
      );
    } finally {
      await backend.stop();
      await world.emulators.close();
    }
  });
});
