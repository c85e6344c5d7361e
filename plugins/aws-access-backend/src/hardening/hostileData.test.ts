import { mockCredentials } from '@backstage/backend-test-utils';
import { entraGroupEntityRef } from '@aws-access/plugin-aws-access-common';
import request from 'supertest';
import { HOSTILE_SCENARIO } from '@aws-access/test-utils';
import { startEmulatorWorld } from '../__testUtils__/emulatorWorld';
import { ownershipOf, startAccessBackend } from '../__testUtils__/testBackend';

/*
 * Issue 11, bad input from upstream: a tenant and an organization whose names are hostile (unicode, bidi control
 * characters, 256 characters, duplicates, two groups that normalize to one entity name, HTML, spreadsheet formula
 * prefixes). The sync must commit, the API must answer every person, refs must be deterministic, and CSV must not
 * hand a spreadsheet anything to run.
 */

jest.setTimeout(90_000);

const SARA = 'user:default/sara_example.com';
const as = (ref: string) => mockCredentials.user.header(ref);

/** RFC 4180 parsing of our CSV (every cell quoted, CRLF line ends). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('hostile names from Entra and AWS', () => {
  let world: Awaited<ReturnType<typeof startEmulatorWorld>>;
  let backend: Awaited<ReturnType<typeof startAccessBackend>>;
  const api = () => request(backend.server);

  beforeAll(async () => {
    world = await startEmulatorWorld({ scenario: HOSTILE_SCENARIO });
    backend = await startAccessBackend(world.emulators);
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

  const hostileUsers = () =>
    world.emulators.scenario.entra.users.filter(
      u => !/^(aamir|shen\.li|alex|maria|priya|tom|olu|sara|noah)@/.test(u.upn),
    );

  it('commits the snapshot and answers every person with their names as given', async () => {
    const status = await api()
      .get('/api/aws-access/sync/status')
      .set('Authorization', as(SARA));
    expect(status.body.lastRun).toMatchObject({ outcome: 'succeeded' });
    const users = hostileUsers();
    expect(users.map(u => u.displayName)).toEqual(
      expect.arrayContaining([
        '<script>alert("xss")</script>',
        '=HYPERLINK("http://evil.example","click")',
        '+SUM(1,2)',
        '-2+3',
        '@SUM(A1)',
      ]),
    );
    expect(users.some(u => u.displayName.length === 256)).toBe(true);
    for (const user of users) {
      const ref = `user:default/${user.upn.replace('@', '_')}`;
      const me = await api()
        .get('/api/aws-access/me')
        .set('Authorization', as(ref));
      expect({ ref, status: me.status }).toEqual({ ref, status: 200 });
      // JSON carries the name as text; escaping is the renderer's job (see the frontend's hostile-name tests).
      expect(me.body.user).toMatchObject({
        entityRef: ref,
        displayName: user.displayName,
      });
      expect(me.body.grants.length).toBeGreaterThan(0);
    }
  });

  it('keeps people with the same display name apart', async () => {
    const one = await api()
      .get('/api/aws-access/me')
      .set('Authorization', as('user:default/sam.smith_example.com'));
    const two = await api()
      .get('/api/aws-access/me')
      .set('Authorization', as('user:default/sam.smith2_example.com'));
    expect(one.body.user.displayName).toBe('Sam Smith');
    expect(two.body.user.displayName).toBe('Sam Smith');
    const grants = (body: any) =>
      body.grants
        .map(
          (g: any) =>
            `${g.accountName}/${g.permissionSet.name}/${g.via.map(
              (v: any) => v.name,
            )}`,
        )
        .sort();
    expect(grants(one.body).length).toBeGreaterThan(0);
    expect(grants(two.body).length).toBeGreaterThan(0);
    expect(grants(one.body).every((g: string) => g.endsWith('/Team A'))).toBe(
      true,
    );
    expect(grants(two.body).every((g: string) => g.endsWith('/team_a'))).toBe(
      true,
    );
  });

  it('resolves the two groups that normalize to group:default/team_a to one of them, the one the catalog keeps', async () => {
    const { groups } = world.emulators.scenario.entra;
    const colliding = groups.filter(
      g =>
        entraGroupEntityRef({
          displayName: g.name,
          securityEnabled: g.securityEnabled,
        }) === 'group:default/team_a',
    );
    expect(colliding.map(g => g.name).sort()).toEqual(['Team A', 'team_a']);
    // The catalog module keeps the group with the smallest Entra id under a contested name (and skips the other).
    const kept = [...colliding].sort((a, b) => a.id.localeCompare(b.id))[0];
    for (let i = 0; i < 3; i++) {
      const response = await api()
        .get('/api/aws-access/groups/group:default%2Fteam_a')
        .set('Authorization', as(SARA));
      expect(response.status).toBe(200);
      expect(response.body.group).toMatchObject({ name: kept.name });
    }
    // A member of the kept group reads it; its members are the kept group's members, never the other group's.
    const member = kept.members[0];
    const memberRef = `user:default/${member.replace('@', '_')}`;
    expect(ownershipOf(world.emulators, memberRef)).toContain(
      'group:default/team_a',
    );
    const asMember = await api()
      .get('/api/aws-access/groups/group:default%2Fteam_a')
      .set('Authorization', as(memberRef));
    expect(asMember.status).toBe(200);
    const other = colliding.find(g => g !== kept)!;
    const memberRefs = asMember.body.members.map((m: any) => m.user.entityRef);
    for (const upn of other.members)
      expect(memberRefs).not.toContain(`user:default/${upn.replace('@', '_')}`);
  });

  it('escapes every CSV cell a spreadsheet would run as a formula, and keeps the text', async () => {
    const csv = await api()
      .get('/api/aws-access/report?format=csv')
      .set('Authorization', as(SARA));
    expect(csv.status).toBe(200);
    const rows = parseCsv(csv.text);
    expect(rows.length).toBeGreaterThan(30);
    const cells = rows.flat();
    // No cell starts with = + - @ (or tab/CR): those that did carry a leading quote.
    expect(cells.filter(cell => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
    for (const name of [
      '=HYPERLINK("http://evil.example","click")',
      '+SUM(1,2)',
      '-2+3',
      '@SUM(A1)',
      '=HYPERLINK',
      '@Formula',
      '+Plus',
      '-Minus',
    ]) {
      expect({ name, escaped: cells.includes(`'${name}`) }).toEqual({
        name,
        escaped: true,
      });
    }
    expect(cells).toContain('<script>alert("xss")</script>');
    // Every row has the header's columns, whatever quotes and commas the names hold.
    expect(new Set(rows.map(r => r.length))).toEqual(new Set([rows[0].length]));
  });

  it('serves accounts and permission sets with hostile names and looks them up by name', async () => {
    const accounts = await api()
      .get('/api/aws-access/accounts')
      .set('Authorization', as(SARA));
    expect(accounts.body.accounts.map((a: any) => a.name)).toEqual(
      expect.arrayContaining([
        '<script>alert(1)</script>',
        '=HYPERLINK("http://evil.example")',
        'Payments Prod',
        'payments-prod',
        'Zürich ☃ 李',
      ]),
    );
    for (const name of ['=HYPERLINK', '@Formula', '+Plus', '-Minus']) {
      const ps = await api()
        .get(`/api/aws-access/permission-sets/${encodeURIComponent(name)}`)
        .set('Authorization', as(SARA));
      expect({ name, status: ps.status }).toEqual({ name, status: 200 });
    }
  });

  it('derives the same refs from the next snapshot (deterministic)', async () => {
    const refsOf = async () => {
      const projection = await api()
        .get('/api/aws-access/catalog/projection')
        .set('Authorization', mockCredentials.service.header());
      const report = await api()
        .get('/api/aws-access/report?format=json')
        .set('Authorization', as(SARA));
      return {
        version: projection.body.snapshotVersion,
        groups: projection.body.entraGroups
          .map((g: any) => `${g.id} ${g.displayName}`)
          .sort(),
        users: [
          ...new Set(report.body.rows.map((r: any) => r.userEntityRef)),
        ].sort(),
      };
    };
    const first = await refsOf();
    expect(
      (await api().post('/api/aws-access/sync').set('Authorization', as(SARA)))
        .status,
    ).toBe(202);
    const second = await refsOf();
    expect(second.version).toBeGreaterThan(first.version);
    expect(second.groups).toEqual(first.groups);
    expect(second.users).toEqual(first.users);
  });
});
