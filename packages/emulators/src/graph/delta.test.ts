import type { Client } from '@microsoft/microsoft-graph-client';
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
