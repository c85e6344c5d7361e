import type { ClientSecretCredential } from '@azure/identity';
import type { Client, GraphError } from '@microsoft/microsoft-graph-client';
import { PageIterator } from '@microsoft/microsoft-graph-client';
import { graphClient, startSeed } from '../__testUtils__/clients';
import type { Emulators } from '../startEmulators';

/*
 * Contract tests: @microsoft/microsoft-graph-client with @azure/identity's ClientSecretCredential (authorityHost +
 * disableInstanceDiscovery + customHosts) against the Graph and login emulator.
 */

describe('Graph emulator', () => {
  let emulators: Emulators;
  let client: Client;
  let credential: ClientSecretCredential;
  const user = (upn: string) =>
    emulators.scenario.entra.users.find(u => u.upn === upn)!;
  const group = (name: string) =>
    emulators.scenario.entra.groups.find(g => g.name === name)!;

  async function all<T>(first: { value: T[] }): Promise<T[]> {
    const items: T[] = [];
    const iterator = new PageIterator(client, first as never, (item: T) => {
      items.push(item);
      return true;
    });
    await iterator.iterate();
    return items;
  }

  beforeAll(async () => {
    emulators = await startSeed();
    ({ client, credential } = graphClient(emulators));
  });
  afterAll(() => emulators.close());
  beforeEach(() => emulators.control.reset());

  it('should list users with the default property set', async () => {
    const page = await client.api('/users').get();
    expect(page['@odata.context']).toBe(
      `${emulators.graphBaseUrl}/v1.0/$metadata#users`,
    );
    expect(page.value).toHaveLength(9);
    const aamir = page.value.find(
      (u: { userPrincipalName: string }) =>
        u.userPrincipalName === 'aamir@example.com',
    );
    expect(aamir).toEqual({
      id: user('aamir@example.com').id,
      businessPhones: [],
      displayName: 'Aamir Siddiqui',
      givenName: null,
      jobTitle: 'Backend Engineer',
      mail: 'aamir@example.com',
      mobilePhone: null,
      officeLocation: null,
      preferredLanguage: null,
      surname: null,
      userPrincipalName: 'aamir@example.com',
    });
    // accountEnabled and department only when selected.
    expect(aamir).not.toHaveProperty('accountEnabled');
  });

  it('should apply $select and $filter', async () => {
    const selected = await client
      .api('/users')
      .select(['id', 'accountEnabled', 'department'])
      .filter('accountEnabled eq false')
      .get();
    expect(selected.value).toEqual([
      {
        id: user('alex@example.com').id,
        accountEnabled: false,
        department: 'Backend',
      },
    ]);
    const byUpn = await client
      .api('/users')
      .filter("startswith(userPrincipalName,'sh')")
      .select('userPrincipalName')
      .get();
    expect(
      byUpn.value.map(
        (u: { userPrincipalName: string }) => u.userPrincipalName,
      ),
    ).toEqual(['shen.li@example.com']);
    await expect(
      client.api('/users').select('favouriteColour').get(),
    ).rejects.toMatchObject({ statusCode: 400, code: 'Request_BadRequest' });
  });

  it('should page with absolute https nextLinks that PageIterator follows', async () => {
    const first = await client
      .api('/users')
      .top(2)
      .select('id,userPrincipalName')
      .get();
    expect(first['@odata.nextLink']).toMatch(
      new RegExp(
        `^${emulators.graphBaseUrl}/v1.0/users\\?.*\\$skiptoken=[A-Za-z0-9_-]+$`,
      ),
    );
    const users = await all<{ userPrincipalName: string }>(first);
    expect(users.map(u => u.userPrincipalName)).toHaveLength(9);
    expect(new Set(users.map(u => u.userPrincipalName)).size).toBe(9);
    const counters = await emulators.control.getCounters();
    expect(counters.graph['GET /v1.0/users']).toBe(5);
  });

  it('should require ConsistencyLevel and $count for advanced queries', async () => {
    await expect(
      client.api('/users').filter("endswith(mail,'@example.com')").get(),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: 'Request_UnsupportedQuery',
    });
    const advanced = await client
      .api('/users')
      .header('ConsistencyLevel', 'eventual')
      .count(true)
      .filter("endswith(mail,'@example.com')")
      .get();
    expect(advanced['@odata.count']).toBe(9);
    // $count=true without the header is silently ignored on /users.
    const silent = await client.api('/users').count(true).get();
    expect(silent['@odata.count']).toBeUndefined();
    const count = await client
      .api('/users/$count')
      .header('ConsistencyLevel', 'eventual')
      .get();
    expect(Number(count)).toBe(9);
  });

  it('should describe groups like Entra security groups', async () => {
    const { value } = await client.api('/groups').get();
    const readOnly = value.find(
      (g: { displayName: string }) =>
        g.displayName === 'AWS-Developers-ReadOnly',
    );
    expect(readOnly).toMatchObject({
      id: group('AWS-Developers-ReadOnly').id,
      securityEnabled: true,
      mailEnabled: false,
      mail: null,
      mailNickname: 'AWS-Developers-ReadOnly',
      groupTypes: [],
    });
    const one = await client
      .api(`/groups/${group('Data-Team').id}`)
      .select('displayName,securityEnabled')
      .get();
    expect(one).toMatchObject({
      id: group('Data-Team').id,
      displayName: 'Data-Team',
      securityEnabled: true,
    });
  });

  it('should list members, transitive members and memberships with @odata.type', async () => {
    const members = await client
      .api(`/groups/${group('AWS-Developers-ReadOnly').id}/members`)
      .get();
    expect(
      members.value
        .map((m: { userPrincipalName: string }) => m.userPrincipalName)
        .sort(),
    ).toEqual([
      'aamir@example.com',
      'noah@example.com',
      'priya@example.com',
      'tom@example.com',
    ]);
    expect(members.value[0]['@odata.type']).toBe('#microsoft.graph.user');
    const analysts = await client
      .api(`/groups/${group('AWS-Data-Analysts').id}/members`)
      .get();
    expect(analysts.value).toEqual([
      expect.objectContaining({
        '@odata.type': '#microsoft.graph.group',
        id: group('Data-Team').id,
        displayName: 'Data-Team',
      }),
    ]);
    const transitive = await client
      .api(`/groups/${group('AWS-Data-Analysts').id}/transitiveMembers`)
      .get();
    expect(transitive.value.map((m: { id: string }) => m.id).sort()).toEqual(
      [group('Data-Team').id, user('noah@example.com').id].sort(),
    );
    const usersOnly = await client
      .api(
        `/groups/${
          group('AWS-Data-Analysts').id
        }/transitiveMembers/microsoft.graph.user`,
      )
      .get();
    expect(usersOnly.value.map((m: { id: string }) => m.id)).toEqual([
      user('noah@example.com').id,
    ]);
    const memberOf = await client
      .api(`/users/${user('noah@example.com').id}/memberOf`)
      .get();
    expect(
      memberOf.value.map((g: { displayName: string }) => g.displayName).sort(),
    ).toEqual(['AWS-Developers-ReadOnly', 'Data-Team']);
    const transitiveOf = await client
      .api(`/users/noah@example.com/transitiveMemberOf`)
      .get();
    expect(
      transitiveOf.value
        .map((g: { displayName: string }) => g.displayName)
        .sort(),
    ).toEqual(['AWS-Data-Analysts', 'AWS-Developers-ReadOnly', 'Data-Team']);
    const manager = await client
      .api(`/users/${user('aamir@example.com').id}/manager`)
      .get();
    expect(manager).toMatchObject({
      '@odata.type': '#microsoft.graph.user',
      userPrincipalName: 'maria@example.com',
    });
  });

  it('should serve the organization', async () => {
    const org = await client
      .api(`/organization/${emulators.scenario.entra.tenantId}`)
      .get();
    expect(org).toMatchObject({
      id: emulators.scenario.entra.tenantId,
      displayName: 'example.com',
      verifiedDomains: [
        expect.objectContaining({ name: 'example.com', isDefault: true }),
      ],
    });
  });

  it('should find the AWS app by appId with its SAML certificate and assignments', async () => {
    const { appId, servicePrincipalId } = emulators.scenario.entra.awsApp;
    const { value } = await client
      .api('/servicePrincipals')
      .filter(`appId eq '${appId}'`)
      .get();
    expect(value).toHaveLength(1);
    expect(value[0]).toMatchObject({
      id: servicePrincipalId,
      appId,
      displayName: 'AWS IAM Identity Center - Production',
      preferredSingleSignOnMode: 'saml',
      // The sign-on URL of the AWS app is the access portal.
      loginUrl: 'https://d-9067a1b2c3.awsapps.com/start',
    });
    const sp = await client
      .api(`/servicePrincipals(appId='${appId}')`)
      .select(
        'id,keyCredentials,preferredTokenSigningKeyEndDateTime,preferredTokenSigningKeyThumbprint',
      )
      .get();
    expect(sp.preferredTokenSigningKeyEndDateTime).toBe(
      '2027-06-01T00:00:00.000Z',
    );
    expect(sp.keyCredentials.map((k: { usage: string }) => k.usage)).toEqual([
      'Sign',
      'Verify',
    ]);
    expect(sp.keyCredentials[0].customKeyIdentifier).toBe(
      sp.preferredTokenSigningKeyThumbprint,
    );
    const assigned = await client
      .api(`/servicePrincipals/${servicePrincipalId}/appRoleAssignedTo`)
      .get();
    expect(
      assigned.value
        .map((a: { principalDisplayName: string }) => a.principalDisplayName)
        .sort(),
    ).toEqual([
      'AWS-Data-Analysts',
      'AWS-Developers-Admin',
      'AWS-Developers-PowerUser',
      'AWS-Developers-ReadOnly',
      'AWS-Payments-Prod-Admin',
    ]);
    expect(assigned.value[0]).toMatchObject({
      principalType: 'Group',
      resourceId: servicePrincipalId,
    });
  });

  it('should report the provisioning job', async () => {
    const spId = emulators.scenario.entra.awsApp.servicePrincipalId;
    const { value } = await client
      .api(`/servicePrincipals/${spId}/synchronization/jobs`)
      .get();
    expect(value).toHaveLength(1);
    const job = value[0];
    expect(job.schedule).toEqual({
      expiration: null,
      interval: 'PT40M',
      state: 'Active',
    });
    expect(job.status).toMatchObject({
      code: 'Active',
      quarantine: null,
      countSuccessiveCompleteFailures: 0,
      lastExecution: expect.objectContaining({ state: 'Succeeded' }),
    });
    const endedAgo =
      Date.now() - Date.parse(job.status.lastSuccessfulExecution.timeEnded);
    expect(Math.round(endedAgo / 1000)).toBeGreaterThanOrEqual(899);
    expect(Math.round(endedAgo / 1000)).toBeLessThan(960);
    const single = await client
      .api(`/servicePrincipals/${spId}/synchronization/jobs/${job.id}`)
      .get();
    expect(single.id).toBe(job.id);
  });

  it('should reject missing and forged tokens with 401 InvalidAuthenticationToken', async () => {
    const anonymous = await fetch(`${emulators.graphBaseUrl}/v1.0/users`);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error).toMatchObject({
      code: 'InvalidAuthenticationToken',
      message: 'Access token is empty.',
    });
    const { token } = await credential.getToken(
      'https://graph.microsoft.com/.default',
    );
    const [header, payload] = token.split('.');
    const forged = await fetch(`${emulators.graphBaseUrl}/v1.0/users`, {
      headers: { authorization: `Bearer ${header}.${payload}.AAAA` },
    });
    expect(forged.status).toBe(401);
  });

  it('should answer unknown objects with 404 Request_ResourceNotFound', async () => {
    await expect(
      client.api('/users/00000000-0000-4000-8000-000000000000').get(),
    ).rejects.toMatchObject({
      statusCode: 404,
      code: 'Request_ResourceNotFound',
    });
  });

  it('should throttle with 429 + Retry-After, which the Graph client honours', async () => {
    await emulators.control.injectFault({
      service: 'graph',
      operation: '/v1.0/groups',
      kind: 'throttle',
    });
    const started = Date.now();
    const { value } = await client.api('/groups').get();
    expect(value).toHaveLength(8);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const counters = await emulators.control.getCounters();
    expect(counters.graph['GET /v1.0/groups']).toBe(2);
    expect(counters.throttled.graph['GET /v1.0/groups']).toBe(1);
  });

  it('should throttle at the per-app rate limit', async () => {
    await emulators.control.setRateLimit('graph', 1);
    const raw = async () => {
      const { token } = await credential.getToken(
        'https://graph.microsoft.com/.default',
      );
      return fetch(`${emulators.graphBaseUrl}/v1.0/organization`, {
        headers: { authorization: `Bearer ${token}` },
      });
    };
    expect((await raw()).status).toBe(200);
    const limited = await raw();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect((await limited.json()).error.code).toBe('TooManyRequests');
  });

  it('should inject expired-token, http500, malformed and truncated faults', async () => {
    await emulators.control.injectFault({
      service: 'graph',
      operation: '/v1.0/users',
      kind: 'expired-token',
    });
    const expired = await client
      .api('/users')
      .get()
      .catch((e: GraphError) => e);
    expect(expired).toMatchObject({
      statusCode: 401,
      code: 'InvalidAuthenticationToken',
      message: 'Lifetime validation failed, the token is expired.',
    });

    await emulators.control.injectFault({
      service: 'graph',
      operation: 'GET /v1.0/groups/{id}/members',
      kind: 'http500',
    });
    await expect(
      client.api(`/groups/${group('Data-Team').id}/members`).get(),
    ).rejects.toMatchObject({ statusCode: 500, code: 'generalException' });

    const { token } = await credential.getToken(
      'https://graph.microsoft.com/.default',
    );
    const authorized = { headers: { authorization: `Bearer ${token}` } };
    await emulators.control.injectFault({
      service: 'graph',
      operation: '/v1.0/groups',
      kind: 'malformed',
    });
    const malformed = await fetch(
      `${emulators.graphBaseUrl}/v1.0/groups`,
      authorized,
    );
    expect(malformed.status).toBe(200);
    await expect(malformed.json()).rejects.toThrow();
    await emulators.control.injectFault({
      service: 'graph',
      operation: '/v1.0/groups',
      kind: 'truncated',
    });
    const truncated = await fetch(
      `${emulators.graphBaseUrl}/v1.0/groups`,
      authorized,
    );
    const text = await truncated.text();
    expect(text.startsWith('{"@odata.context"')).toBe(true);
    expect(() => JSON.parse(text)).toThrow();
  });

  it('should hang (timeout) or drop the connection (reset)', async () => {
    const { token } = await credential.getToken(
      'https://graph.microsoft.com/.default',
    );
    await emulators.control.injectFault({
      service: 'graph',
      operation: '/v1.0/groups/delta',
      kind: 'timeout',
    });
    await expect(
      fetch(`${emulators.graphBaseUrl}/v1.0/groups/delta`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(300),
      }),
    ).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    await emulators.control.injectFault({
      service: 'graph',
      operation: '/v1.0/users',
      kind: 'reset',
    });
    await expect(
      fetch(`${emulators.graphBaseUrl}/v1.0/users`, {
        headers: { authorization: `Bearer ${token}` },
      }),
    ).rejects.toThrow('fetch failed');
  });

  it('should serve OIDC metadata, and refuse bad token requests like Entra', async () => {
    const tenant = emulators.scenario.entra.tenantId;
    const metadata = await (
      await fetch(
        `${emulators.loginAuthority}/v2.0/.well-known/openid-configuration`,
      )
    ).json();
    expect(metadata).toMatchObject({
      issuer: `${emulators.loginAuthority}/v2.0`,
      token_endpoint: `${emulators.loginAuthority}/oauth2/v2.0/token`,
      authorization_endpoint: expect.any(String),
      jwks_uri: `${emulators.loginAuthority}/discovery/v2.0/keys`,
    });
    const keys = await (await fetch(metadata.jwks_uri)).json();
    expect(keys.keys[0]).toMatchObject({
      kty: 'RSA',
      use: 'sig',
      n: expect.any(String),
      e: 'AQAB',
    });

    const token = (tenantId: string, form: Record<string, string>) =>
      fetch(`${emulators.graphBaseUrl}/${tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams(form),
      });
    const unknownTenant = await token('00000000-0000-4000-8000-000000000000', {
      grant_type: 'client_credentials',
      client_id: 'x',
      client_secret: 'y',
      scope: 'https://graph.microsoft.com/.default',
    });
    expect(unknownTenant.status).toBe(400);
    expect(await unknownTenant.json()).toMatchObject({
      error: 'invalid_tenant',
      error_codes: [90002],
    });
    const noSecret = await token(tenant, {
      grant_type: 'client_credentials',
      client_id: 'x',
      scope: 'https://graph.microsoft.com/.default',
    });
    expect(noSecret.status).toBe(401);
    expect((await noSecret.json()).error).toBe('invalid_client');
    const badScope = await token(tenant, {
      grant_type: 'client_credentials',
      client_id: 'x',
      client_secret: 'y',
      scope: 'User.Read',
    });
    expect((await badScope.json()).error).toBe('invalid_scope');
    const { clientId, clientSecret } =
      emulators.scenario.entra.appRegistrations[0];
    const ok = await (
      await token(tenant, {
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret!,
        scope: 'https://graph.microsoft.com/.default',
      })
    ).json();
    expect(ok).toMatchObject({
      token_type: 'Bearer',
      access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
    });
    // Entra's app tokens live 60 to 90 minutes.
    expect(ok.expires_in).toBeGreaterThanOrEqual(3600);
    expect(ok.expires_in).toBeLessThanOrEqual(5400);

    const msiWithoutHeader = await fetch(
      `${emulators.managedIdentityEndpoint}?api-version=2019-08-01&resource=https://127.0.0.1`,
    );
    expect(msiWithoutHeader.status).toBe(400);
    const msi = await (
      await fetch(
        `${emulators.managedIdentityEndpoint}?api-version=2019-08-01&resource=https://127.0.0.1`,
        { headers: { 'X-IDENTITY-HEADER': 'x' } },
      )
    ).json();
    expect(msi).toMatchObject({
      token_type: 'Bearer',
      resource: 'https://127.0.0.1',
      expires_on: expect.stringMatching(/^\d+$/),
    });
  });
});
