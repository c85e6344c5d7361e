import {
  CreateAccountAssignmentCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { startEmulatorWorld } from '../__testUtils__/emulatorWorld';
import { applyTargetReads } from '../snapshot/applyTargetReads';
import type { AwsSide, Snapshot } from '../snapshot/model';
import type { TargetRead } from '../sources/identityCenter/readChangeTargets';
import { RequestStats } from '../sources/requests/RequestStats';
import { coalesceTargets, readChangeEvent } from './changeTargets';

/*
 * Change events re-read exactly what they name: after an assignment made by another client and a SCIM cycle,
 * the previous AWS side plus the targeted reads equals a fresh full read, for far fewer calls.
 */

type World = Awaited<ReturnType<typeof startEmulatorWorld>>;

describe('targeted refresh from change events', () => {
  let world: World;

  beforeAll(async () => {
    world = await startEmulatorWorld();
  });
  afterAll(() => world.emulators.close());

  const ctx = () => ({ stats: new RequestStats(), now: new Date() });
  const comparable = (aws: AwsSide) => ({
    users: aws.users.map(u => JSON.stringify(u)).sort(),
    groups: aws.groups
      .map(g =>
        JSON.stringify({ ...g, memberUserIds: [...g.memberUserIds].sort() }),
      )
      .sort(),
    assignments: aws.assignments.map(a => JSON.stringify(a)).sort(),
  });

  it('should converge to a full read by re-reading only what the events name', async () => {
    const { emulators, sources } = world;
    const endpoint = {
      region: 'us-east-1',
      endpoint: emulators.awsEndpoint,
      credentials: { accessKeyId: 'AKIAEMULATOR', secretAccessKey: 'x' },
    };
    const sqs = new SQSClient(endpoint);
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: 'refresh-events' }),
    );
    await emulators.control.updateSettings({ eventQueue: 'refresh-events' });
    const before = await sources.aws.read(ctx());

    const { identityCenter, entra } = emulators.scenario;
    const ssoAdmin = new SSOAdminClient(endpoint);
    await ssoAdmin.send(
      new CreateAccountAssignmentCommand({
        InstanceArn: identityCenter.instanceArn,
        TargetId: '200000000009',
        TargetType: 'AWS_ACCOUNT',
        PermissionSetArn: identityCenter.permissionSets[0].arn,
        PrincipalType: 'GROUP',
        PrincipalId: entra.groups[0].identityStoreGroupId!,
      }),
    );
    ssoAdmin.destroy();
    await emulators.control.advanceClock(5);
    await emulators.control.createEntraUser({
      upn: 'refresh.hire@example.com',
      displayName: 'Refresh Hire',
    });
    await emulators.control.addGroupMember(
      'AWS-Developers-ReadOnly',
      'refresh.hire@example.com',
    );
    await emulators.control.runScimCycle();

    const events = [];
    for (;;) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }),
      );
      if (!Messages) break;
      events.push(...Messages.map(m => readChangeEvent(m.Body!)));
    }
    sqs.destroy();
    const targets = coalesceTargets(events.flatMap(e => e.targets));
    expect(targets.length).toBeLessThan(events.length + 1);

    await emulators.control.resetCounters();
    const reads: TargetRead[] = [];
    for (const target of targets) {
      const read = await sources.aws.readChangeTarget(ctx(), before, target);
      if (read) reads.push(read);
    }
    const targetedCalls = (await emulators.control.getCounters()).totals.all;
    // Only the AWS side is involved here.
    const refreshed = applyTargetReads({ aws: before } as Snapshot, reads).aws;

    await emulators.control.resetCounters();
    const full = await sources.aws.read(ctx());
    const fullCalls = (await emulators.control.getCounters()).totals.all;

    expect(comparable(refreshed)).toEqual(comparable(full));
    expect(comparable(before)).not.toEqual(comparable(full));
    expect(targetedCalls).toBeLessThan(fullCalls / 2);
  });
});
