import fs from 'node:fs';
import path from 'node:path';
import {
  ClientCertificateCredential,
  ClientSecretCredential,
} from '@azure/identity';
import { SEED_SCENARIO } from '../__testUtils__/clients';
import { loadScenario } from '../scenario/parse';
import { startEmulators } from '../startEmulators';
import type { Emulators } from '../startEmulators';

/*
 * The token endpoint against the scenario's app registrations (secret or certificate), with AAD's error shapes,
 * and tokens that expire by the emulator clock.
 */

const SCOPE = 'https://graph.microsoft.com/.default';
const CERT_APP = 'c3c3c3c3-0000-4000-8000-000000000001';
const SECRET_APP = '5e5e5e5e-0000-4000-8000-000000000001';

// The CA and leaf `--init-ca` made (NODE_EXTRA_CA_CERTS names the CA): the leaf is registered, the CA is not.
const tlsDir = path.dirname(
  process.env.NODE_EXTRA_CA_CERTS ?? '.emulators/ca.pem',
);
const pem = (name: string) => fs.readFileSync(path.join(tlsDir, name), 'utf8');

describe('Graph login: app registrations and token lifetimes', () => {
  let emulators: Emulators;
  let tenant: string;

  const token = (form: Record<string, string>) =>
    fetch(`${emulators.graphBaseUrl}/${tenant}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: SCOPE,
        ...form,
      }),
    });
  const graphGet = (accessToken: string) =>
    fetch(`${emulators.graphBaseUrl}/v1.0/organization`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });

  beforeAll(async () => {
    const scenario = loadScenario(SEED_SCENARIO);
    scenario.entra!.appRegistrations = [
      { clientId: SECRET_APP, clientSecret: 'the-right-secret' },
      { clientId: CERT_APP, certificate: pem('leaf.pem') },
    ];
    emulators = await startEmulators({ scenario, autoScim: false });
    tenant = emulators.scenario.entra.tenantId;
  });
  afterAll(() => emulators.close());
  beforeEach(() => emulators.control.reset());

  it('refuses an unknown client id (AADSTS700016) and a wrong secret (AADSTS7000215)', async () => {
    const unknown = await token({
      client_id: '00000000-0000-4000-8000-0000000000ff',
      client_secret: 'the-right-secret',
    });
    expect(unknown.status).toBe(400);
    const unknownBody = await unknown.json();
    expect(unknownBody).toMatchObject({
      error: 'unauthorized_client',
      error_codes: [700016],
      trace_id: expect.any(String),
      correlation_id: expect.any(String),
    });
    expect(unknownBody.error_description).toMatch(
      /^AADSTS700016: Application with identifier '00000000-0000-4000-8000-0000000000ff' was not found in the directory/,
    );

    const wrong = await token({
      client_id: SECRET_APP,
      client_secret: 'guess',
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({
      error: 'invalid_client',
      error_codes: [7000215],
      error_description: expect.stringMatching(
        /^AADSTS7000215: Invalid client secret provided/,
      ),
    });
    // A secret for the certificate-only app is as wrong.
    const noSecret = await token({ client_id: CERT_APP, client_secret: 'x' });
    expect((await noSecret.json()).error_codes).toEqual([7000215]);

    const right = await token({
      client_id: SECRET_APP,
      client_secret: 'the-right-secret',
    });
    expect(right.status).toBe(200);
  });

  it("issues tokens for the cloud's Graph only, not for the host Graph is reached at (AADSTS500011)", async () => {
    const app = { client_id: SECRET_APP, client_secret: 'the-right-secret' };
    const ownHost = await token({
      ...app,
      scope: `${emulators.graphBaseUrl}/.default`,
    });
    expect(ownHost.status).toBe(400);
    expect(await ownHost.json()).toMatchObject({
      error: 'invalid_resource',
      error_codes: [500011],
      error_description: expect.stringMatching(
        `^AADSTS500011: The resource principal named ${emulators.graphBaseUrl} was not found in the tenant named example.com`,
      ),
    });
    const otherCloud = await token({
      ...app,
      scope: 'https://graph.microsoft.us/.default',
    });
    expect((await otherCloud.json()).error_codes).toEqual([500011]);
    // Graph's application id names the same resource.
    const byAppId = await token({
      ...app,
      scope: '00000003-0000-0000-c000-000000000000/.default',
    });
    expect(byAppId.status).toBe(200);
    const { access_token: accessToken } = await byAppId.json();
    expect((await graphGet(accessToken)).status).toBe(200);
  });

  it('takes a client assertion signed with the registered certificate only', async () => {
    const registered = new ClientCertificateCredential(
      tenant,
      CERT_APP,
      { certificate: `${pem('leaf.pem')}\n${pem('leaf-key.pem')}` },
      { authorityHost: emulators.graphBaseUrl, disableInstanceDiscovery: true },
    );
    const { token: accessToken } = await registered.getToken(SCOPE);
    expect((await graphGet(accessToken)).status).toBe(200);

    const other = new ClientCertificateCredential(
      tenant,
      CERT_APP,
      { certificate: `${pem('ca.pem')}\n${pem('ca-key.pem')}` },
      { authorityHost: emulators.graphBaseUrl, disableInstanceDiscovery: true },
    );
    await expect(other.getToken(SCOPE)).rejects.toThrow(/AADSTS700027/);
  });

  it('issues tokens that live 60 to 90 minutes, or the configured lifetime, on the emulator clock', async () => {
    const lifetimes = new Set<number>();
    for (let i = 0; i < 5; i++) {
      const body = await (
        await token({
          client_id: SECRET_APP,
          client_secret: 'the-right-secret',
        })
      ).json();
      expect(body.expires_in).toBeGreaterThanOrEqual(3600);
      expect(body.expires_in).toBeLessThanOrEqual(5400);
      lifetimes.add(body.expires_in);
    }
    expect(lifetimes.size).toBeGreaterThan(1);

    await emulators.control.updateSettings({ graphTokenLifetimeSeconds: 600 });
    const credential = new ClientSecretCredential(
      tenant,
      SECRET_APP,
      'the-right-secret',
      { authorityHost: emulators.graphBaseUrl, disableInstanceDiscovery: true },
    );
    const issued = await credential.getToken(SCOPE);
    const claims = JSON.parse(
      Buffer.from(issued.token.split('.')[1], 'base64url').toString('utf8'),
    );
    expect(claims.exp - claims.iat).toBe(600);
    expect((await graphGet(issued.token)).status).toBe(200);

    // Seconds in the token, milliseconds on the clock: a second's margin either side.
    await emulators.control.advanceClock(598);
    expect((await graphGet(issued.token)).status).toBe(200);
    await emulators.control.advanceClock(3);
    const expired = await graphGet(issued.token);
    expect(expired.status).toBe(401);
    expect((await expired.json()).error).toMatchObject({
      code: 'InvalidAuthenticationToken',
      message: 'Lifetime validation failed, the token is expired.',
    });
  });
});
