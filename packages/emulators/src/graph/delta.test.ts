import { type Client, ResponseType } from '@microsoft/microsoft-graph-client';
import { graphClient, startSeed } from '../__testUtils__/clients';
import type { Emulators } from '../startEmulators';

type DeltaPage = {
  value: Record<string, any>[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
};

describe('Graph delta queries', () => {
  let emulators: Emulators;
  let client: Client;
  const user = (upn: string) =>
    emulators.scenario.entra.users.find(u => u.upn === upn)!;
  const group = (name: string) =>
    emulators.scenario.entra.groups.find(g => g.name === name)!;

  /** Follows nextLinks to the end of a delta round; answers its items and the deltaLink. */
  async function round(start: string, headers: Record<string, string> = {}) {
    const items: Record<string, any>[] = [];
    let pages = 0;
    let page: DeltaPage = await client.api(start).headers(headers).get();
    for (;;) {
      pages++;
      items.push(...page.value);
      if (!page['@odata.nextLink']) break;
      page = await client.api(page['@odata.nextLink']).headers(headers).get();
    }
    return { items, pages, deltaLink: page['@odata.deltaLink']! };
  }

  beforeAll(async () => {
    emulators = await startSeed();
    ({ client } = graphClient(emulators));
  });
  afterAll(() => emulators.close());
  beforeEach(() => emulators.control.reset());

  it('should enumerate groups with members in pages, then return only membership changes', async () => {
    const initial = await round('/groups/delta?$select=displayName,members', {
      Prefer: 'odata.maxpagesize=3',
    });
    expect(initial.pages).toBe(3);
    expect(initial.deltaLink).toMatch(
      new RegExp(
        `^${emulators.graphBaseUrl}/v1.0/groups/delta\\?\\$deltatoken=[A-Za-z0-9_-]+$`,
      ),
    );
    expect(initial.items).toHaveLength(8);
    const analysts = initial.items.find(
      g => g.displayName === 'AWS-Data-Analysts',
    )!;
    expect(analysts['members@delta']).toEqual([
      { '@odata.type': '#microsoft.graph.group', id: group('Data-Team').id },
    ]);

    // Nothing changed: empty value, a new deltaLink.
    const quiet = await round(initial.deltaLink);
    expect(quiet.items).toEqual([]);

    await emulators.control.addGroupMember(
      'AWS-Developers-PowerUser',
      'priya@example.com',
    );
    await emulators.control.removeGroupMember(
      'AWS-Developers-ReadOnly',
      'tom@example.com',
    );
    const changed = await round(quiet.deltaLink);
    expect(changed.items).toEqual(
      expect.arrayContaining([
        {
          id: group('AWS-Developers-PowerUser').id,
          displayName: 'AWS-Developers-PowerUser',
          'members@delta': [
            {
              '@odata.type': '#microsoft.graph.user',
              id: user('priya@example.com').id,
            },
          ],
        },
        {
          id: group('AWS-Developers-ReadOnly').id,
          displayName: 'AWS-Developers-ReadOnly',
          'members@delta': [
            {
              '@odata.type': '#microsoft.graph.user',
              id: user('tom@example.com').id,
              '@removed': { reason: 'deleted' },
            },
          ],
        },
      ]),
    );
    expect(changed.items).toHaveLength(2);
    expect((await round(changed.deltaLink)).items).toEqual([]);
  });

  it('should honour a page-size preference only up to its own limit', async () => {
    const asked = await round('/users/delta?$select=displayName', {
      Prefer: 'odata.maxpagesize=999',
    });
    expect(asked.pages).toBe(1);
    expect(asked.items).toHaveLength(9);

    await emulators.control.updateSettings({ graphMaxDeltaPageSize: 4 });
    const capped = await round('/users/delta?$select=displayName', {
      Prefer: 'odata.maxpagesize=999',
    });
    expect(capped.pages).toBe(3);
    expect(capped.items.map(u => u.id).sort()).toEqual(
      asked.items.map(u => u.id).sort(),
    );
  });

  it("should cap delta pages at Graph's 200 and say Preference-Applied only when it honours the size", async () => {
    for (let i = 0; i < 230; i++)
      await emulators.control.createEntraUser({
        upn: `bulk${i}@example.com`,
        displayName: `Bulk ${i}`,
      });
    const raw = (prefer: string) =>
      client
        .api('/users/delta?$select=displayName')
        .header('Prefer', prefer)
        .responseType(ResponseType.RAW)
        .get() as Promise<Response>;

    const big = await raw('odata.maxpagesize=999');
    expect(big.headers.get('preference-applied')).toBeNull();
    const bigPage = await big.json();
    expect(bigPage.value).toHaveLength(200);
    expect(bigPage['@odata.nextLink']).toBeDefined();

    const small = await raw('odata.maxpagesize=50');
    expect(small.headers.get('preference-applied')).toBe(
      'odata.maxpagesize=50',
    );
    expect((await small.json()).value).toHaveLength(50);

    const all = await round('/users/delta?$select=displayName', {
      Prefer: 'odata.maxpagesize=999',
    });
    expect(all.pages).toBe(2);
    expect(all.items).toHaveLength(239);
  }, 60_000);

  it("should split a large group's members@delta into chunks, removals apart, the group's properties last", async () => {
    await emulators.control.updateSettings({ graphDeltaMembersChunkSize: 2 });
    const backend = group('Backend-Team');
    const initial = await round('/groups/delta?$select=displayName,members', {
      Prefer: 'odata.maxpagesize=3',
    });
    const chunks = initial.items.filter(i => i.id === backend.id);
    // 5 members in chunks of 2: the group three times, only the last with its properties.
    expect(chunks.map(c => c['members@delta'].length)).toEqual([2, 2, 1]);
    expect(chunks.map(c => c.displayName)).toEqual([
      undefined,
      undefined,
      'Backend-Team',
    ]);
    expect(
      chunks.flatMap(c => c['members@delta'].map((m: any) => m.id)).sort(),
    ).toEqual(
      ['aamir', 'shen.li', 'alex', 'maria', 'priya']
        .map(u => user(`${u}@example.com`).id)
        .sort(),
    );
    // Scattered: the chunks are not adjacent, every other group's first chunk comes between them.
    const at = initial.items.flatMap((i, n) =>
      i.id === backend.id ? [n] : [],
    );
    expect(at[1] - at[0]).toBeGreaterThan(1);
    expect(new Set(initial.items.map(i => i.id)).size).toBe(8);

    await emulators.control.addGroupMember('Backend-Team', 'tom@example.com');
    await emulators.control.addGroupMember('Backend-Team', 'olu@example.com');
    await emulators.control.addGroupMember('Backend-Team', 'sara@example.com');
    await emulators.control.removeGroupMember(
      'Backend-Team',
      'priya@example.com',
    );
    const changed = await round(initial.deltaLink);
    expect(
      changed.items.map(c =>
        c['members@delta']
          .map((m: any) => (m['@removed'] ? '-' : '+'))
          .join(''),
      ),
    ).toEqual(['++', '+', '-']);
    expect(changed.items[2]).toMatchObject({ displayName: 'Backend-Team' });
  });

  it('should report user changes, soft deletes and hard deletes', async () => {
    const initial = await round(
      '/users/delta?$select=userPrincipalName,accountEnabled',
    );
    expect(initial.items).toHaveLength(9);
    expect(initial.items[0]).toEqual({
      id: expect.any(String),
      userPrincipalName: expect.any(String),
      accountEnabled: expect.any(Boolean),
    });

    await emulators.control.createEntraUser({
      upn: 'new.hire@example.com',
      displayName: 'New Hire',
    });
    await emulators.control.setEntraUserEnabled('tom@example.com', false);
    await emulators.control.deleteEntraUser('priya@example.com');
    await emulators.control.deleteEntraUser('olu@example.com', {
      permanent: true,
    });
    const changed = await round(initial.deltaLink);
    const byId = new Map(changed.items.map(i => [i.id, i]));
    expect(byId.get(user('tom@example.com').id)).toEqual({
      id: user('tom@example.com').id,
      userPrincipalName: 'tom@example.com',
      accountEnabled: false,
    });
    expect(byId.get(user('priya@example.com').id)).toEqual({
      id: user('priya@example.com').id,
      '@removed': { reason: 'changed' },
    });
    expect(byId.get(user('olu@example.com').id)).toEqual({
      id: user('olu@example.com').id,
      '@removed': { reason: 'deleted' },
    });
    expect(
      changed.items.find(i => i.userPrincipalName === 'new.hire@example.com'),
    ).toMatchObject({ accountEnabled: true });
    expect(changed.items).toHaveLength(4);
  });

  it('should support $deltatoken=latest and $filter by id', async () => {
    const latest = await client.api('/groups/delta?$deltatoken=latest').get();
    expect(latest.value).toEqual([]);
    await emulators.control.addGroupMember(
      'AWS-Developers-Admin',
      'maria@example.com',
    );
    const changed = await round(latest['@odata.deltaLink']);
    expect(changed.items.map(i => i.displayName)).toEqual([
      'AWS-Developers-Admin',
    ]);

    const filtered = await round(
      `/users/delta?$filter=id eq '${user('noah@example.com').id}'`,
    );
    expect(filtered.items.map(i => i.userPrincipalName)).toEqual([
      'noah@example.com',
    ]);
    await expect(
      client.api("/users/delta?$filter=startswith(displayName,'a')").get(),
    ).rejects.toMatchObject({ statusCode: 400 });
  });

  it('should answer expired and unknown delta tokens with 410', async () => {
    const { deltaLink } = await round('/users/delta');
    await emulators.control.expireDeltaTokens();
    await expect(client.api(deltaLink).get()).rejects.toMatchObject({
      statusCode: 410,
      code: 'syncStateNotFound',
    });
    await expect(
      client.api('/users/delta?$deltatoken=garbage').get(),
    ).rejects.toMatchObject({ statusCode: 410, code: 'resyncRequired' });
    const fresh = await round('/groups/delta');
    await emulators.control.reset();
    await expect(client.api(fresh.deltaLink).get()).rejects.toMatchObject({
      statusCode: 410,
    });
  });
});
