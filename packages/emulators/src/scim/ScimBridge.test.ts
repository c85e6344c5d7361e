import type { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import {
  DescribeUserCommand,
  GetUserIdCommand,
  ListGroupMembershipsCommand,
  ListGroupsCommand,
  ListUsersCommand,
} from '@aws-sdk/client-identitystore';
import type { Client } from '@microsoft/microsoft-graph-client';
import {
  awsClients,
  graphClient,
  SEED_SCENARIO,
  startSeed,
} from '../__testUtils__/clients';
import { loadScenario } from '../scenario/parse';
import { startEmulators } from '../startEmulators';
import type { Emulators } from '../startEmulators';
import { AWS_SYNCHRONIZATION_RULE_ID } from '../graph/synchronization';

/*
 * The SCIM bridge resolving the seed's joiner/mover/leaver drift exactly as Entra's AWS connector would, observed
 * through the real Identity Store and Graph clients.
 */

describe('SCIM bridge', () => {
  let emulators: Emulators;
  let store: IdentitystoreClient;
  let graph: Client;
  const IdentityStoreId = 'd-9067a1b2c3';
  const user = (upn: string) =>
    emulators.scenario.entra.users.find(u => u.upn === upn)!;
  const group = (name: string) =>
    emulators.scenario.entra.groups.find(g => g.name === name)!;
  const spId = () => emulators.scenario.entra.awsApp.servicePrincipalId;

  async function members(groupName: string): Promise<string[]> {
    const { GroupMemberships } = await store.send(
      new ListGroupMembershipsCommand({
        IdentityStoreId,
        GroupId: group(groupName).identityStoreGroupId,
      }),
    );
    const names = await Promise.all(
      GroupMemberships!.map(
        async m =>
          (
            await store.send(
              new DescribeUserCommand({
                IdentityStoreId,
                UserId: m.MemberId!.UserId,
              }),
            )
          ).UserName!,
      ),
    );
    return names.sort();
  }

  async function status(upn: string): Promise<string | undefined> {
    const { Users } = await store.send(
      new ListUsersCommand({
        IdentityStoreId,
        Filters: [{ AttributePath: 'UserName', AttributeValue: upn }],
      }),
    );
    return Users![0]?.UserStatus;
  }

  async function job() {
    const { value } = await graph
      .api(`/servicePrincipals/${spId()}/synchronization/jobs`)
      .get();
    return value[0];
  }

  beforeAll(async () => {
    emulators = await startSeed();
    store = awsClients(emulators).identityStore;
    ({ client: graph } = graphClient(emulators));
  });
  afterAll(() => emulators.close());
  beforeEach(() => emulators.control.reset());

  it("should resolve the seed's joiner, mover and leaver in one cycle", async () => {
    expect(await status('aamir@example.com')).toBeUndefined();
    expect(await members('AWS-Developers-ReadOnly')).toEqual([
      'noah@example.com',
      'priya@example.com',
      'shen.li@example.com',
      'tom@example.com',
    ]);
    expect(await members('AWS-Developers-PowerUser')).toEqual([
      'alex@example.com',
      'maria@example.com',
    ]);
    expect(await status('alex@example.com')).toBe('ENABLED');

    const before = new Date(Date.now() - 1000).toISOString();
    const result = await emulators.control.runScimCycle();
    expect(result.status).toBe('Succeeded');
    expect(
      result.changes
        .map(
          c => `${c.action} ${c.user ?? c.name}${c.group ? ` ${c.group}` : ''}`,
        )
        .sort(),
    ).toEqual(
      [
        'addMember aamir@example.com AWS-Developers-ReadOnly',
        'addMember shen.li@example.com AWS-Developers-PowerUser',
        'createUser aamir@example.com',
        'disableUser alex@example.com',
        'removeMember shen.li@example.com AWS-Developers-ReadOnly',
      ].sort(),
    );
    expect(result.counts).toMatchObject({
      createUser: 1,
      addMember: 2,
      removeMember: 1,
      disableUser: 1,
      deleteUser: 0,
    });

    expect(await members('AWS-Developers-ReadOnly')).toEqual([
      'aamir@example.com',
      'noah@example.com',
      'priya@example.com',
      'tom@example.com',
    ]);
    expect(await members('AWS-Developers-PowerUser')).toEqual([
      'alex@example.com',
      'maria@example.com',
      'shen.li@example.com',
    ]);
    expect(await status('alex@example.com')).toBe('DISABLED');
    const aamir = await store.send(
      new GetUserIdCommand({
        IdentityStoreId,
        AlternateIdentifier: {
          ExternalId: {
            Issuer: emulators.scenario.identityCenter.scimIssuer,
            Id: user('aamir@example.com').id,
          },
        },
      }),
    );
    expect(aamir.UserId).toBe(user('aamir@example.com').identityStoreUserId);

    // Nested membership never arrives: Data-Team is not created and noah never joins AWS-Data-Analysts.
    expect(await members('AWS-Data-Analysts')).toEqual([]);
    const { Groups } = await store.send(
      new ListGroupsCommand({ IdentityStoreId }),
    );
    expect(Groups!.map(g => g.DisplayName)).not.toContain('Data-Team');

    // Converged: a second cycle changes nothing.
    expect((await emulators.control.runScimCycle()).changes).toEqual([]);

    // Graph reports the cycle in the job status and the provisioning log.
    const { id: jobId, status: status1 } = await job();
    expect(status1.lastSuccessfulExecutionWithExports).toMatchObject({
      countExported: 5,
      state: 'Succeeded',
    });
    expect(status1.synchronizedEntryCountByType).toEqual([
      { key: 'user to User', value: 9 },
      { key: 'group to Group', value: 5 },
    ]);
    const log = await graph
      .api('/auditLogs/provisioning')
      .filter(`activityDateTime gt ${before}`)
      .get();
    expect(log.value).toHaveLength(5);
    expect(
      log.value
        .map((e: { provisioningAction: string }) => e.provisioningAction)
        .sort(),
    ).toEqual(['create', 'disable', 'update', 'update', 'update']);
    expect(log.value[0]).toMatchObject({
      jobId,
      cycleId: result.cycleId,
      provisioningStatusInfo: { status: 'success' },
      servicePrincipal: { id: spId() },
    });
  });

  it('should do nothing while quarantined, but record the attempt', async () => {
    await emulators.control.setScim({
      status: 'Quarantine',
      quarantineReason: 'EncounteredQuarantineException',
    });
    const result = await emulators.control.runScimCycle();
    expect(result).toMatchObject({ status: 'Quarantined', changes: [] });
    expect(await status('aamir@example.com')).toBeUndefined();
    const quarantined = await job();
    expect(quarantined.status).toMatchObject({
      code: 'Quarantine',
      countSuccessiveCompleteFailures: 2,
      quarantine: expect.objectContaining({
        reason: 'EncounteredQuarantineException',
        seriesCount: 2,
      }),
      lastExecution: expect.objectContaining({
        state: 'Failed',
        error: expect.objectContaining({
          code: 'SystemForCrossDomainIdentityManagementCredentialsInvalid',
        }),
      }),
    });

    await emulators.control.setScim({ status: 'Active' });
    expect((await emulators.control.runScimCycle()).changes).toHaveLength(5);
    expect((await job()).status).toMatchObject({
      code: 'Active',
      quarantine: null,
      countSuccessiveCompleteFailures: 0,
    });
  });

  it('should provision one subject on demand through Graph', async () => {
    const jobId = (await job()).id;
    await emulators.control.createEntraUser({
      upn: 'new.hire@example.com',
      displayName: 'New Hire',
      jobTitle: 'Developer',
    });
    await emulators.control.addGroupMember(
      'AWS-Developers-ReadOnly',
      'new.hire@example.com',
    );
    const hire = (await graph.api('/users/new.hire@example.com').get()).id;

    const response = await graph
      .api(
        `/servicePrincipals/${spId()}/synchronization/jobs/${jobId}/provisionOnDemand`,
      )
      .post({
        parameters: [
          {
            ruleId: AWS_SYNCHRONIZATION_RULE_ID,
            subjects: [{ objectId: hire, objectTypeName: 'User' }],
          },
        ],
      });
    expect(response).toMatchObject({
      '@odata.type': '#microsoft.graph.stringKeyStringValuePair',
      key: expect.any(String),
    });
    const details = JSON.parse(response.value);
    expect(details[0].statusInfo.status).toBe('Success');
    expect(await status('new.hire@example.com')).toBe('ENABLED');
    // A user on its own: memberships come with the group.
    expect(await members('AWS-Developers-ReadOnly')).not.toContain(
      'new.hire@example.com',
    );

    await graph
      .api(
        `/servicePrincipals/${spId()}/synchronization/jobs/${jobId}/provisionOnDemand`,
      )
      .post({
        parameters: [
          {
            ruleId: AWS_SYNCHRONIZATION_RULE_ID,
            subjects: [
              {
                objectId: group('AWS-Developers-ReadOnly').id,
                objectTypeName: 'Group',
                links: {
                  members: [{ objectId: hire, objectTypeName: 'User' }],
                },
              },
            ],
          },
        ],
      });
    expect(await members('AWS-Developers-ReadOnly')).toContain(
      'new.hire@example.com',
    );
    // Only the listed member: the pending joiner and mover are untouched.
    expect(await members('AWS-Developers-ReadOnly')).toContain(
      'shen.li@example.com',
    );
    expect(await members('AWS-Developers-ReadOnly')).not.toContain(
      'aamir@example.com',
    );

    // The leaver, on demand: disabled.
    await graph
      .api(
        `/servicePrincipals/${spId()}/synchronization/jobs/${jobId}/provisionOnDemand`,
      )
      .post({
        parameters: [
          {
            ruleId: AWS_SYNCHRONIZATION_RULE_ID,
            subjects: [
              { objectId: user('alex@example.com').id, objectTypeName: 'User' },
            ],
          },
        ],
      });
    expect(await status('alex@example.com')).toBe('DISABLED');
    const log = await graph.api('/auditLogs/provisioning').get();
    expect(log.value[0]).toMatchObject({
      initiatedBy: { initiatorType: 'user' },
      provisioningAction: 'disable',
    });

    await expect(
      graph
        .api(
          `/servicePrincipals/${spId()}/synchronization/jobs/${jobId}/provisionOnDemand`,
        )
        .post({ parameters: [{ subjects: [] }] }),
    ).rejects.toMatchObject({ statusCode: 400 });
  });

  it('should publish the synchronization rule in the job schema and refuse another rule id', async () => {
    const jobId = (
      await graph.api(`/servicePrincipals/${spId()}/synchronization/jobs`).get()
    ).value[0].id;
    const schema = await graph
      .api(`/servicePrincipals/${spId()}/synchronization/jobs/${jobId}/schema`)
      .get();
    expect(
      schema.synchronizationRules.map((r: { id: string }) => r.id),
    ).toEqual([AWS_SYNCHRONIZATION_RULE_ID]);
    const aamirId = (await graph.api('/users/aamir@example.com').get()).id;
    await expect(
      graph
        .api(
          `/servicePrincipals/${spId()}/synchronization/jobs/${jobId}/provisionOnDemand`,
        )
        .post({
          parameters: [
            {
              ruleId: 'not-the-rule',
              subjects: [{ objectId: aamirId, objectTypeName: 'User' }],
            },
          ],
        }),
    ).rejects.toMatchObject({ statusCode: 400 });
  });

  it('should remove memberships of an unassigned group and disable users who leave the scope', async () => {
    await emulators.control.runScimCycle();
    await emulators.control.unassignGroupFromApp('AWS-Developers-PowerUser');
    const result = await emulators.control.runScimCycle();
    expect(await members('AWS-Developers-PowerUser')).toEqual([]);
    // Maria and Shen were in scope only through PowerUser; disabled, not deleted.
    expect(await status('maria@example.com')).toBe('DISABLED');
    expect(await status('shen.li@example.com')).toBe('DISABLED');
    expect(result.counts).toMatchObject({
      removeMember: 3,
      disableUser: 2,
      deleteUser: 0,
    });
  });

  it('should update attributes and re-enable users', async () => {
    await emulators.control.runScimCycle();
    await emulators.control.updateEntraUser('priya@example.com', {
      jobTitle: 'Staff Engineer',
      displayName: 'Priya N.',
    });
    await emulators.control.setEntraUserEnabled('alex@example.com', true);
    const result = await emulators.control.runScimCycle();
    expect(result.counts).toMatchObject({ updateUser: 1, enableUser: 1 });
    const update = result.changes.find(c => c.action === 'updateUser')!;
    expect(update.modifiedProperties).toEqual(
      expect.arrayContaining([
        {
          displayName: 'title',
          oldValue: 'Developer',
          newValue: 'Staff Engineer',
        },
        {
          displayName: 'displayName',
          oldValue: 'Priya Nair',
          newValue: 'Priya N.',
        },
      ]),
    );
    const priya = await store.send(
      new DescribeUserCommand({
        IdentityStoreId,
        UserId: user('priya@example.com').identityStoreUserId,
      }),
    );
    expect(priya).toMatchObject({
      Title: 'Staff Engineer',
      DisplayName: 'Priya N.',
    });
    expect(await status('alex@example.com')).toBe('ENABLED');
  });

  it('should delete a user only when Entra deletes it permanently', async () => {
    await emulators.control.deleteEntraUser('tom@example.com');
    await emulators.control.runScimCycle();
    expect(await status('tom@example.com')).toBe('DISABLED');
    await emulators.control.deleteEntraUser('tom@example.com', {
      permanent: true,
    });
    const result = await emulators.control.runScimCycle();
    expect(result.counts.deleteUser).toBe(1);
    expect(await status('tom@example.com')).toBeUndefined();
  });

  it('should run cycles on the provisioning interval of the emulator clock', async () => {
    await emulators.control.setScim({ intervalSeconds: 60 });
    expect((await emulators.control.advanceClock(30)).cycle).toBeUndefined();
    const { cycle } = await emulators.control.advanceClock(31);
    expect(cycle).toMatchObject({ trigger: 'schedule', status: 'Succeeded' });
    expect(cycle!.changes).toHaveLength(5);
    expect((await job()).schedule.interval).toBe('PT1M');
  });
});

describe('SCIM bridge from an empty Identity Store', () => {
  it('should provision everything in scope on the first cycle, and nothing nested', async () => {
    const scenario = loadScenario(SEED_SCENARIO);
    scenario.identityCenter.provisioned = {
      mode: 'empty',
      unmanaged: scenario.identityCenter.provisioned!.unmanaged,
    };
    scenario.identityCenter.assignments =
      scenario.identityCenter.assignments.filter(a => a.idcGroup);
    const emulators = await startEmulators({ scenario, autoScim: false });
    try {
      const store = awsClients(emulators).identityStore;
      const before = await store.send(
        new ListUsersCommand({ IdentityStoreId: 'd-9067a1b2c3' }),
      );
      expect(before.Users!.map(u => u.UserName)).toEqual([
        'breakglass-1',
        'breakglass-2',
      ]);
      const result = await emulators.control.runScimCycle();
      // Alex is disabled in Entra: never created. Everyone else who is a direct member of an assigned group is.
      expect(result.counts).toMatchObject({
        createUser: 8,
        createGroup: 5,
        disableUser: 0,
      });
      const after = await store.send(
        new ListUsersCommand({ IdentityStoreId: 'd-9067a1b2c3' }),
      );
      expect(after.Users!.map(u => u.UserName)).not.toContain(
        'alex@example.com',
      );
      const { Groups } = await store.send(
        new ListGroupsCommand({ IdentityStoreId: 'd-9067a1b2c3' }),
      );
      expect(Groups!.map(g => g.DisplayName).sort()).toEqual([
        'AWS-Data-Analysts',
        'AWS-Developers-Admin',
        'AWS-Developers-PowerUser',
        'AWS-Developers-ReadOnly',
        'AWS-Payments-Prod-Admin',
        'breakglass-admins',
      ]);
    } finally {
      await emulators.close();
    }
  });
});
