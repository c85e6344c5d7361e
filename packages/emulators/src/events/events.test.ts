import {
  CreateAccountAssignmentCommand,
  UpdatePermissionSetCommand,
} from '@aws-sdk/client-sso-admin';
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { awsClients, startSeed } from '../__testUtils__/clients';
import type { Emulators } from '../startEmulators';

/*
 * EventBridge's "AWS API Call via CloudTrail" events for the emulated world's writes, read from the configured
 * queue with the real SQS client: the envelope, the detail of each source, and the delivery settings.
 */

describe('CloudTrail events on the queue', () => {
  let emulators: Emulators;
  let sqs: SQSClient;
  let queueUrl: string;

  beforeAll(async () => {
    emulators = await startSeed();
    sqs = new SQSClient({
      region: 'eu-west-1',
      endpoint: emulators.awsEndpoint,
      credentials: { accessKeyId: 'AKIAEMULATOR', secretAccessKey: 'x' },
    });
    queueUrl = (
      await sqs.send(new CreateQueueCommand({ QueueName: 'aws-access-events' }))
    ).QueueUrl!;
  });
  afterAll(async () => {
    sqs.destroy();
    await emulators.close();
  });
  beforeEach(async () => {
    await emulators.control.reset();
    await emulators.control.updateSettings({ eventQueue: 'aws-access-events' });
  });

  async function events(): Promise<any[]> {
    const all: any[] = [];
    for (;;) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
        }),
      );
      if (!Messages) return all;
      all.push(...Messages.map(m => JSON.parse(m.Body!)));
    }
  }

  const group = (name: string) =>
    emulators.scenario.entra.groups.find(g => g.name === name)!;

  it('should deliver an sso-admin write from any client with the documented envelope', async () => {
    const { identityCenter } = emulators.scenario;
    const permissionSetArn = identityCenter.permissionSets.find(
      p => p.name === 'DeveloperReadOnly',
    )!.arn;
    const input = {
      InstanceArn: identityCenter.instanceArn,
      TargetId: '200000000009',
      TargetType: 'AWS_ACCOUNT' as const,
      PermissionSetArn: permissionSetArn,
      PrincipalType: 'GROUP' as const,
      PrincipalId: group('AWS-Developers-ReadOnly').identityStoreGroupId!,
    };
    const { ssoAdmin } = awsClients(emulators);
    await ssoAdmin.send(new CreateAccountAssignmentCommand(input));

    const [event] = await events();
    const account = identityCenter.organization.managementAccountId;
    expect(event).toMatchObject({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.sso',
      account,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      region: identityCenter.region,
      resources: [],
      detail: {
        eventSource: 'sso.amazonaws.com',
        eventName: 'CreateAccountAssignment',
        awsRegion: identityCenter.region,
        eventType: 'AwsApiCall',
        readOnly: false,
        recipientAccountId: account,
        requestParameters: {
          instanceArn: identityCenter.instanceArn,
          targetId: '200000000009',
          targetType: 'AWS_ACCOUNT',
          permissionSetArn,
          principalType: 'GROUP',
          principalId: input.PrincipalId,
        },
        responseElements: {
          accountAssignmentCreationStatus: expect.objectContaining({
            status: 'IN_PROGRESS',
            requestId: expect.any(String),
          }),
        },
      },
    });
  });

  it('should deliver a permission set update with the permission set it changed', async () => {
    const { identityCenter } = emulators.scenario;
    const permissionSetArn = identityCenter.permissionSets[0].arn;
    const { ssoAdmin } = awsClients(emulators);
    await ssoAdmin.send(
      new UpdatePermissionSetCommand({
        InstanceArn: identityCenter.instanceArn,
        PermissionSetArn: permissionSetArn,
        Description: 'changed',
      }),
    );
    const received = await events();
    expect(received.map(e => e.detail)).toEqual([
      expect.objectContaining({
        eventSource: 'sso.amazonaws.com',
        eventName: 'UpdatePermissionSet',
        requestParameters: {
          instanceArn: identityCenter.instanceArn,
          permissionSetArn,
          description: 'changed',
        },
      }),
    ]);
  });

  it("should record the SCIM bridge's calls with hidden values and the object's id", async () => {
    await emulators.control.createEntraUser({
      upn: 'new.hire@example.com',
      displayName: 'New Hire',
    });
    await emulators.control.addGroupMember(
      'AWS-Developers-ReadOnly',
      'new.hire@example.com',
    );
    const cycle = await emulators.control.runScimCycle();
    const received = await events();
    const names = received.map(e => e.detail.eventName);
    expect(names.filter(n => n === 'CreateUser')).toHaveLength(
      cycle.counts.createUser,
    );
    for (const event of received)
      expect(event).toMatchObject({
        source: 'aws.identitystore-scim',
        detail: { eventSource: 'identitystore-scim.amazonaws.com' },
      });
    const hire = cycle.changes.find(c => c.name === 'new.hire@example.com')!;
    expect(
      received.find(e => e.detail.responseElements?.id === hire.identityStoreId)
        .detail,
    ).toMatchObject({
      eventName: 'CreateUser',
      requestParameters: {
        httpBody: { userName: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
      },
    });
    const patch = received.find(
      e =>
        e.detail.eventName === 'PatchGroup' &&
        e.detail.requestParameters.id ===
          group('AWS-Developers-ReadOnly').identityStoreGroupId,
    );
    expect(patch.detail.requestParameters.httpBody.operations).toContainEqual({
      op: 'ADD',
      path: 'members',
      value: 'HIDDEN_DUE_TO_SECURITY_REASONS',
    });
  });

  it('should record Organizations changes in us-east-1, the new account id in CreateAccountResult', async () => {
    const created = await emulators.control.createAccount({
      name: 'events-test',
      email: 'events@example.com',
    });
    await emulators.control.updateAccount(created.id, {
      ou: 'Workloads/Prod',
      tags: { team: 'payments' },
      status: 'PENDING_CLOSURE',
    });
    const received = await events();
    expect(received.map(e => e.detail.eventName)).toEqual([
      'CreateAccount',
      'CreateAccountResult',
      'CloseAccount',
      'MoveAccount',
      'TagResource',
    ]);
    for (const event of received)
      expect(event).toMatchObject({
        source: 'aws.organizations',
        region: 'us-east-1',
      });
    expect(received[1]).toMatchObject({
      'detail-type': 'AWS Service Event via CloudTrail',
      detail: {
        eventType: 'AwsServiceEvent',
        serviceEventDetails: {
          createAccountStatus: { state: 'SUCCEEDED', accountId: created.id },
        },
      },
    });
    expect(received[3].detail.requestParameters).toMatchObject({
      accountId: created.id,
      destinationParentId: expect.stringMatching(/^ou-/),
    });
  });

  it('should delay, duplicate and lose events as configured, counting what was lost', async () => {
    await emulators.control.updateSettings({
      eventDelaySeconds: 60,
      eventDuplicateRate: 1,
    });
    await emulators.control.createAccount({
      name: 'a',
      email: 'a@example.com',
    });
    expect(await events()).toEqual([]);
    await emulators.control.advanceClock(61);
    const twice = await events();
    expect(twice).toHaveLength(4);
    expect(new Set(twice.map(e => e.id)).size).toBe(2);

    await emulators.control.updateSettings({
      eventDelaySeconds: 0,
      eventDuplicateRate: 0,
      eventLossRate: 1,
    });
    await emulators.control.createAccount({
      name: 'b',
      email: 'b@example.com',
    });
    expect(await events()).toEqual([]);
    const stats = await emulators.control.getEvents();
    expect(stats).toMatchObject({
      queue: 'aws-access-events',
      delivered: 2,
      duplicated: 2,
      lost: 2,
      lostEvents: [
        expect.objectContaining({ eventName: 'CreateAccount' }),
        expect.objectContaining({ eventName: 'CreateAccountResult' }),
      ],
    });
  });

  it('should shuffle events within the reorder window', async () => {
    await emulators.control.updateSettings({ eventReorderSeconds: 30 });
    for (let i = 0; i < 8; i++)
      await emulators.control.createAccount({
        name: `r${i}`,
        email: `r${i}@example.com`,
      });
    await emulators.control.advanceClock(31);
    const names = (await events())
      .filter(e => e.detail.eventName === 'CreateAccount')
      .map(e => e.detail.requestParameters.accountName);
    expect(names).toHaveLength(8);
    expect(names).not.toEqual([...names].sort());
  });
});
