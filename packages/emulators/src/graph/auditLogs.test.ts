import type { Client } from '@microsoft/microsoft-graph-client';
import { graphClient, SEED_SCENARIO } from '../__testUtils__/clients';
import { loadScenario } from '../scenario/parse';
import type { Emulators } from '../startEmulators';
import { startEmulators } from '../startEmulators';

/*
 * /auditLogs/directoryAudits tells when each drift began (the scenario's sinceSeconds before `now`), so the
 * product can age a pending grant; control-API changes are logged at the emulator clock.
 */

const NOW = '2026-11-30T09:00:00.000Z';
const at = (secondsBefore: number) =>
  new Date(Date.parse(NOW) - secondsBefore * 1000).toISOString();

describe('Graph audit logs', () => {
  let emulators: Emulators;
  let client: Client;
  const user = (upn: string) =>
    emulators.scenario.entra.users.find(u => u.upn === upn)!;
  const group = (name: string) =>
    emulators.scenario.entra.groups.find(g => g.name === name)!;

  beforeAll(async () => {
    emulators = await startEmulators({
      scenario: { ...loadScenario(SEED_SCENARIO), now: NOW },
      autoScim: false,
    });
    ({ client } = graphClient(emulators));
  });
  afterAll(() => emulators.close());
  beforeEach(() => emulators.control.reset());

  it("should record the seed's joiner, mover and leaver at their times", async () => {
    const { value } = await client.api('/auditLogs/directoryAudits').get();
    const summary = value.map(
      (e: {
        activityDisplayName: string;
        activityDateTime: string;
        targetResources: {
          userPrincipalName: string | null;
          displayName: string;
        }[];
      }) => ({
        activity: e.activityDisplayName,
        at: e.activityDateTime,
        targets: e.targetResources.map(
          t => t.userPrincipalName ?? t.displayName,
        ),
      }),
    );
    expect(summary).toEqual(
      expect.arrayContaining([
        { activity: 'Add user', at: at(600), targets: ['aamir@example.com'] },
        {
          activity: 'Add member to group',
          at: at(600),
          targets: ['aamir@example.com', 'AWS-Developers-ReadOnly'],
        },
        {
          activity: 'Add member to group',
          at: at(900),
          targets: ['shen.li@example.com', 'AWS-Developers-PowerUser'],
        },
        {
          activity: 'Remove member from group',
          at: at(900),
          targets: ['shen.li@example.com', 'AWS-Developers-ReadOnly'],
        },
        {
          activity: 'Disable account',
          at: at(900),
          targets: ['alex@example.com'],
        },
      ]),
    );
    // Newest first.
    expect(
      value[0].activityDateTime >= value[value.length - 1].activityDateTime,
    ).toBe(true);
    const add = value.find(
      (e: { activityDisplayName: string; targetResources: { id: string }[] }) =>
        e.activityDisplayName === 'Add member to group' &&
        e.targetResources[0].id === user('aamir@example.com').id,
    );
    expect(add).toMatchObject({
      category: 'GroupManagement',
      loggedByService: 'Core Directory',
      result: 'success',
      operationType: 'Add',
      targetResources: [
        {
          id: user('aamir@example.com').id,
          type: 'User',
          modifiedProperties: expect.arrayContaining([
            {
              displayName: 'Group.ObjectID',
              oldValue: null,
              newValue: `"${group('AWS-Developers-ReadOnly').id}"`,
            },
          ]),
        },
        { id: group('AWS-Developers-ReadOnly').id, type: 'Group' },
      ],
    });
  });

  it('should filter by activityDateTime and by target', async () => {
    const recent = await client
      .api('/auditLogs/directoryAudits')
      .filter(`activityDateTime ge ${at(700)}`)
      .get();
    expect(
      recent.value
        .map((e: { activityDisplayName: string }) => e.activityDisplayName)
        .sort(),
    ).toEqual(['Add member to group', 'Add user']);
    const shen = await client
      .api('/auditLogs/directoryAudits')
      .filter(
        `targetResources/any(t: t/id eq '${user('shen.li@example.com').id}')`,
      )
      .get();
    expect(shen.value).toHaveLength(2);
    const paged = await client.api('/auditLogs/directoryAudits').top(2).get();
    expect(paged.value).toHaveLength(2);
    expect(paged['@odata.nextLink']).toContain('$skiptoken=');
  });

  it('should log control-API changes at the emulator clock', async () => {
    await emulators.control.advanceClock(120);
    const { now } = await emulators.control.getClock();
    await emulators.control.createEntraUser({
      upn: 'lee@example.com',
      displayName: 'Lee Park',
    });
    await emulators.control.addGroupMember(
      'AWS-Developers-Admin',
      'lee@example.com',
    );
    await emulators.control.setEntraUserEnabled('tom@example.com', false);
    const { value } = await client
      .api('/auditLogs/directoryAudits')
      .filter(`activityDateTime ge ${at(1)}`)
      .get();
    expect(
      value
        .map((e: { activityDisplayName: string }) => e.activityDisplayName)
        .sort(),
    ).toEqual([
      'Add member to group',
      'Add user',
      'Disable account',
      'Update user',
    ]);
    for (const entry of value) {
      expect(
        Math.abs(Date.parse(entry.activityDateTime) - Date.parse(now)),
      ).toBeLessThan(5000);
    }
  });
});
