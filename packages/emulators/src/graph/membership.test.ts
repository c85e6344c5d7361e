import { ListGroupMembershipsCommand } from '@aws-sdk/client-identitystore';
import type { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import type { Client, GraphError } from '@microsoft/microsoft-graph-client';
import { awsClients, graphClient, startSeed } from '../__testUtils__/clients';
import { AWS_SYNCHRONIZATION_RULE_ID } from './synchronization';
import type { Emulators } from '../startEmulators';

/*
 * Membership writes through the real Graph client. Expected shapes: Microsoft Graph v1.0 reference,
 * api-reference/v1.0/api/group-post-members.md ("204 No Content … 400 Bad Request when the object is already a
 * member … 404 Not Found when the object being added doesn't exist") and group-delete-members.md (204). The 400
 * message is Graph's, as reported against the real API (ansible-collections/azure#1519).
 */

const ALREADY_MEMBER =
  "One or more added object references already exist for the following modified properties: 'members'.";

describe('Graph group owners and membership writes', () => {
  let emulators: Emulators;
  let client: Client;
  let store: IdentitystoreClient;
  const user = (upn: string) =>
    emulators.scenario.entra.users.find(u => u.upn === upn)!;
  const group = (name: string) =>
    emulators.scenario.entra.groups.find(g => g.name === name)!;
  const ref = (id: string) => ({
    '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}`,
  });
  const add = (groupName: string, upn: string) =>
    client
      .api(`/groups/${group(groupName).id}/members/$ref`)
      .post(ref(user(upn).id));
  const remove = (groupName: string, upn: string) =>
    client
      .api(`/groups/${group(groupName).id}/members/${user(upn).id}/$ref`)
      .delete();
  const memberIds = async (groupName: string) =>
    (
      await client
        .api(`/groups/${group(groupName).id}/members`)
        .select('id')
        .get()
    ).value.map((m: { id: string }) => m.id);
  const identityStoreMembers = async (groupName: string) => {
    const { GroupMemberships } = await store.send(
      new ListGroupMembershipsCommand({
        IdentityStoreId: emulators.scenario.identityCenter.identityStoreId,
        GroupId: group(groupName).identityStoreGroupId,
      }),
    );
    return GroupMemberships!.map(m => m.MemberId!.UserId);
  };
  const scimUserId = async (upn: string) =>
    (await emulators.control.getState()).identityCenter.users.find(
      u => u.userName === upn,
    )?.userId;

  beforeAll(async () => {
    emulators = await startSeed();
    ({ client } = graphClient(emulators));
    store = awsClients(emulators).identityStore;
  });
  afterAll(() => emulators.close());
  beforeEach(() => emulators.control.reset());

  it('should list owners as typed directory objects with $select, and 404 for an unknown group', async () => {
    // Shape: group-list-owners.md (directoryObjects collection, users with @odata.type).
    const owners = await client
      .api(`/groups/${group('AWS-Payments-Prod-Admin').id}/owners`)
      .select(['id', 'userPrincipalName'])
      .get();
    expect(owners).toEqual({
      '@odata.context': `${emulators.graphBaseUrl}/v1.0/$metadata#directoryObjects(id,userPrincipalName)`,
      value: [
        {
          '@odata.type': '#microsoft.graph.user',
          id: user('maria@example.com').id,
          userPrincipalName: 'maria@example.com',
        },
      ],
    });
    const nobody = '00000000-0000-4000-8000-00000000beef';
    await expect(
      client.api(`/groups/${nobody}/owners`).get(),
    ).rejects.toMatchObject({
      statusCode: 404,
      code: 'Request_ResourceNotFound',
    });
    // Owners are not members: owning the requestable grants nothing.
    expect(await memberIds('AWS-Payments-Prod-Admin')).toEqual([]);
  });

  it('should add a member with 204, list it, journal it for delta and audit it', async () => {
    const start = await client.api('/groups/delta?$deltatoken=latest').get();
    const status: number[] = [];
    await client
      .api(`/groups/${group('AWS-Payments-Prod-Admin').id}/members/$ref`)
      .responseType('raw' as never)
      .post(ref(user('priya@example.com').id))
      .then((r: Response) => status.push(r.status));
    expect(status).toEqual([204]);
    expect(await memberIds('AWS-Payments-Prod-Admin')).toEqual([
      user('priya@example.com').id,
    ]);

    const delta = await client.api(start['@odata.deltaLink']).get();
    expect(delta.value).toEqual([
      expect.objectContaining({
        id: group('AWS-Payments-Prod-Admin').id,
        'members@delta': [
          {
            '@odata.type': '#microsoft.graph.user',
            id: user('priya@example.com').id,
          },
        ],
      }),
    ]);
    const audits = await client
      .api('/auditLogs/directoryAudits')
      .filter("activityDisplayName eq 'Add member to group'")
      .get();
    expect(audits.value[0].targetResources).toEqual([
      expect.objectContaining({
        id: user('priya@example.com').id,
        type: 'User',
      }),
      expect.objectContaining({
        id: group('AWS-Payments-Prod-Admin').id,
        type: 'Group',
      }),
    ]);
    const counters = await emulators.control.getCounters();
    expect(counters.graph['POST /v1.0/groups/{id}/members/$ref']).toBe(1);
  });

  it('should refuse an existing member, an unknown object or group, and a bad body in Graph shapes', async () => {
    await expect(
      add('AWS-Developers-ReadOnly', 'priya@example.com'),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: 'Request_BadRequest',
      message: ALREADY_MEMBER,
    });
    const nobody = '00000000-0000-4000-8000-00000000dead';
    await expect(
      client
        .api(`/groups/${group('AWS-Payments-Prod-Admin').id}/members/$ref`)
        .post(ref(nobody)),
    ).rejects.toMatchObject({
      statusCode: 404,
      code: 'Request_ResourceNotFound',
      message: `Resource '${nobody}' does not exist or one of its queried reference-property objects are not present.`,
    });
    await expect(
      client
        .api(`/groups/${nobody}/members/$ref`)
        .post(ref(user('tom@example.com').id)),
    ).rejects.toMatchObject({
      statusCode: 404,
      code: 'Request_ResourceNotFound',
    });
    // Display names do not address groups in Graph.
    await expect(
      client
        .api('/groups/AWS-Payments-Prod-Admin/members/$ref')
        .post(ref(user('tom@example.com').id)),
    ).rejects.toMatchObject({ statusCode: 404 });
    for (const body of [
      { id: user('tom@example.com').id },
      { '@odata.id': user('tom@example.com').id },
      {
        '@odata.id': `https://example.com/v1.0/users/${
          user('tom@example.com').id
        }`,
      },
    ]) {
      await expect(
        client
          .api(`/groups/${group('AWS-Payments-Prod-Admin').id}/members/$ref`)
          .post(body),
      ).rejects.toMatchObject({ statusCode: 400, code: 'Request_BadRequest' });
    }
    expect(await memberIds('AWS-Payments-Prod-Admin')).toEqual([]);
  });

  it('should remove a member with 204 (delta @removed, audit) and answer 404 for a non-member', async () => {
    const start = await client.api('/groups/delta?$deltatoken=latest').get();
    await remove('AWS-Developers-ReadOnly', 'tom@example.com');
    expect(await memberIds('AWS-Developers-ReadOnly')).not.toContain(
      user('tom@example.com').id,
    );
    const delta = await client.api(start['@odata.deltaLink']).get();
    expect(delta.value[0]['members@delta']).toEqual([
      {
        '@odata.type': '#microsoft.graph.user',
        id: user('tom@example.com').id,
        '@removed': { reason: 'deleted' },
      },
    ]);
    const audits = await client
      .api('/auditLogs/directoryAudits')
      .filter("activityDisplayName eq 'Remove member from group'")
      .get();
    expect(
      audits.value.some(
        (a: { targetResources: { id: string }[] }) =>
          a.targetResources[0].id === user('tom@example.com').id,
      ),
    ).toBe(true);

    const again = await remove(
      'AWS-Developers-ReadOnly',
      'tom@example.com',
    ).catch((e: GraphError) => e);
    expect(again).toMatchObject({
      statusCode: 404,
      code: 'Request_ResourceNotFound',
    });
    const counters = await emulators.control.getCounters();
    expect(
      counters.graph['DELETE /v1.0/groups/{id}/members/{memberId}/$ref'],
    ).toBe(2);
  });

  it('should reach Identity Center through the next SCIM cycle and through provision-on-demand', async () => {
    await add('AWS-Payments-Prod-Admin', 'priya@example.com');
    const priya = await scimUserId('priya@example.com');
    expect(await identityStoreMembers('AWS-Payments-Prod-Admin')).toEqual([]);
    await emulators.control.runScimCycle();
    expect(await identityStoreMembers('AWS-Payments-Prod-Admin')).toEqual([
      priya,
    ]);

    await remove('AWS-Payments-Prod-Admin', 'priya@example.com');
    await emulators.control.runScimCycle();
    expect(await identityStoreMembers('AWS-Payments-Prod-Admin')).toEqual([]);

    // On demand, for the one person and group, without waiting for the cycle.
    await add('AWS-Payments-Prod-Admin', 'tom@example.com');
    const spId = emulators.scenario.entra.awsApp.servicePrincipalId;
    const { value: jobs } = await client
      .api(`/servicePrincipals/${spId}/synchronization/jobs`)
      .get();
    await client
      .api(
        `/servicePrincipals/${spId}/synchronization/jobs/${jobs[0].id}/provisionOnDemand`,
      )
      .post({
        parameters: [
          {
            ruleId: AWS_SYNCHRONIZATION_RULE_ID,
            subjects: [
              {
                objectId: group('AWS-Payments-Prod-Admin').id,
                objectTypeName: 'Group',
                links: {
                  members: [
                    {
                      objectId: user('tom@example.com').id,
                      objectTypeName: 'User',
                    },
                  ],
                },
              },
            ],
          },
        ],
      });
    expect(await identityStoreMembers('AWS-Payments-Prod-Admin')).toEqual([
      await scimUserId('tom@example.com'),
    ]);
  });

  it('should be subject to faults, the per-app rate limit and the app permission', async () => {
    await emulators.control.injectFault({
      service: 'graph',
      operation: 'POST /v1.0/groups/{id}/members/$ref',
      kind: 'http500',
    });
    await expect(
      add('AWS-Payments-Prod-Admin', 'tom@example.com'),
    ).rejects.toMatchObject({ statusCode: 500, code: 'generalException' });
    expect(await memberIds('AWS-Payments-Prod-Admin')).toEqual([]);
    await emulators.control.clearFaults();

    // One call per second: the second write is answered 429, and the Graph client retries it after Retry-After.
    await emulators.control.setRateLimit('graph', 1);
    await add('AWS-Payments-Prod-Admin', 'tom@example.com');
    await remove('AWS-Payments-Prod-Admin', 'tom@example.com');
    const counters = await emulators.control.getCounters();
    expect(
      counters.throttled.graph[
        'DELETE /v1.0/groups/{id}/members/{memberId}/$ref'
      ],
    ).toBe(1);
    await emulators.control.clearRateLimits();

    // An app consented to read only: Graph refuses the write.
    const settings = await emulators.control.getSettings();
    await emulators.control.updateSettings({
      graphAppRoles: settings.graphAppRoles.filter(
        r => r !== 'GroupMember.ReadWrite.All',
      ),
    });
    // A new credential: a new token, with the roles consented now.
    const { client: readOnly } = graphClient(emulators);
    await expect(
      readOnly
        .api(`/groups/${group('AWS-Payments-Prod-Admin').id}/members/$ref`)
        .post(ref(user('tom@example.com').id)),
    ).rejects.toMatchObject({
      statusCode: 403,
      code: 'Authorization_RequestDenied',
      message: 'Insufficient privileges to complete the operation.',
    });
    expect(await readOnly.api('/groups').get()).toHaveProperty('value');
    expect(await memberIds('AWS-Payments-Prod-Admin')).toEqual([]);
  });
});
