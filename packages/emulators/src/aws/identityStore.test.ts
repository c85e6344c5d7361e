import type { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import {
  DescribeGroupCommand,
  DescribeGroupMembershipCommand,
  DescribeUserCommand,
  GetGroupIdCommand,
  GetGroupMembershipIdCommand,
  GetUserIdCommand,
  IsMemberInGroupsCommand,
  ListGroupMembershipsForMemberCommand,
  ListGroupsCommand,
  ListUsersCommand,
  paginateListGroupMemberships,
  paginateListGroups,
  paginateListUsers,
} from '@aws-sdk/client-identitystore';
import { awsClients, collect, startSeed } from '../__testUtils__/clients';
import type { Emulators } from '../startEmulators';

/*
 * Contract tests: the real @aws-sdk/client-identitystore against the seed organization as SCIM left it:
 * Aamir (joiner) missing, Shen (mover) still in ReadOnly and not yet in PowerUser, Alex (leaver) still ENABLED.
 */

describe('Identity Store emulator', () => {
  let emulators: Emulators;
  let client: IdentitystoreClient;
  const IdentityStoreId = 'd-9067a1b2c3';
  const entraUser = (upn: string) =>
    emulators.scenario.entra.users.find(u => u.upn === upn)!;
  const entraGroup = (name: string) =>
    emulators.scenario.entra.groups.find(g => g.name === name)!;

  beforeAll(async () => {
    emulators = await startSeed();
    client = awsClients(emulators).identityStore;
  });
  afterAll(() => emulators.close());
  beforeEach(() => emulators.control.reset());

  it('should page users as SCIM provisioned them', async () => {
    const pages = await collect(
      paginateListUsers({ client, pageSize: 3 }, { IdentityStoreId }),
    );
    expect(pages.map(p => p.Users!.length)).toEqual([3, 3, 3, 1]);
    const users = pages.flatMap(p => p.Users!);
    expect(users.map(u => u.UserName).sort()).toEqual([
      'alex@example.com',
      'breakglass-1',
      'breakglass-2',
      'maria@example.com',
      'noah@example.com',
      'olu@example.com',
      'priya@example.com',
      'sara@example.com',
      'shen.li@example.com',
      'tom@example.com',
    ]);
    const priya = users.find(u => u.UserName === 'priya@example.com')!;
    expect(priya).toEqual({
      IdentityStoreId,
      UserId: entraUser('priya@example.com').identityStoreUserId,
      UserName: 'priya@example.com',
      ExternalIds: [
        {
          Issuer: emulators.scenario.identityCenter.scimIssuer,
          Id: entraUser('priya@example.com').id,
        },
      ],
      Name: { Formatted: 'Priya Nair', GivenName: 'Priya', FamilyName: 'Nair' },
      DisplayName: 'Priya Nair',
      Emails: [{ Value: 'priya@example.com', Type: 'work', Primary: true }],
      Title: 'Developer',
      UserStatus: 'ENABLED',
      CreatedAt: expect.any(Date),
      UpdatedAt: expect.any(Date),
    });
    // The leaver is still active; break-glass users have no Entra source.
    expect(users.find(u => u.UserName === 'alex@example.com')!.UserStatus).toBe(
      'ENABLED',
    );
    expect(
      users.find(u => u.UserName === 'breakglass-1')!.ExternalIds,
    ).toBeUndefined();
  });

  it('should filter users by UserName (deprecated Filters)', async () => {
    const { Users } = await client.send(
      new ListUsersCommand({
        IdentityStoreId,
        Filters: [
          { AttributePath: 'UserName', AttributeValue: 'tom@example.com' },
        ],
      }),
    );
    expect(Users!.map(u => u.UserName)).toEqual(['tom@example.com']);
    const none = await client.send(
      new ListUsersCommand({
        IdentityStoreId,
        Filters: [
          { AttributePath: 'UserName', AttributeValue: 'aamir@example.com' },
        ],
      }),
    );
    expect(none.Users).toEqual([]);
  });

  it('should page groups and memberships', async () => {
    const groups = (
      await collect(
        paginateListGroups({ client, pageSize: 2 }, { IdentityStoreId }),
      )
    ).flatMap(p => p.Groups!);
    expect(groups.map(g => g.DisplayName).sort()).toEqual([
      'AWS-Data-Analysts',
      'AWS-Developers-Admin',
      'AWS-Developers-PowerUser',
      'AWS-Developers-ReadOnly',
      'AWS-Payments-Prod-Admin',
      'breakglass-admins',
    ]);
    // Data-Team reaches AWS only nested in AWS-Data-Analysts, which SCIM does not flatten.
    expect(
      groups.find(g => g.DisplayName === 'AWS-Data-Analysts')!.ExternalIds,
    ).toEqual([
      {
        Issuer: emulators.scenario.identityCenter.scimIssuer,
        Id: entraGroup('AWS-Data-Analysts').id,
      },
    ]);

    const readOnly = entraGroup('AWS-Developers-ReadOnly').identityStoreGroupId;
    const pages = await collect(
      paginateListGroupMemberships(
        { client, pageSize: 3 },
        { IdentityStoreId, GroupId: readOnly },
      ),
    );
    expect(pages).toHaveLength(2);
    const members = pages.flatMap(p => p.GroupMemberships!);
    expect(members.map(m => m.MemberId!.UserId).sort()).toEqual(
      [
        'priya@example.com',
        'tom@example.com',
        'noah@example.com',
        'shen.li@example.com',
      ]
        .map(u => entraUser(u).identityStoreUserId)
        .sort(),
    );
    expect(members[0]).toEqual({
      IdentityStoreId,
      MembershipId: expect.stringMatching(/^9067a1b2c3-/),
      GroupId: readOnly,
      MemberId: { UserId: expect.any(String) },
      CreatedAt: expect.any(Date),
      UpdatedAt: expect.any(Date),
    });
    const analysts = await collect(
      paginateListGroupMemberships(
        { client },
        {
          IdentityStoreId,
          GroupId: entraGroup('AWS-Data-Analysts').identityStoreGroupId,
        },
      ),
    );
    expect(analysts.flatMap(p => p.GroupMemberships)).toEqual([]);
  });

  it("should list a member's groups and answer IsMemberInGroups", async () => {
    const shen = entraUser('shen.li@example.com').identityStoreUserId;
    const { GroupMemberships } = await client.send(
      new ListGroupMembershipsForMemberCommand({
        IdentityStoreId,
        MemberId: { UserId: shen },
      }),
    );
    expect(GroupMemberships!.map(m => m.GroupId)).toEqual([
      entraGroup('AWS-Developers-ReadOnly').identityStoreGroupId,
    ]);
    const { Results } = await client.send(
      new IsMemberInGroupsCommand({
        IdentityStoreId,
        MemberId: { UserId: shen },
        GroupIds: [
          entraGroup('AWS-Developers-ReadOnly').identityStoreGroupId,
          entraGroup('AWS-Developers-PowerUser').identityStoreGroupId,
        ],
      }),
    );
    expect(Results!.map(r => r.MembershipExists)).toEqual([true, false]);
  });

  it('should describe users and groups, with the enterprise extension on request', async () => {
    const maria = entraUser('maria@example.com');
    const shen = await client.send(
      new DescribeUserCommand({
        IdentityStoreId,
        UserId: entraUser('shen.li@example.com').identityStoreUserId,
        Extensions: ['aws:identitystore:enterprise'],
      }),
    );
    expect(shen).toMatchObject({
      UserName: 'shen.li@example.com',
      DisplayName: 'Shen Li',
      Title: 'Senior Developer',
    });
    expect(shen.Extensions).toEqual({
      'aws:identitystore:enterprise': {
        department: 'Backend',
        manager: { value: maria.identityStoreUserId },
      },
    });
    const plain = await client.send(
      new DescribeUserCommand({
        IdentityStoreId,
        UserId: maria.identityStoreUserId,
      }),
    );
    expect(plain.Extensions).toBeUndefined();
    const group = await client.send(
      new DescribeGroupCommand({
        IdentityStoreId,
        GroupId: entraGroup('AWS-Developers-Admin').identityStoreGroupId,
      }),
    );
    expect(group).toMatchObject({
      DisplayName: 'AWS-Developers-Admin',
      IdentityStoreId,
      GroupId: entraGroup('AWS-Developers-Admin').identityStoreGroupId,
    });
  });

  it('should resolve alternate identifiers', async () => {
    const { scimIssuer } = emulators.scenario.identityCenter;
    const olu = entraUser('olu@example.com');
    const byExternal = await client.send(
      new GetUserIdCommand({
        IdentityStoreId,
        AlternateIdentifier: { ExternalId: { Issuer: scimIssuer, Id: olu.id } },
      }),
    );
    expect(byExternal.UserId).toBe(olu.identityStoreUserId);
    const byName = await client.send(
      new GetUserIdCommand({
        IdentityStoreId,
        AlternateIdentifier: {
          UniqueAttribute: {
            AttributePath: 'userName',
            AttributeValue: 'OLU@example.com',
          },
        },
      }),
    );
    expect(byName.UserId).toBe(olu.identityStoreUserId);
    const byEmail = await client.send(
      new GetUserIdCommand({
        IdentityStoreId,
        AlternateIdentifier: {
          UniqueAttribute: {
            AttributePath: 'emails.value',
            AttributeValue: 'olu@example.com',
          },
        },
      }),
    );
    expect(byEmail.UserId).toBe(olu.identityStoreUserId);
    const group = await client.send(
      new GetGroupIdCommand({
        IdentityStoreId,
        AlternateIdentifier: {
          UniqueAttribute: {
            AttributePath: 'displayName',
            AttributeValue: 'breakglass-admins',
          },
        },
      }),
    );
    expect(group.GroupId).toBe(
      emulators.scenario.identityCenter.provisioned.unmanaged.groups[0].id,
    );
    const membership = await client.send(
      new GetGroupMembershipIdCommand({
        IdentityStoreId,
        GroupId: entraGroup('AWS-Developers-Admin').identityStoreGroupId,
        MemberId: { UserId: olu.identityStoreUserId },
      }),
    );
    const described = await client.send(
      new DescribeGroupMembershipCommand({
        IdentityStoreId,
        MembershipId: membership.MembershipId,
      }),
    );
    expect(described.MemberId).toEqual({ UserId: olu.identityStoreUserId });

    // The joiner is not provisioned yet.
    await expect(
      client.send(
        new GetUserIdCommand({
          IdentityStoreId,
          AlternateIdentifier: {
            ExternalId: {
              Issuer: scimIssuer,
              Id: entraUser('aamir@example.com').id,
            },
          },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      ResourceType: 'USER',
      $metadata: { httpStatusCode: 404 },
    });
    await expect(
      client.send(
        new GetUserIdCommand({
          IdentityStoreId,
          AlternateIdentifier: {
            UniqueAttribute: { AttributePath: 'title', AttributeValue: 'x' },
          },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'The attribute title is not a unique attribute',
    });
  });

  it('should validate input and report unknown stores', async () => {
    const noRetry = awsClients(emulators, { maxAttempts: 1 }).identityStore;
    await expect(
      noRetry.send(new ListUsersCommand({ IdentityStoreId, MaxResults: 0 })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining(
        "at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
      ),
    });
    await expect(
      noRetry.send(new ListGroupsCommand({ IdentityStoreId: 'd-0000000000' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      ResourceType: 'IDENTITY_STORE',
    });
    await expect(
      noRetry.send(
        new DescribeUserCommand({ IdentityStoreId, UserId: 'not-an-id' }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      noRetry.send(
        new ListUsersCommand({ IdentityStoreId, NextToken: 'forged:token' }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('should throttle with RetryAfterSeconds and Retry-After, and the SDK should retry', async () => {
    await emulators.control.injectFault({
      service: 'identitystore',
      operation: 'ListGroups',
      kind: 'throttle',
    });
    const noRetry = awsClients(emulators, { maxAttempts: 1 }).identityStore;
    const error = await noRetry
      .send(new ListGroupsCommand({ IdentityStoreId }))
      .catch(e => e);
    expect(error).toMatchObject({
      name: 'ThrottlingException',
      RetryAfterSeconds: 1,
      $metadata: { httpStatusCode: 429 },
    });

    await emulators.control.injectFault({
      service: 'identitystore',
      operation: 'ListGroups',
      kind: 'throttle',
    });
    const started = Date.now();
    const result = await client.send(
      new ListGroupsCommand({ IdentityStoreId }),
    );
    expect(result.$metadata.attempts).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});
