import { ListGroupMembershipsCommand } from '@aws-sdk/client-identitystore';
import type { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import type { Client } from '@microsoft/microsoft-graph-client';
import { awsClients, graphClient, startSeed } from '../__testUtils__/clients';
import type { Emulators } from '../startEmulators';

/*
 * PIM for Groups through the real Graph client, on the emulator clock. Expected shapes: Microsoft Graph v1.0
 * reference, privilegedaccessgroup-post-assignmentschedulerequests.md (201, status Provisioned, targetScheduleId),
 * privilegedaccessgroup-list-assignmentschedules.md (filter by groupId and principalId).
 */

const PIM = '/identityGovernance/privilegedAccess/group';

describe('Graph PIM for Groups', () => {
  let emulators: Emulators;
  let client: Client;
  let store: IdentitystoreClient;
  const user = (upn: string) =>
    emulators.scenario.entra.users.find(u => u.upn === upn)!;
  const group = (name: string) =>
    emulators.scenario.entra.groups.find(g => g.name === name)!;
  const ADMIN = 'AWS-Payments-Prod-Admin';
  const request = (
    action: string,
    upn: string,
    extra: Record<string, unknown> = {},
  ) =>
    client.api(`${PIM}/assignmentScheduleRequests`).post({
      accessId: 'member',
      principalId: user(upn).id,
      groupId: group(ADMIN).id,
      action,
      justification: 'INC-42 payments outage',
      ...extra,
    });
  const forOneHour = {
    scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT1H' } },
  };
  const scoped = (kind: string, upn: string) =>
    client
      .api(`${PIM}/${kind}`)
      .filter(
        `groupId eq '${group(ADMIN).id}' and principalId eq '${user(upn).id}'`,
      )
      .get();
  const memberIds = async () =>
    (
      await client
        .api(`/groups/${group(ADMIN).id}/members`)
        .select('id')
        .get()
    ).value.map((m: { id: string }) => m.id);
  const awsMembers = async () => {
    const { GroupMemberships } = await store.send(
      new ListGroupMembershipsCommand({
        IdentityStoreId: emulators.scenario.identityCenter.identityStoreId,
        GroupId: group(ADMIN).identityStoreGroupId,
      }),
    );
    return GroupMemberships!.length;
  };

  beforeAll(async () => {
    emulators = await startSeed();
    ({ client } = graphClient(emulators));
    store = awsClients(emulators).identityStore;
  });
  afterAll(() => emulators.close());
  beforeEach(() => emulators.control.reset());

  it('should assign membership for a duration, and end it by itself at expiry on the emulator clock', async () => {
    const start = await client.api('/groups/delta?$deltatoken=latest').get();
    const created = await request(
      'adminAssign',
      'priya@example.com',
      forOneHour,
    );
    expect(created).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'Provisioned',
      action: 'adminAssign',
      accessId: 'member',
      principalId: user('priya@example.com').id,
      groupId: group(ADMIN).id,
      justification: 'INC-42 payments outage',
      isValidationOnly: false,
      scheduleInfo: {
        expiration: { type: 'afterDuration', duration: 'PT1H' },
      },
      targetScheduleId: `${group(ADMIN).id}_member_${created.id}`,
    });
    expect(await memberIds()).toEqual([user('priya@example.com').id]);

    const { value: schedules } = await scoped(
      'assignmentSchedules',
      'priya@example.com',
    );
    expect(schedules).toEqual([
      expect.objectContaining({
        id: created.targetScheduleId,
        status: 'Provisioned',
        accessId: 'member',
        memberType: 'direct',
        assignmentType: 'assigned',
        createdUsing: created.id,
      }),
    ]);
    const { value: instances } = await scoped(
      'assignmentScheduleInstances',
      'priya@example.com',
    );
    const startMs = Date.parse(created.scheduleInfo.startDateTime);
    expect(instances).toEqual([
      expect.objectContaining({
        assignmentScheduleId: created.targetScheduleId,
        endDateTime: new Date(startMs + 3600_000).toISOString(),
      }),
    ]);
    await emulators.control.runScimCycle();
    expect(await awsMembers()).toBe(1);

    // Past the end: Entra removes the member on its own, and the next SCIM cycle (due within the hour) follows.
    const advanced = await emulators.control.advanceClock(3601);
    expect(advanced.cycle).toBeDefined();
    expect(await memberIds()).toEqual([]);
    expect(await awsMembers()).toBe(0);
    expect(
      (await scoped('assignmentScheduleInstances', 'priya@example.com')).value,
    ).toEqual([]);
    expect(
      (await scoped('assignmentSchedules', 'priya@example.com')).value,
    ).toEqual([]);

    const delta = await client.api(start['@odata.deltaLink']).get();
    expect(delta.value[0]['members@delta']).toEqual([
      {
        '@odata.type': '#microsoft.graph.user',
        id: user('priya@example.com').id,
        '@removed': { reason: 'deleted' },
      },
    ]);
    const { value: audits } = await client
      .api('/auditLogs/directoryAudits')
      .filter("activityDisplayName eq 'Remove member from group'")
      .get();
    const removal = audits.find(
      (a: { targetResources: { id: string }[] }) =>
        a.targetResources[1].id === group(ADMIN).id,
    );
    // Dated at the expiry, not at the moment someone looked.
    expect(
      Math.abs(Date.parse(removal.activityDateTime) - (startMs + 3600_000)),
    ).toBeLessThan(1000);
  });

  it('should remove an assignment before expiry with adminRemove (Revoked)', async () => {
    await request('adminAssign', 'priya@example.com', forOneHour);
    const removed = await request('adminRemove', 'priya@example.com');
    expect(removed).toMatchObject({ action: 'adminRemove', status: 'Revoked' });
    expect(await memberIds()).toEqual([]);
    const state = await emulators.control.getState();
    expect(state.entra.pimAssignments).toEqual([]);
  });

  it('should start a future assignment when its time comes, and list it meanwhile', async () => {
    const { now } = await emulators.control.getClock();
    const startAt = new Date(Date.parse(now) + 600_000).toISOString();
    const endAt = new Date(Date.parse(now) + 1200_000).toISOString();
    const scheduled = await request('adminAssign', 'tom@example.com', {
      scheduleInfo: {
        startDateTime: startAt,
        expiration: { type: 'afterDateTime', endDateTime: endAt },
      },
    });
    expect(scheduled.status).toBe('ScheduleCreated');
    expect(await memberIds()).toEqual([]);
    expect(
      (await scoped('assignmentSchedules', 'tom@example.com')).value,
    ).toHaveLength(1);
    expect(
      (await scoped('assignmentScheduleInstances', 'tom@example.com')).value,
    ).toEqual([]);
    await emulators.control.advanceClock(601);
    expect(await memberIds()).toEqual([user('tom@example.com').id]);
    expect((await emulators.control.getState()).entra.pimAssignments).toEqual([
      {
        group: ADMIN,
        principal: 'tom@example.com',
        start: startAt,
        end: endAt,
        active: true,
      },
    ]);
    await emulators.control.advanceClock(600);
    expect(await memberIds()).toEqual([]);
  });

  it("should refuse in PIM's shapes: existing or missing assignments, bad bodies, unscoped lists", async () => {
    await request('adminAssign', 'priya@example.com', forOneHour);
    await expect(
      request('adminAssign', 'priya@example.com', forOneHour),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: 'RoleAssignmentExists',
      message: 'The Role assignment already exists.',
    });
    await expect(
      request('adminRemove', 'tom@example.com'),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: 'RoleAssignmentDoesNotExist',
      message: 'The Role assignment does not exist.',
    });
    const bad = [
      { accessId: undefined },
      { action: undefined },
      { principalId: undefined },
      { groupId: undefined },
      {
        scheduleInfo: {
          expiration: { type: 'afterDuration', duration: 'one hour' },
        },
      },
      { scheduleInfo: { expiration: { type: 'afterDateTime' } } },
      { scheduleInfo: { expiration: { type: 'sometime' } } },
    ];
    for (const extra of bad) {
      await expect(
        request('adminAssign', 'tom@example.com', extra),
      ).rejects.toMatchObject({
        statusCode: 400,
        code: 'InvalidRoleAssignmentRequest',
      });
    }
    await expect(
      client.api(`${PIM}/assignmentScheduleRequests`).post({
        accessId: 'member',
        principalId: '00000000-0000-4000-8000-00000000dead',
        groupId: group(ADMIN).id,
        action: 'adminAssign',
      }),
    ).rejects.toMatchObject({ statusCode: 404 });
    await expect(
      client.api(`${PIM}/assignmentSchedules`).get(),
    ).rejects.toMatchObject({ statusCode: 400 });
    expect(await memberIds()).toEqual([user('priya@example.com').id]);
  });

  it('should list memberships made outside PIM as permanent assignments, and remove them', async () => {
    const { value } = await client
      .api(`${PIM}/assignmentSchedules`)
      .filter(`groupId eq '${group('AWS-Developers-ReadOnly').id}'`)
      .get();
    expect(value).toHaveLength(4);
    expect(value[0].scheduleInfo.expiration).toEqual({
      type: 'noExpiration',
      duration: null,
      endDateTime: null,
    });
    await expect(
      client.api(`${PIM}/assignmentScheduleRequests`).post({
        accessId: 'member',
        principalId: user('tom@example.com').id,
        groupId: group('AWS-Developers-ReadOnly').id,
        action: 'adminAssign',
      }),
    ).rejects.toMatchObject({ code: 'RoleAssignmentExists' });
    const removed = await client.api(`${PIM}/assignmentScheduleRequests`).post({
      accessId: 'member',
      principalId: user('tom@example.com').id,
      groupId: group('AWS-Developers-ReadOnly').id,
      action: 'adminRemove',
    });
    expect(removed.status).toBe('Revoked');
    const { value: members } = await client
      .api(`/groups/${group('AWS-Developers-ReadOnly').id}/members`)
      .get();
    expect(members.map((m: { id: string }) => m.id)).not.toContain(
      user('tom@example.com').id,
    );
  });

  it('should be counted, faultable and need the PIM permission', async () => {
    await emulators.control.injectFault({
      service: 'graph',
      operation: `POST /v1.0${PIM}/assignmentScheduleRequests`,
      kind: 'http500',
    });
    await expect(
      request('adminAssign', 'tom@example.com', forOneHour),
    ).rejects.toMatchObject({ statusCode: 500 });
    await emulators.control.clearFaults();
    expect(await memberIds()).toEqual([]);
    const counters = await emulators.control.getCounters();
    expect(counters.graph[`POST /v1.0${PIM}/assignmentScheduleRequests`]).toBe(
      1,
    );

    const settings = await emulators.control.getSettings();
    await emulators.control.updateSettings({
      graphAppRoles: settings.graphAppRoles.filter(
        r => !r.startsWith('PrivilegedAssignmentSchedule'),
      ),
    });
    // A new credential: a new token, with the roles consented now.
    const { client: unconsented } = graphClient(emulators);
    await expect(
      unconsented.api(`${PIM}/assignmentScheduleRequests`).post({
        accessId: 'member',
        principalId: user('tom@example.com').id,
        groupId: group(ADMIN).id,
        action: 'adminAssign',
      }),
    ).rejects.toMatchObject({
      statusCode: 403,
      code: 'Authorization_RequestDenied',
    });
    expect(await memberIds()).toEqual([]);
  });
});
