import type { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import {
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DescribePermissionSetCommand,
  DescribePermissionSetProvisioningStatusCommand,
  GetInlinePolicyForPermissionSetCommand,
  GetPermissionsBoundaryForPermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListAccountAssignmentsForPrincipalCommand,
  ListAccountsForProvisionedPermissionSetCommand,
  ListCustomerManagedPolicyReferencesInPermissionSetCommand,
  ListInstancesCommand,
  ListManagedPoliciesInPermissionSetCommand,
  ListPermissionSetsCommand,
  ListPermissionSetsProvisionedToAccountCommand,
  ListTagsForResourceCommand,
  paginateListAccountAssignments,
  paginateListAccountAssignmentsForPrincipal,
  paginateListPermissionSets,
  ProvisionPermissionSetCommand,
  UpdatePermissionSetCommand,
} from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import {
  awsClients,
  collect,
  eventually,
  SEED_SCENARIO,
} from '../__testUtils__/clients';
import { loadScenario } from '../scenario/parse';
import type { Emulators } from '../startEmulators';
import { startEmulators } from '../startEmulators';

/*
 * Contract tests: the real @aws-sdk/client-sso-admin against the emulator. A variant of the seed adds a
 * permissions boundary, customer-managed policies, tags and a FAILED permission set provisioning.
 */

function variantScenario() {
  const scenario = loadScenario(SEED_SCENARIO);
  const breakGlass = scenario.identityCenter.permissionSets.find(
    p => p.name === 'BreakGlassAdmin',
  )!;
  Object.assign(breakGlass, {
    permissionsBoundary: {
      customerManagedPolicy: { name: 'breakglass-boundary' },
    },
    customerManagedPolicies: [{ name: 'deny-prod-data', path: '/guardrails/' }],
    tags: { owner: 'security', tier: 1 },
    relayState: 'https://console.aws.amazon.com/iam/',
  });
  scenario.identityCenter.assignments.find(
    a => a.permissionSet === 'DataAnalyst',
  )!.status = 'FAILED';
  return scenario;
}

describe('SSO Admin emulator', () => {
  let emulators: Emulators;
  let client: SSOAdminClient;
  let instanceArn: string;
  const arnOf = (name: string) =>
    emulators.scenario.identityCenter.permissionSets.find(p => p.name === name)!
      .arn;
  const groupId = (name: string) =>
    emulators.scenario.entra.groups.find(g => g.name === name)!
      .identityStoreGroupId;

  beforeAll(async () => {
    emulators = await startEmulators({
      scenario: variantScenario(),
      autoScim: false,
    });
    client = awsClients(emulators).ssoAdmin;
    instanceArn = emulators.scenario.identityCenter.instanceArn;
  });
  afterAll(() => emulators.close());
  beforeEach(async () => {
    await emulators.control.reset();
    await emulators.control.updateSettings({ assignmentDelayMs: 300 });
  });

  it('should list the instance', async () => {
    const { Instances } = await client.send(new ListInstancesCommand({}));
    expect(Instances).toEqual([
      expect.objectContaining({
        InstanceArn: instanceArn,
        IdentityStoreId: 'd-9067a1b2c3',
        OwnerAccountId: '100000000001',
        Status: 'ACTIVE',
        CreatedDate: expect.any(Date),
      }),
    ]);
  });

  it('should page permission sets with MaxResults', async () => {
    const pages = await collect(
      paginateListPermissionSets(
        { client, pageSize: 2 },
        { InstanceArn: instanceArn },
      ),
    );
    expect(pages.map(p => p.PermissionSets!.length)).toEqual([2, 2, 1]);
    expect(pages[2].NextToken).toBeUndefined();
    expect(pages.flatMap(p => p.PermissionSets)).toEqual(
      emulators.scenario.identityCenter.permissionSets.map(p => p.arn),
    );
  });

  it('should describe a permission set and read its policies', async () => {
    const { PermissionSet } = await client.send(
      new DescribePermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: arnOf('DeveloperReadOnly'),
      }),
    );
    expect(PermissionSet).toEqual({
      Name: 'DeveloperReadOnly',
      PermissionSetArn: arnOf('DeveloperReadOnly'),
      Description: 'Read-only for developers',
      SessionDuration: 'PT4H',
      CreatedDate: expect.any(Date),
    });
    const managed = await client.send(
      new ListManagedPoliciesInPermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: arnOf('DeveloperReadOnly'),
      }),
    );
    expect(managed.AttachedManagedPolicies).toEqual([
      {
        Name: 'ViewOnlyAccess',
        Arn: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
      },
    ]);
    const inline = await client.send(
      new GetInlinePolicyForPermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: arnOf('DeveloperPowerUser'),
      }),
    );
    expect(JSON.parse(inline.InlinePolicy!).Statement[0].Action).toEqual([
      'iam:PassRole',
    ]);
    const none = await client.send(
      new GetInlinePolicyForPermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: arnOf('DeveloperReadOnly'),
      }),
    );
    expect(none.InlinePolicy).toBeUndefined();
  });

  it("should update a permission set's description, session duration and relay state", async () => {
    const arn = arnOf('DeveloperReadOnly');
    await client.send(
      new UpdatePermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: arn,
        Description: 'Read-only, reviewed',
        SessionDuration: 'PT8H',
      }),
    );
    const { PermissionSet } = await client.send(
      new DescribePermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: arn,
      }),
    );
    expect(PermissionSet).toMatchObject({
      Name: 'DeveloperReadOnly',
      Description: 'Read-only, reviewed',
      SessionDuration: 'PT8H',
    });
    await expect(
      client.send(
        new UpdatePermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: arn,
          SessionDuration: 'eight hours',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('should read customer-managed policies, the boundary and tags', async () => {
    const request = {
      InstanceArn: instanceArn,
      PermissionSetArn: arnOf('BreakGlassAdmin'),
    };
    const customer = await client.send(
      new ListCustomerManagedPolicyReferencesInPermissionSetCommand(request),
    );
    expect(customer.CustomerManagedPolicyReferences).toEqual([
      { Name: 'deny-prod-data', Path: '/guardrails/' },
    ]);
    const boundary = await client.send(
      new GetPermissionsBoundaryForPermissionSetCommand(request),
    );
    expect(boundary.PermissionsBoundary).toEqual({
      CustomerManagedPolicyReference: {
        Name: 'breakglass-boundary',
        Path: '/',
      },
    });
    await expect(
      client.send(
        new GetPermissionsBoundaryForPermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: arnOf('DeveloperAdmin'),
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
    const tags = await client.send(
      new ListTagsForResourceCommand({
        InstanceArn: instanceArn,
        ResourceArn: arnOf('BreakGlassAdmin'),
      }),
    );
    expect(tags.Tags).toEqual([
      { Key: 'owner', Value: 'security' },
      { Key: 'tier', Value: '1' },
    ]);
  });

  it('should report where permission sets are provisioned, including failures', async () => {
    const readOnly = await client.send(
      new ListAccountsForProvisionedPermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: arnOf('DeveloperReadOnly'),
      }),
    );
    expect(readOnly.AccountIds).toEqual([
      '200000000001',
      '200000000002',
      '200000000003',
      '200000000004',
      '200000000005',
    ]);
    const failed = await client.send(
      new ListAccountsForProvisionedPermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: arnOf('DataAnalyst'),
        ProvisioningStatus: 'LATEST_PERMISSION_SET_NOT_PROVISIONED',
      }),
    );
    expect(failed.AccountIds).toEqual(['200000000006']);
    const ok = await client.send(
      new ListAccountsForProvisionedPermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: arnOf('DataAnalyst'),
        ProvisioningStatus: 'LATEST_PERMISSION_SET_PROVISIONED',
      }),
    );
    expect(ok.AccountIds).toEqual([]);
    const toAccount = await client.send(
      new ListPermissionSetsProvisionedToAccountCommand({
        InstanceArn: instanceArn,
        AccountId: '200000000003',
      }),
    );
    expect(toAccount.PermissionSets!.sort()).toEqual(
      [arnOf('DeveloperReadOnly'), arnOf('DeveloperAdmin')].sort(),
    );
    const failedOnAccount = await client.send(
      new ListPermissionSetsProvisionedToAccountCommand({
        InstanceArn: instanceArn,
        AccountId: '200000000006',
        ProvisioningStatus: 'LATEST_PERMISSION_SET_NOT_PROVISIONED',
      }),
    );
    expect(failedOnAccount.PermissionSets).toEqual([arnOf('DataAnalyst')]);
  });

  it('should re-provision a failed permission set asynchronously', async () => {
    const { PermissionSetProvisioningStatus: started } = await client.send(
      new ProvisionPermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: arnOf('DataAnalyst'),
        TargetType: 'AWS_ACCOUNT',
        TargetId: '200000000006',
      }),
    );
    expect(started).toMatchObject({
      Status: 'IN_PROGRESS',
      AccountId: '200000000006',
    });
    await eventually(async () => {
      const { PermissionSetProvisioningStatus: s } = await client.send(
        new DescribePermissionSetProvisioningStatusCommand({
          InstanceArn: instanceArn,
          ProvisionPermissionSetRequestId: started!.RequestId,
        }),
      );
      return s!.Status === 'SUCCEEDED' ? s : undefined;
    });
    const ok = await client.send(
      new ListAccountsForProvisionedPermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: arnOf('DataAnalyst'),
        ProvisioningStatus: 'LATEST_PERMISSION_SET_PROVISIONED',
      }),
    );
    expect(ok.AccountIds).toEqual(['200000000006']);
  });

  it("should page account assignments and a principal's assignments", async () => {
    const pages = await collect(
      paginateListAccountAssignments(
        { client, pageSize: 1 },
        {
          InstanceArn: instanceArn,
          AccountId: '200000000003',
          PermissionSetArn: arnOf('DeveloperReadOnly'),
        },
      ),
    );
    expect(pages).toHaveLength(2);
    expect(
      pages.flatMap(p => p.AccountAssignments!.map(a => a.PrincipalId)).sort(),
    ).toEqual(
      [
        groupId('AWS-Developers-ReadOnly'),
        groupId('AWS-Developers-PowerUser'),
      ].sort(),
    );
    expect(pages[0].AccountAssignments![0]).toEqual({
      AccountId: '200000000003',
      PermissionSetArn: arnOf('DeveloperReadOnly'),
      PrincipalType: 'GROUP',
      PrincipalId: expect.any(String),
    });

    const admin = await collect(
      paginateListAccountAssignmentsForPrincipal(
        { client, pageSize: 5 },
        {
          InstanceArn: instanceArn,
          PrincipalId: groupId('AWS-Developers-Admin'),
          PrincipalType: 'GROUP',
        },
      ),
    );
    expect(admin.map(p => p.AccountAssignments!.length)).toEqual([5, 5, 2]);
    const filtered = await client.send(
      new ListAccountAssignmentsForPrincipalCommand({
        InstanceArn: instanceArn,
        PrincipalId: groupId('AWS-Developers-Admin'),
        PrincipalType: 'GROUP',
        Filter: { AccountId: '100000000002' },
      }),
    );
    expect(filtered.AccountAssignments).toHaveLength(1);
    // A user's own assignments only: group-derived access is not included.
    const priya = emulators.scenario.entra.users.find(
      u => u.upn === 'priya@example.com',
    )!.identityStoreUserId;
    const direct = await client.send(
      new ListAccountAssignmentsForPrincipalCommand({
        InstanceArn: instanceArn,
        PrincipalId: priya,
        PrincipalType: 'USER',
      }),
    );
    expect(direct.AccountAssignments).toEqual([]);
    // The other reading of the model documentation, as a setting.
    await emulators.control.updateSettings({
      principalAssignmentsIncludeGroups: true,
    });
    const withGroups = await client.send(
      new ListAccountAssignmentsForPrincipalCommand({
        InstanceArn: instanceArn,
        PrincipalId: priya,
        PrincipalType: 'USER',
      }),
    );
    expect(withGroups.AccountAssignments).toHaveLength(5);
    expect(
      new Set(withGroups.AccountAssignments!.map(a => a.PrincipalId)),
    ).toEqual(new Set([groupId('AWS-Developers-ReadOnly')]));
  });

  it('should create and delete an assignment asynchronously', async () => {
    const assignment = {
      InstanceArn: instanceArn,
      TargetId: '200000000009',
      TargetType: 'AWS_ACCOUNT' as const,
      PermissionSetArn: arnOf('DeveloperReadOnly'),
      PrincipalType: 'GROUP' as const,
      PrincipalId: groupId('AWS-Developers-ReadOnly'),
    };
    const list = () =>
      client.send(
        new ListAccountAssignmentsCommand({
          InstanceArn: instanceArn,
          AccountId: '200000000009',
          PermissionSetArn: arnOf('DeveloperReadOnly'),
        }),
      );

    const { AccountAssignmentCreationStatus: created } = await client.send(
      new CreateAccountAssignmentCommand(assignment),
    );
    expect(created).toMatchObject({
      Status: 'IN_PROGRESS',
      TargetId: '200000000009',
      PrincipalType: 'GROUP',
      CreatedDate: expect.any(Date),
    });
    const early = await client.send(
      new DescribeAccountAssignmentCreationStatusCommand({
        InstanceArn: instanceArn,
        AccountAssignmentCreationRequestId: created!.RequestId,
      }),
    );
    expect(early.AccountAssignmentCreationStatus!.Status).toBe('IN_PROGRESS');
    expect((await list()).AccountAssignments).toEqual([]);
    await eventually(async () => {
      const { AccountAssignmentCreationStatus: s } = await client.send(
        new DescribeAccountAssignmentCreationStatusCommand({
          InstanceArn: instanceArn,
          AccountAssignmentCreationRequestId: created!.RequestId,
        }),
      );
      return s!.Status === 'SUCCEEDED' ? s : undefined;
    });
    expect((await list()).AccountAssignments).toHaveLength(1);

    const { AccountAssignmentDeletionStatus: deleting } = await client.send(
      new DeleteAccountAssignmentCommand(assignment),
    );
    expect(deleting!.Status).toBe('IN_PROGRESS');
    await eventually(async () => {
      const { AccountAssignmentDeletionStatus: s } = await client.send(
        new DescribeAccountAssignmentDeletionStatusCommand({
          InstanceArn: instanceArn,
          AccountAssignmentDeletionRequestId: deleting!.RequestId,
        }),
      );
      return s!.Status === 'SUCCEEDED' ? s : undefined;
    });
    expect((await list()).AccountAssignments).toEqual([]);
  });

  it('should take minutes when told to, and end a delete FAILED under an async-failure fault', async () => {
    await emulators.control.updateSettings({ assignmentDelayMs: 120_000 });
    const assignment = {
      InstanceArn: instanceArn,
      TargetId: '200000000009',
      TargetType: 'AWS_ACCOUNT' as const,
      PermissionSetArn: arnOf('DeveloperReadOnly'),
      PrincipalType: 'GROUP' as const,
      PrincipalId: groupId('AWS-Developers-ReadOnly'),
    };
    const creation = async (requestId: string) =>
      (
        await client.send(
          new DescribeAccountAssignmentCreationStatusCommand({
            InstanceArn: instanceArn,
            AccountAssignmentCreationRequestId: requestId,
          }),
        )
      ).AccountAssignmentCreationStatus!;
    const deletion = async (requestId: string) =>
      (
        await client.send(
          new DescribeAccountAssignmentDeletionStatusCommand({
            InstanceArn: instanceArn,
            AccountAssignmentDeletionRequestId: requestId,
          }),
        )
      ).AccountAssignmentDeletionStatus!;
    const assigned = async () =>
      (
        await client.send(
          new ListAccountAssignmentsCommand({
            InstanceArn: instanceArn,
            AccountId: '200000000009',
            PermissionSetArn: arnOf('DeveloperReadOnly'),
          }),
        )
      ).AccountAssignments!.length;

    const created = (
      await client.send(new CreateAccountAssignmentCommand(assignment))
    ).AccountAssignmentCreationStatus!;
    await emulators.control.advanceClock(119);
    expect((await creation(created.RequestId!)).Status).toBe('IN_PROGRESS');
    await emulators.control.advanceClock(1);
    expect((await creation(created.RequestId!)).Status).toBe('SUCCEEDED');

    await emulators.control.injectFault({
      service: 'sso-admin',
      operation: 'DeleteAccountAssignment',
      kind: 'async-failure',
    });
    const deleting = (
      await client.send(new DeleteAccountAssignmentCommand(assignment))
    ).AccountAssignmentDeletionStatus!;
    expect(deleting.Status).toBe('IN_PROGRESS');
    await emulators.control.advanceClock(120);
    expect(await deletion(deleting.RequestId!)).toMatchObject({
      Status: 'FAILED',
      FailureReason: expect.stringMatching(/^Received a 500 status error: /),
    });
    expect(await assigned()).toBe(1);

    // The fault fired once: the next delete goes through.
    const again = (
      await client.send(new DeleteAccountAssignmentCommand(assignment))
    ).AccountAssignmentDeletionStatus!;
    await emulators.control.advanceClock(120);
    expect((await deletion(again.RequestId!)).Status).toBe('SUCCEEDED');
    expect(await assigned()).toBe(0);
  });

  it('should fail an assignment to a principal that does not exist', async () => {
    const { AccountAssignmentCreationStatus: created } = await client.send(
      new CreateAccountAssignmentCommand({
        InstanceArn: instanceArn,
        TargetId: '200000000009',
        TargetType: 'AWS_ACCOUNT',
        PermissionSetArn: arnOf('DeveloperReadOnly'),
        PrincipalType: 'USER',
        PrincipalId: '9067a1b2c3-00000000-0000-4000-8000-000000000000',
      }),
    );
    const failed = await eventually(async () => {
      const { AccountAssignmentCreationStatus: s } = await client.send(
        new DescribeAccountAssignmentCreationStatusCommand({
          InstanceArn: instanceArn,
          AccountAssignmentCreationRequestId: created!.RequestId,
        }),
      );
      return s!.Status !== 'IN_PROGRESS' ? s : undefined;
    });
    expect(failed).toMatchObject({
      Status: 'FAILED',
      FailureReason: expect.stringContaining('does not exist'),
    });
  });

  it('should answer ConflictException and the outstanding-operation ThrottlingException', async () => {
    const noRetry = awsClients(emulators, { maxAttempts: 1 }).ssoAdmin;
    const assignment = (account: string) =>
      new CreateAccountAssignmentCommand({
        InstanceArn: instanceArn,
        TargetId: account,
        TargetType: 'AWS_ACCOUNT',
        PermissionSetArn: arnOf('DataAnalyst'),
        PrincipalType: 'GROUP',
        PrincipalId: groupId('AWS-Data-Analysts'),
      });
    await emulators.control.updateSettings({
      assignmentDelayMs: 5000,
      maxOutstandingAssignments: 2,
    });
    await noRetry.send(assignment('200000000001'));
    await expect(
      noRetry.send(assignment('200000000001')),
    ).rejects.toMatchObject({
      name: 'ConflictException',
      $metadata: { httpStatusCode: 409 },
    });
    await noRetry.send(assignment('200000000002'));
    await expect(
      noRetry.send(assignment('200000000004')),
    ).rejects.toMatchObject({
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 429 },
    });
  });

  it('should validate input like the service', async () => {
    const noRetry = awsClients(emulators, { maxAttempts: 1 }).ssoAdmin;
    await expect(
      noRetry.send(
        new ListPermissionSetsCommand({
          InstanceArn: instanceArn,
          MaxResults: 101,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
    });
    await expect(
      noRetry.send(
        new ListPermissionSetsCommand({
          InstanceArn: 'arn:aws:sso:::instance/nope',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining(
        "at 'instanceArn' failed to satisfy constraint: Member must satisfy regular expression pattern",
      ),
    });
    await expect(
      noRetry.send(
        new DescribePermissionSetCommand({ InstanceArn: instanceArn } as never),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining("Value null at 'permissionSetArn'"),
    });
    await expect(
      noRetry.send(
        new ListPermissionSetsCommand({
          InstanceArn: instanceArn,
          NextToken: 'bm90LWEtdG9rZW4',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    // A token is only good for the listing it came from.
    const first = await noRetry.send(
      new ListAccountAssignmentsForPrincipalCommand({
        InstanceArn: instanceArn,
        PrincipalId: groupId('AWS-Developers-Admin'),
        PrincipalType: 'GROUP',
        MaxResults: 2,
      }),
    );
    await expect(
      noRetry.send(
        new ListPermissionSetsCommand({
          InstanceArn: instanceArn,
          NextToken: first.NextToken,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('should answer ResourceNotFoundException for unknown objects', async () => {
    const unknown = `arn:aws:sso:::permissionSet/${emulators.scenario.identityCenter.instanceId}/ps-0000000000000000`;
    await expect(
      client.send(
        new DescribePermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: unknown,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Could not find PermissionSet with id ps-0000000000000000',
    });
    await expect(
      client.send(
        new ListPermissionSetsCommand({
          InstanceArn: 'arn:aws:sso:::instance/ssoins-0000000000000000',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('should deny callers from a member account (AccessDeniedException)', async () => {
    const { sts } = awsClients(emulators);
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::200000000001:role/readonly',
        RoleSessionName: 'test',
      }),
    );
    const member = awsClients(emulators, {
      credentials: {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken,
      },
    }).ssoAdmin;
    await expect(
      member.send(new ListPermissionSetsCommand({ InstanceArn: instanceArn })),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('should throttle at the shared rate limit with Retry-After, which the SDK honours', async () => {
    await emulators.control.setRateLimit('aws', 1);
    await client.send(new ListInstancesCommand({}));
    const started = Date.now();
    const second = await client.send(new ListInstancesCommand({}));
    expect(second.$metadata.attempts).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const counters = await emulators.control.getCounters();
    expect(counters['sso-admin'].ListInstances).toBe(3);
    expect(counters.throttled['sso-admin'].ListInstances).toBe(1);
  });
});
