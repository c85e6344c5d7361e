import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  AccessPage,
  AccessSummary,
  GroupAccess,
} from '@aws-access/plugin-aws-access-common';
import {
  entraUserEntityRef,
  grantStates,
} from '@aws-access/plugin-aws-access-common';
import { generateScenario, scenarioToYaml } from '@aws-access/emulators';
import request from 'supertest';
import { startEmulatorWorld } from '../__testUtils__/emulatorWorld';
import { startAccessBackend } from '../__testUtils__/testBackend';
import { openApiProblems } from '../__testUtils__/openapi';

jest.setTimeout(120_000);

/*
 * Paging of the access lists on a generated organisation with a 200-member team (Paging-Team, not assigned to
 * AWS: its members' access comes through their other groups), the shape the team matrix and the bench ask about.
 */

const TEAM = 'group:default/paging-team';
const as = (ref: string) => mockCredentials.user.header(ref);

function scenarioFile(): { file: string; members: string[] } {
  const scenario = generateScenario({
    seed: 'paging',
    accounts: 40,
    permissionSets: 8,
    pairs: 160,
    users: 240,
    entraGroups: 14,
    assignedGroups: 8,
    nestingRatio: 0.1,
    driftRatio: 0.05,
  });
  const entra = scenario.entra!;
  const members = entra.users
    .filter(u => u.enabled !== false)
    .slice(0, 200)
    .map(u => u.upn);
  entra.groups.push({ name: 'Paging-Team', members, securityEnabled: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-access-paging-'));
  const file = path.join(dir, 'paging-org.yaml');
  fs.writeFileSync(file, scenarioToYaml(scenario));
  return { file, members };
}

type GroupPage = GroupAccess & { summary: AccessSummary; page: AccessPage };

/** (member, account, permission set) of every grant in a page, in page order. */
const rowsOf = (body: {
  members?: GroupAccess['members'];
  people?: GroupAccess['members'];
}) =>
  (body.members ?? body.people)!.flatMap(m =>
    m.grants.map(
      g => `${m.user.entityRef}|${g.accountId}|${g.permissionSet.name}`,
    ),
  );

describe('paged access lists', () => {
  const setup = scenarioFile();
  let world: Awaited<ReturnType<typeof startEmulatorWorld>>;
  let backend: Awaited<ReturnType<typeof startAccessBackend>>;
  let api: ReturnType<typeof request>;
  let lead: string;

  const get = async (route: string, who = lead) => {
    const response = await api
      .get(`/api/aws-access${route}`)
      .set('Authorization', as(who));
    if (response.status === 200 && response.type === 'application/json')
      expect(
        openApiProblems(
          'GET',
          route,
          200,
          response.headers['content-type'],
          response.body,
        ),
      ).toEqual([]);
    return response;
  };
  const team = (query = '') =>
    get(`/groups/${encodeURIComponent(TEAM)}${query}`);

  /** Every page of a list by following nextCursor; checks each stays under 500 KB. */
  async function walk(route: string, query: string) {
    const pages: GroupPage[] = [];
    let cursor: string | undefined;
    do {
      const response = await get(
        `${route}?${query}${
          cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
        }`,
      );
      expect(response.status).toBe(200);
      expect(response.text.length).toBeLessThanOrEqual(500_000);
      pages.push(response.body);
      cursor = response.body.page.nextCursor;
    } while (cursor && pages.length < 100);
    return pages;
  }

  beforeAll(async () => {
    world = await startEmulatorWorld({ scenario: setup.file });
    const first = world.emulators.scenario.entra.users.find(
      u => u.upn === setup.members[0],
    )!;
    lead = entraUserEntityRef({
      mail: first.mail,
      userPrincipalName: first.upn,
    });
    backend = await startAccessBackend(world.emulators, {
      // The team lead reads every group here; who may read a group is the router tests' concern.
      decideFirst: () => ({ result: AuthorizeResult.ALLOW }),
    });
    api = request(backend.server);
    for (let i = 0; i < 300; i++) {
      const status = await api
        .get('/api/aws-access/sync/status')
        .set('Authorization', as(lead));
      if (status.body.snapshotVersion) break;
      await new Promise(r => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    await backend?.stop();
    await world?.emulators.close();
  });

  it('answers a 200-member team with a summary and its first page, the old fields holding that page', async () => {
    const response = await team();
    expect(response.status).toBe(200);
    const body = response.body as GroupPage;
    expect(body.summary.members).toBe(200);
    expect(body.page).toMatchObject({
      sort: 'member',
      order: 'asc',
      limit: 200,
      offset: 0,
      returned: 200,
    });
    expect(body.page.total).toBeGreaterThan(1000);
    expect(body.summary.matchingGrants).toBe(body.page.total);
    expect(rowsOf(body)).toHaveLength(200);
    expect(body.page.nextCursor).toEqual(expect.any(String));
    expect(body.page.nextOffset).toBe(200);
    // The matrix's columns: every account a member reaches, by name.
    const names = body.summary.accounts!.map(a => a.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect(response.text.length).toBeLessThanOrEqual(500_000);
  });

  it('walks the whole team by cursor without gaps or repeats, in member order, and offsets agree', async () => {
    const pages = await walk(
      `/groups/${encodeURIComponent(TEAM)}`,
      'limit=500',
    );
    const rows = pages.flatMap(rowsOf);
    expect(new Set(rows).size).toBe(rows.length);
    expect(rows).toHaveLength(pages[0].summary.matchingGrants);
    expect(pages.length).toBe(Math.ceil(rows.length / 500));
    const names = pages.flatMap(p => p.members.map(m => m.user.displayName));
    for (let i = 1; i < names.length; i++)
      expect(names[i - 1].localeCompare(names[i], 'en')).toBeLessThanOrEqual(0);
    // Offsets give the same rows.
    const second = await team('?limit=500&offset=500');
    expect(rowsOf(second.body)).toEqual(rowsOf(pages[1]));
    // Each member's grants are theirs: the same as their own page.
    const member = pages[1].members[0];
    const own = await get(
      `/users/${encodeURIComponent(member.user.entityRef)}?limit=500`,
    );
    const inTeam = pages
      .flatMap(p => p.members)
      .filter(m => m.user.entityRef === member.user.entityRef)
      .flatMap(m => m.grants.map(g => `${g.accountId}|${g.permissionSet.name}`))
      .sort();
    expect(
      own.body.grants
        .map((g: any) => `${g.accountId}|${g.permissionSet.name}`)
        .sort(),
    ).toEqual(inTeam);
  });

  it('filters by member, account and state, and sorts by account or state either way', async () => {
    const first = (await team()).body as GroupPage;
    const account = first.summary.accounts![3];
    const byAccount = (await team(`?account=${account.id}&limit=500`))
      .body as GroupPage;
    expect(byAccount.page.total).toBeGreaterThan(0);
    expect(
      byAccount.members.every(m =>
        m.grants.every(g => g.accountId === account.id),
      ),
    ).toBe(true);
    expect(byAccount.summary.accounts).toEqual([account]);

    const someone = first.members[first.members.length - 1].user;
    const fragment = someone.displayName.split(' ').pop()!; // the unique number
    const byMember = (await team(`?member=${fragment}`)).body as GroupPage;
    expect(byMember.members.map(m => m.user.entityRef)).toContain(
      someone.entityRef,
    );
    expect(
      byMember.members.every(m => m.user.displayName.includes(fragment)),
    ).toBe(true);

    const states = Object.keys(first.summary.states);
    const rare = states.find(s => s !== 'active')!;
    const byState = (await team(`?state=${rare}`)).body as GroupPage;
    expect(byState.page.total).toBe(first.summary.states[rare as 'pending']);
    expect(
      byState.members.every(m => m.grants.every(g => g.state === rare)),
    ).toBe(true);
    expect(Object.keys(byState.summary.states)).toEqual([rare]);

    const sortedByAccount = (await team('?sort=account&order=desc&limit=50'))
      .body as GroupPage;
    const accountNames = sortedByAccount.members.flatMap(m =>
      m.grants.map(g => g.accountName),
    );
    expect(accountNames[0]).toBe(
      first.summary.accounts![first.summary.accounts!.length - 1].name,
    );
    const bySeverity = (await team('?sort=state&limit=500')).body as GroupPage;
    const order = ['revoking', 'stuck', 'pending', 'unsupported-nesting'];
    const seen = bySeverity.members.flatMap(m => m.grants.map(g => g.state));
    expect(seen[0]).toBe(order.find(s => states.includes(s)));
  });

  it('refuses bad paging parameters, naming the parameter and what it accepts', async () => {
    const cases: Array<[string, string]> = [
      ['?limit=0', 'Invalid query.limit: must be an integer from 1 to 500'],
      ['?limit=501', 'Invalid query.limit: must be an integer from 1 to 500'],
      ['?limit=ten', 'Invalid query.limit: must be an integer from 1 to 500'],
      ['?offset=-1', 'Invalid query.offset: must be an integer of 0 or more'],
      [
        '?sort=name',
        'Invalid query.sort: must be one of member, account, state',
      ],
      ['?order=up', 'Invalid query.order: must be one of asc, desc'],
      [
        '?state=active,gone',
        `Invalid query.state: must be a comma-separated list of ${grantStates.join(
          ', ',
        )}`,
      ],
      [
        '?cursor=not-a-cursor',
        'Invalid query.cursor: must be the nextCursor of an earlier page',
      ],
      ['?bogus=1', 'Invalid query.bogus: is not a parameter of this route'],
    ];
    for (const [query, message] of cases) {
      const response = await team(query);
      expect([query, response.status, response.body.error?.message]).toEqual([
        query,
        400,
        message,
      ]);
    }
    const { nextCursor } = ((await team('?limit=10')).body as GroupPage).page;
    const both = await team(
      `?offset=10&cursor=${encodeURIComponent(nextCursor!)}`,
    );
    expect(both.body.error.message).toBe(
      'Invalid query.cursor: give either cursor or offset, not both',
    );
    const otherFilter = await team(
      `?state=active&cursor=${encodeURIComponent(nextCursor!)}`,
    );
    expect(otherFilter.status).toBe(400);
    expect(otherFilter.body.error.message).toBe(
      'Invalid query.cursor: was made for another sort or filter; start again without a cursor',
    );
  });

  it('streams the whole team as formula-safe CSV in the report columns', async () => {
    const first = (await team()).body as GroupPage;
    const response = await get(`/groups/${encodeURIComponent(TEAM)}/export`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toMatch(
      /attachment; filename="team-access-Paging-Team-v\d+\.csv"/,
    );
    const lines = response.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'user,user_ref,account,account_id,permission_set,session_duration,via,state',
    );
    expect(lines).toHaveLength(first.summary.matchingGrants + 1);
    expect(lines.slice(1).every(line => line.startsWith('"'))).toBe(true);
    const filtered = await get(
      `/groups/${encodeURIComponent(TEAM)}/export?state=active`,
    );
    expect(filtered.text.trimEnd().split('\r\n')).toHaveLength(
      (first.summary.states.active ?? 0) + 1,
    );
    expect(
      backend.auditEvents.filter(e => e.eventId === 'group-access-export'),
    ).toHaveLength(2);
  });

  it('pages an account’s people and a person’s own grants the same way', async () => {
    const first = (await team()).body as GroupPage;
    const busiest = first.summary.accounts![0];
    const pages = await walk(`/accounts/${busiest.id}`, 'limit=7');
    const rows = pages.flatMap(rowsOf);
    expect(new Set(rows).size).toBe(rows.length);
    expect(rows).toHaveLength(pages[0].summary.matchingGrants);
    expect(pages.length).toBeGreaterThan(1);
    expect(rows.every(r => r.split('|')[1] === busiest.id)).toBe(true);

    const mine = await walk('/me', 'limit=3&sort=account');
    const grants = mine.flatMap(p => (p as any).grants as any[]);
    expect(grants.length).toBe(mine[0].summary.matchingGrants);
    expect(grants.length).toBeGreaterThan(3);
    const names = grants.map(g => g.accountName);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
  });
});
