import { mockCredentials } from '@backstage/backend-test-utils';
import type {
  AccessPage,
  AccessSummary,
  UserAccess,
} from '@aws-access/plugin-aws-access-common';
import { entraUserEntityRef } from '@aws-access/plugin-aws-access-common';
import { powerUserScenario } from '@aws-access/test-utils';
import request from 'supertest';
import { startEmulatorWorld } from '../__testUtils__/emulatorWorld';
import { startAccessBackend } from '../__testUtils__/testBackend';
import { openApiProblems } from '../__testUtils__/openapi';

jest.setTimeout(300_000);

/*
 * A power user's own page (issue 18): Pat holds ReadOnly and PowerUser on each of 3,000 accounts and was just
 * added to the Admin group (pending): 9,000 grants. `/me` pages and filters them as *My AWS access* asks (50 a
 * page); the `~/.aws/config` is a download of its own. The time of each request is logged as a measurement
 * (not asserted: a loaded machine would make it flaky), with its size.
 */

type Page = UserAccess & { summary: AccessSummary; page: AccessPage };

const setup = powerUserScenario();
const ACCOUNTS = setup.accountIds.length;
const { readOnly, powerUser, admin } = setup.permissionSets;

describe('a power user’s own page at 9,000 grants', () => {
  let world: Awaited<ReturnType<typeof startEmulatorWorld>>;
  let backend: Awaited<ReturnType<typeof startAccessBackend>>;
  let auth: string;
  const figures: string[] = [];

  /** `GET /me…` as Pat, checked against openapi.yaml, its time and size noted as `what`. */
  async function me(what: string, query: string): Promise<Page> {
    const from = performance.now();
    const response = await request(backend.server)
      .get(`/api/aws-access/me${query}`)
      .set('Authorization', auth);
    const ms = performance.now() - from;
    expect(response.status).toBe(200);
    expect(
      openApiProblems(
        'GET',
        '/me',
        200,
        response.headers['content-type'],
        response.body,
      ),
    ).toEqual([]);
    const body = response.body as Page;
    figures.push(
      `${what.padEnd(26)} ${ms.toFixed(0).padStart(5)} ms ${String(
        response.text.length,
      ).padStart(8)} B  ${body.page.returned}/${body.page.total}`,
    );
    return body;
  }

  const key = (g: UserAccess['grants'][number]) =>
    `${g.accountId}|${g.permissionSet.name}`;

  beforeAll(async () => {
    world = await startEmulatorWorld({ scenario: setup.scenario });
    const started = performance.now();
    backend = await startAccessBackend(world.emulators);
    const pat = world.emulators.scenario.entra.users.find(
      u => u.upn === setup.pat.upn,
    )!;
    auth = mockCredentials.user.header(
      entraUserEntityRef({ mail: pat.mail, userPrincipalName: pat.upn }),
    );
    for (let i = 0; i < 1200; i++) {
      const status = await request(backend.server)
        .get('/api/aws-access/sync/status')
        .set('Authorization', auth);
      if (status.body.snapshotVersion) break;
      await new Promise(r => setTimeout(r, 250));
    }
    figures.push(
      `first snapshot after ${Math.round(performance.now() - started)} ms`,
    );
  });

  afterAll(async () => {
    await backend?.stop();
    await world?.emulators.close();
    // Measurements for the README and the issue, not assertions.
    console.log(`/me for Pat (${ACCOUNTS} accounts):\n${figures.join('\n')}`);
  });

  it('answers the first page of 50 with the whole list’s summary, and no ~/.aws/config in it', async () => {
    const first = await me('first page', '?limit=50&offset=0');
    expect(first.summary).toMatchObject({
      members: 1,
      grants: ACCOUNTS * 3,
      matchingGrants: ACCOUNTS * 3,
      states: { active: ACCOUNTS * 2, pending: ACCOUNTS },
      permissionSets: [readOnly, powerUser, admin].sort(),
    });
    expect(first.grants).toHaveLength(50);
    expect(first.page).toMatchObject({
      offset: 0,
      returned: 50,
      nextOffset: 50,
    });
    expect(first).not.toHaveProperty('awsCliConfig');
    // A page of 50 grants is tens of kilobytes, not the megabyte a whole config made it.
    expect(JSON.stringify(first).length).toBeLessThan(60_000);
    await me('first page again', '?limit=50&offset=0');
  });

  it('pages through every grant by offset without gaps or repeats, by account', async () => {
    const seen: string[] = [];
    const names: string[] = [];
    for (let offset = 0; offset < ACCOUNTS * 3; offset += 500) {
      const page = await me(
        `page at ${offset} (500)`,
        `?limit=500&offset=${offset}`,
      );
      seen.push(...page.grants.map(key));
      names.push(...page.grants.map(g => g.accountName));
    }
    expect(seen).toHaveLength(ACCOUNTS * 3);
    expect(new Set(seen).size).toBe(ACCOUNTS * 3);
    const sorted = [...names].sort((a, b) => a.localeCompare(b, 'en'));
    expect(names).toEqual(sorted);
    const second = await me('page at 50', '?limit=50&offset=50');
    expect(second.grants.map(key)).toEqual(seen.slice(50, 100));
    const last = await me('last page', `?limit=50&offset=${ACCOUNTS * 3 - 50}`);
    expect(last.grants.map(key)).toEqual(seen.slice(-50));
    expect(last.page.nextOffset).toBeUndefined();
  });

  it('filters by account, OU, permission set, state and free text', async () => {
    const account = setup.scenario.identityCenter.accounts[1234];
    const byId = await me('account filter (id)', `?account=${account.id}`);
    expect(byId.grants.map(g => g.permissionSet.name).sort()).toEqual(
      [readOnly, powerUser, admin].sort(),
    );
    expect(byId.grants.every(g => g.accountId === account.id)).toBe(true);

    const sandbox = setup.scenario.identityCenter.accounts.filter(
      a => a.ou === 'Sandbox',
    );
    const byOu = await me('OU filter', '?ou=Sandbox&limit=50&offset=0');
    expect(byOu.page.total).toBe(sandbox.length * 3);
    expect(byOu.grants.every(g => g.accountOu === 'Sandbox')).toBe(true);
    await me('OU filter, page 2', '?ou=Sandbox&limit=50&offset=50');

    const byPs = await me(
      'permission set filter',
      `?permissionSet=${admin}&limit=50&offset=0`,
    );
    expect(byPs.page.total).toBe(ACCOUNTS);
    expect(byPs.grants.every(g => g.permissionSet.name === admin)).toBe(true);

    const pending = await me(
      'state filter',
      '?state=pending&limit=50&offset=0',
    );
    expect(pending.page.total).toBe(ACCOUNTS);
    expect(
      pending.grants.every(
        g => g.state === 'pending' && g.permissionSet.name === admin,
      ),
    ).toBe(true);
    expect(pending.summary.states).toEqual({ pending: ACCOUNTS });

    const staging = setup.scenario.identityCenter.accounts.filter(a =>
      a.name.includes('staging'),
    );
    const search = await me('search', '?q=staging&limit=50&offset=0');
    expect(search.page.total).toBeGreaterThanOrEqual(staging.length * 3);
    expect(
      search.grants.every(
        g =>
          g.accountName.includes('staging') ||
          g.accountOu?.toLowerCase().includes('staging'),
      ),
    ).toBe(true);
    await me('search, page 2', '?q=staging&limit=50&offset=50');

    const none = await me('search, no match', '?q=no-such-account');
    expect(none.grants).toEqual([]);
    expect(none.summary.grants).toBe(ACCOUNTS * 3);
  });

  it('downloads the whole ~/.aws/config: a profile per usable grant, none for the pending Admin', async () => {
    const from = performance.now();
    const response = await request(backend.server)
      .get('/api/aws-access/me/aws-cli-config')
      .set('Authorization', auth);
    figures.push(
      `${'cli config'.padEnd(26)} ${(performance.now() - from)
        .toFixed(0)
        .padStart(5)} ms ${String(response.text.length).padStart(8)} B`,
    );
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="aws-config"',
    );
    const profiles = response.text.match(/^\[profile /gm) ?? [];
    expect(profiles).toHaveLength(ACCOUNTS * 2);
    expect(response.text).not.toContain(admin.toLowerCase());
  });
});
