import fs from 'node:fs';
import path from 'node:path';
import {
  CreateAccountAssignmentCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Emulators } from '@aws-access/emulators';
import { startTestEmulators } from '@aws-access/test-utils';
import { parse } from 'yaml';
import type { ChangeEvent } from './changeTargets';
import {
  coalesceTargets,
  readChangeEvent,
  UnreadableEventError,
} from './changeTargets';

/*
 * The events the emulated world delivers for its writes (sso-admin calls, a SCIM cycle, Organizations changes),
 * read from the queue with the real SQS client: each maps to the smallest refresh, a burst coalesces, and every
 * event that changes something passes the CloudFormation rule's event pattern (which cfn-lint does not check).
 */

const TEMPLATE = path.resolve(
  __dirname,
  '../../cloudformation/aws-access-events.yaml',
);

/** EventBridge matching for the pattern forms the template uses: value lists and `{ exists: false }`. */
function matches(pattern: unknown, event: unknown): boolean {
  if (Array.isArray(pattern))
    return pattern.some(option =>
      typeof option === 'object' && option !== null && 'exists' in option
        ? (event !== undefined) === option.exists
        : option === event,
    );
  return Object.entries(pattern as Record<string, unknown>).every(
    ([key, inner]) =>
      matches(inner, (event as Record<string, unknown> | undefined)?.[key]),
  );
}

function rulePattern(): unknown {
  const template = parse(fs.readFileSync(TEMPLATE, 'utf8'), {
    logLevel: 'silent',
  });
  return template.Resources.ChangeEventsRule.Properties.EventPattern;
}

describe('change events → refresh targets', () => {
  let emulators: Emulators;
  let sqs: SQSClient;
  let queueUrl: string;
  const config = () => ({
    region: 'us-east-1',
    endpoint: emulators.awsEndpoint,
    credentials: { accessKeyId: 'AKIAEMULATOR', secretAccessKey: 'x' },
  });

  beforeAll(async () => {
    emulators = await startTestEmulators();
    sqs = new SQSClient(config());
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

  async function delivered(): Promise<{ raw: any; event: ChangeEvent }[]> {
    const all: { raw: any; event: ChangeEvent }[] = [];
    for (;;) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
        }),
      );
      if (!Messages) return all;
      for (const m of Messages)
        all.push({ raw: JSON.parse(m.Body!), event: readChangeEvent(m.Body!) });
    }
  }

  it('should map an assignment made by any client to its account × permission set pair', async () => {
    const { identityCenter, entra } = emulators.scenario;
    const permissionSetArn = identityCenter.permissionSets[0].arn;
    const principalId = entra.groups[0].identityStoreGroupId!;
    const client = new SSOAdminClient(config());
    const assign = (TargetId: string) =>
      client.send(
        new CreateAccountAssignmentCommand({
          InstanceArn: identityCenter.instanceArn,
          TargetId,
          TargetType: 'AWS_ACCOUNT',
          PermissionSetArn: permissionSetArn,
          PrincipalType: 'GROUP',
          PrincipalId: principalId,
        }),
      );
    await assign('200000000009');
    // The same again while the first is in progress: refused (ConflictException), recorded with its error.
    await expect(assign('200000000009')).rejects.toThrow();
    client.destroy();

    const [made, refused] = await delivered();
    expect(made.event).toMatchObject({
      eventSource: 'sso.amazonaws.com',
      eventName: 'CreateAccountAssignment',
      targets: [
        { kind: 'assignments', accountId: '200000000009', permissionSetArn },
      ],
    });
    expect(matches(rulePattern(), made.raw)).toBe(true);
    expect(refused.event.targets).toEqual([]);
    expect(matches(rulePattern(), refused.raw)).toBe(false);
  });

  it("should coalesce a SCIM cycle's calls to one target per user and group", async () => {
    await emulators.control.createEntraUser({
      upn: 'burst.hire@example.com',
      displayName: 'Burst Hire',
    });
    for (const name of ['AWS-Developers-ReadOnly', 'Backend-Team'])
      await emulators.control
        .addGroupMember(name, 'burst.hire@example.com')
        .catch(() => undefined);
    const cycle = await emulators.control.runScimCycle();
    const events = await delivered();
    expect(events.length).toBeGreaterThan(0);
    for (const { raw } of events)
      expect(matches(rulePattern(), raw)).toBe(true);

    const targets = coalesceTargets(events.flatMap(e => e.event.targets));
    const touched = new Set(
      cycle.changes.map(c =>
        c.action.endsWith('Member') || c.action.endsWith('Group')
          ? `group|${c.identityStoreId}`
          : `user|${c.identityStoreId}`,
      ),
    );
    expect(
      new Set(
        targets.map(t =>
          t.kind === 'group'
            ? `group|${t.groupId}`
            : `user|${(t as any).userId}`,
        ),
      ),
    ).toEqual(touched);
    const hire = cycle.changes.find(c => c.name === 'burst.hire@example.com')!;
    expect(targets).toContainEqual({
      kind: 'user',
      userId: hire.identityStoreId,
    });
  });

  it('should map Organizations changes to the account, the new one by its CreateAccountResult', async () => {
    const created = await emulators.control.createAccount({
      name: 'events-target',
      email: 'events-target@example.com',
    });
    await emulators.control.updateAccount('200000000003', {
      ou: 'Workloads/Elsewhere',
      tags: { 'cost-center': '42' },
    });
    const events = await delivered();
    const byName = (name: string) =>
      events.find(e => e.event.eventName === name)!;
    expect(byName('CreateAccount').event.targets).toEqual([]);
    expect(byName('CreateAccountResult').event.targets).toEqual([
      { kind: 'account', accountId: created.id },
    ]);
    expect(coalesceTargets(events.flatMap(e => e.event.targets))).toEqual([
      { kind: 'account', accountId: created.id },
      { kind: 'account', accountId: '200000000003' },
    ]);
    for (const name of ['CreateAccountResult', 'MoveAccount', 'TagResource'])
      expect(matches(rulePattern(), byName(name).raw)).toBe(true);
  });

  it('should carry the operations an event reports in progress, all of them once coalesced', () => {
    const event = (name: string, requestId: string, status: string) =>
      JSON.stringify({
        id: requestId,
        'detail-type': 'AWS API Call via CloudTrail',
        detail: {
          eventSource: 'sso.amazonaws.com',
          eventName: name,
          requestParameters: {
            targetId: '200000000009',
            permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
          },
          responseElements: {
            [name === 'CreateAccountAssignment'
              ? 'accountAssignmentCreationStatus'
              : 'accountAssignmentDeletionStatus']: { status, requestId },
          },
        },
      });
    const created = readChangeEvent(
      event('CreateAccountAssignment', 'r-1', 'IN_PROGRESS'),
    );
    const deleted = readChangeEvent(
      event('DeleteAccountAssignment', 'r-2', 'IN_PROGRESS'),
    );
    const done = readChangeEvent(
      event('DeleteAccountAssignment', 'r-3', 'SUCCEEDED'),
    );
    const pair = {
      kind: 'assignments',
      accountId: '200000000009',
      permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
    };
    expect(created.targets).toEqual([
      {
        ...pair,
        pending: [{ operation: 'create-assignment', requestId: 'r-1' }],
      },
    ]);
    expect(done.targets).toEqual([pair]);
    expect(
      coalesceTargets([
        ...created.targets,
        ...done.targets,
        ...deleted.targets,
      ]),
    ).toEqual([
      {
        ...pair,
        pending: [
          { operation: 'create-assignment', requestId: 'r-1' },
          { operation: 'delete-assignment', requestId: 'r-2' },
        ],
      },
    ]);
  });

  it('should refuse what is not an EventBridge CloudTrail event', () => {
    expect(() => readChangeEvent('not json')).toThrow(UnreadableEventError);
    expect(() =>
      readChangeEvent(JSON.stringify({ id: 'x', detail: {} })),
    ).toThrow(/detail.eventSource/);
  });
});
