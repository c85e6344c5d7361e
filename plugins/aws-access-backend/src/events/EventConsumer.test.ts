import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { maxListenersOf } from '../__testUtils__/maxListenersOf';
import type { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import {
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
} from '@aws-sdk/client-sso-admin';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ChangeEventsStatus } from '@aws-access/plugin-aws-access-common';
import {
  emulatorSsoAdmin,
  startEmulatorWorld,
} from '../__testUtils__/emulatorWorld';
import { createTestSyncService } from '../__testUtils__/syncService';
import { SqsChangeQueue } from '../sources/identityCenter/SqsChangeQueue';
import type { AwsSource } from '../sources/ports';
import { RequestStats } from '../sources/requests/RequestStats';
import { SnapshotStore } from '../store/SnapshotStore';
import type { BatchOutcome } from './EventConsumer';
import { EventConsumer } from './EventConsumer';
import { missedChanges } from './missedChanges';

/*
 * The change events consumer against the emulated AWS and its SQS, on each database: what it commits always equals
 * what a full read would find, whatever the delivery does (duplicates, reordering); what delivery loses, the full
 * reconciliation repairs and counts; a poison message is dead-lettered while the others go on; a replica that dies
 * mid-batch loses nothing; and an assignment made by another client (the AWS CLI) shows without a full sync.
 */

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const MAX_RECEIVES = 2;
const VISIBILITY_SECONDS = 30;

type World = Awaited<ReturnType<typeof startEmulatorWorld>>;

async function setUp(world: World, databaseId: any, queueName: string) {
  const knex = await databases.init(databaseId);
  const store = await SnapshotStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  const sync = createTestSyncService(world, {
    store,
    // The replicas of a test share this one service, so a replica that dies mid-read would hold the others' refreshes
    // back for the default 2 minutes; in a deployment each replica has its own.
    targetedTurnMaxWaitMs: 1_000,
    onReconciled: async ({ runId, at, differences }) =>
      store.writeChangeEventStatus(
        'reconcile',
        { at, runId, missed: differences.length, differences },
        at,
      ),
  });
  const sqs = new SQSClient({
    region: world.config.identityCenter.region,
    endpoint: world.emulators.awsEndpoint,
    credentials: { accessKeyId: 'AKIAEMULATOR', secretAccessKey: 'x' },
  });
  const dlq = await sqs.send(
    new CreateQueueCommand({ QueueName: `${queueName}-dlq` }),
  );
  const dlqArn = (
    await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: dlq.QueueUrl,
        AttributeNames: ['QueueArn'],
      }),
    )
  ).Attributes!.QueueArn;
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: queueName,
      Attributes: {
        VisibilityTimeout: String(VISIBILITY_SECONDS),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqArn,
          maxReceiveCount: MAX_RECEIVES,
        }),
      },
    }),
  );
  await world.emulators.control.updateSettings({ eventQueue: queueName });
  const queue = new SqsChangeQueue({
    client: sqs,
    queueUrl: QueueUrl!,
    deadLetterQueueUrl: dlq.QueueUrl,
  });
  const consumer = (
    aws: Pick<AwsSource, 'readChangeTarget'> = world.sources.aws,
  ) =>
    new EventConsumer({
      queue,
      aws,
      sync,
      store,
      config: { waitTimeSeconds: 1, batchWindowMs: 300, maxBatch: 500 },
      logger: world.logger,
    });
  expect(await sync.run()).toMatchObject({ outcome: 'succeeded' });
  return { store, sync, sqs, queueUrl: QueueUrl!, consumer };
}

/** Batches until the queue answers empty. */
async function drain(consumer: EventConsumer): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = [];
  for (let i = 0; i < 20; i++) {
    const outcome = await consumer.runBatch();
    outcomes.push(outcome);
    if (outcome.kind !== 'handled') return outcomes;
  }
  throw new Error('the queue never emptied');
}

/** What the served snapshot's AWS side lacks or has too much, against a full read now. */
async function differencesFromFullRead(world: World, store: SnapshotStore) {
  const served = (await store.latest())!.snapshot.aws;
  const full = await world.sources.aws.read(
    { stats: new RequestStats(), now: new Date() },
    served,
  );
  return missedChanges(served, full);
}

const fullRuns = async (store: SnapshotStore) =>
  (await store.recentRuns(100)).filter(r => r.trigger !== 'targeted').length;

const status = async (store: SnapshotStore) =>
  (await store.changeEventStatus()) as {
    consumer?: ChangeEventsStatus;
    reconcile?: ChangeEventsStatus['lastReconcile'];
  };

describe.each(databases.eachSupportedId())(
  'change events consumer on %p',
  databaseId => {
    let world: World;
    let ssoAdmin: SSOAdminClient;

    beforeEach(async () => {
      world = await startEmulatorWorld();
      ssoAdmin = emulatorSsoAdmin(world);
    });
    afterEach(async () => {
      ssoAdmin.destroy();
      await world.emulators.close();
    });

    const assignment = (accountId: string, groupName: string, ps = 0) => {
      const { identityCenter, entra } = world.emulators.scenario;
      return {
        InstanceArn: identityCenter.instanceArn,
        TargetId: accountId,
        TargetType: 'AWS_ACCOUNT' as const,
        PermissionSetArn: identityCenter.permissionSets[ps].arn,
        PrincipalType: 'GROUP' as const,
        PrincipalId: entra.groups.find(g => g.name === groupName)!
          .identityStoreGroupId!,
      };
    };

    it("should let a batch's many reads listen to the task's signal", async () => {
      const { consumer } = await setUp(world, databaseId, 'listeners');
      const task = new AbortController();
      await consumer().consume(task.signal, 0);
      expect(maxListenersOf(task.signal)).toBe(0);
    });

    it('should end where a full read does despite duplicated and reordered events, with one refresh per burst', async () => {
      const { store, consumer } = await setUp(world, databaseId, 'dup-reorder');
      await world.emulators.control.updateSettings({
        eventDuplicateRate: 1,
        eventReorderSeconds: 20,
      });
      // One assignment removed, one created; reordered and repeated, the consumer re-reads either way.
      const existing = (await store.latest())!.snapshot.aws.assignments[0];
      await ssoAdmin.send(
        new DeleteAccountAssignmentCommand({
          InstanceArn: world.emulators.scenario.identityCenter.instanceArn,
          TargetId: existing.accountId,
          TargetType: 'AWS_ACCOUNT',
          PermissionSetArn: existing.permissionSetArn,
          PrincipalType: existing.principalType,
          PrincipalId: existing.principalId,
        }),
      );
      await ssoAdmin.send(
        new CreateAccountAssignmentCommand(
          assignment('200000000008', 'AWS-Developers-ReadOnly', 1),
        ),
      );
      await world.emulators.control.createEntraUser({
        upn: 'events.hire@example.com',
        displayName: 'Events Hire',
      });
      await world.emulators.control.addGroupMember(
        'AWS-Developers-ReadOnly',
        'events.hire@example.com',
      );
      await world.emulators.control.runScimCycle();
      await world.emulators.control.advanceClock(30);
      const stats = await world.emulators.control.getEvents();
      expect(stats.duplicated).toBeGreaterThan(0);
      const before = await fullRuns(store);

      expect(await differencesFromFullRead(world, store)).not.toEqual([]);
      const outcomes = await drain(consumer());
      const handled = outcomes.filter(o => o.kind === 'handled');
      const messages = handled.reduce((n, o) => n + o.messages, 0);
      const targets = handled.reduce((n, o) => n + o.targets, 0);
      expect(messages).toBe(stats.delivered + stats.duplicated);
      expect(targets).toBeLessThan(messages);

      expect(await differencesFromFullRead(world, store)).toEqual([]);
      expect(await fullRuns(store)).toBe(before);
      expect((await status(store)).consumer?.handled).toBe(messages);
    });

    it('should not settle an assignment its event names while AWS still creates or deletes it', async () => {
      const { store, consumer } = await setUp(world, databaseId, 'in-progress');
      // CloudTrail records the call when AWS accepts it (IN_PROGRESS); the assignment exists only once it ends.
      await world.emulators.control.updateSettings({ assignmentDelayMs: 3000 });
      const existing = (await store.latest())!.snapshot.aws.assignments[0];
      await ssoAdmin.send(
        new DeleteAccountAssignmentCommand({
          InstanceArn: world.emulators.scenario.identityCenter.instanceArn,
          TargetId: existing.accountId,
          TargetType: 'AWS_ACCOUNT',
          PermissionSetArn: existing.permissionSetArn,
          PrincipalType: existing.principalType,
          PrincipalId: existing.principalId,
        }),
      );
      await ssoAdmin.send(
        new CreateAccountAssignmentCommand(
          assignment('200000000008', 'AWS-Developers-ReadOnly', 1),
        ),
      );
      const outcomes = await drain(consumer());
      expect(outcomes.filter(o => o.kind === 'handled')).not.toEqual([]);
      expect(await differencesFromFullRead(world, store)).toEqual([]);
      expect(
        (await store.latest())!.snapshot.aws.assignments.some(
          a =>
            a.accountId === '200000000008' &&
            a.principalId ===
              assignment('200000000008', 'AWS-Developers-ReadOnly', 1)
                .PrincipalId,
        ),
      ).toBe(true);
    });

    it('should count and repair at the next reconciliation what lost events never said', async () => {
      const { store, sync, consumer } = await setUp(world, databaseId, 'loss');
      await world.emulators.control.updateSettings({ eventLossRate: 1 });
      await ssoAdmin.send(
        new CreateAccountAssignmentCommand(
          assignment('200000000009', 'AWS-Developers-ReadOnly'),
        ),
      );
      await ssoAdmin.send(
        new CreateAccountAssignmentCommand(
          assignment('200000000008', 'AWS-Developers-ReadOnly'),
        ),
      );
      expect((await world.emulators.control.getEvents()).lost).toBe(2);
      await drain(consumer());
      const missed = await differencesFromFullRead(world, store);
      expect(missed).toHaveLength(2);

      expect(await sync.run({ trigger: 'manual' })).toMatchObject({
        outcome: 'succeeded',
      });
      const reconcile = (await status(store)).reconcile!;
      expect(reconcile.missed).toBe(2);
      expect(reconcile.differences).toEqual(missed);
      expect(reconcile.differences.map(d => d.subject).join('\n')).toContain(
        'GROUP AWS-Developers-ReadOnly → ',
      );
      expect(await differencesFromFullRead(world, store)).toEqual([]);

      // Nothing lost since: the next reconciliation finds nothing.
      await sync.run({ trigger: 'manual' });
      expect((await status(store)).reconcile!.missed).toBe(0);
    });

    it('should dead-letter a poison message and go on with the others', async () => {
      const { store, sqs, queueUrl, consumer } = await setUp(
        world,
        databaseId,
        'poison',
      );
      const { MessageId: poisonId } = await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: 'not json {',
        }),
      );
      await ssoAdmin.send(
        new CreateAccountAssignmentCommand(
          assignment('200000000009', 'AWS-Developers-ReadOnly'),
        ),
      );
      const reader = consumer();
      const first = await drain(reader);
      expect(first[0]).toMatchObject({ kind: 'handled', unreadable: 1 });
      expect(await differencesFromFullRead(world, store)).toEqual([]);
      expect((await status(store)).consumer?.unreadable).toEqual([
        expect.objectContaining({
          messageId: poisonId,
          receiveCount: 1,
          reason: 'the message body is not JSON',
        }),
      ]);

      // Back after each visibility timeout, until the redrive policy moves it.
      for (let receive = 2; receive <= MAX_RECEIVES + 1; receive++) {
        await world.emulators.control.advanceClock(VISIBILITY_SECONDS + 1);
        await drain(reader);
      }
      const after = (await status(store)).consumer!;
      expect(after.unreadable[0].receiveCount).toBe(MAX_RECEIVES);
      expect(after.deadLetterDepth).toBe(1);
      // The queue is empty: the next batch finds nothing.
      expect(await reader.runBatch()).toEqual({ kind: 'empty' });
    });

    it('should lose nothing when the consuming replica dies mid-batch', async () => {
      const { store, consumer } = await setUp(world, databaseId, 'crash');
      await ssoAdmin.send(
        new CreateAccountAssignmentCommand(
          assignment('200000000009', 'AWS-Developers-ReadOnly'),
        ),
      );
      // Replica A receives the batch and dies while reading what it names: no commit, no delete.
      let dying!: () => void;
      const died = new Promise<void>(resolve => {
        dying = resolve;
      });
      const dyingReplica = consumer({
        readChangeTarget: () => {
          dying();
          return new Promise(() => {});
        },
      });
      void dyingReplica.runBatch();
      await died;
      const versionBefore = await store.latestVersion();

      // Replica B takes over; the messages come back once A's visibility timeout has passed.
      const other = consumer();
      expect(await other.runBatch()).toEqual({ kind: 'empty' });
      await world.emulators.control.advanceClock(VISIBILITY_SECONDS + 1);
      const outcomes = await drain(other);
      expect(outcomes[0]).toMatchObject({ kind: 'handled', deleted: 1 });
      expect(await store.latestVersion()).toBeGreaterThan(versionBefore!);
      expect(await differencesFromFullRead(world, store)).toEqual([]);
    });

    it('should never undo a full sync that commits while a refresh is built', async () => {
      const { store, sync } = await setUp(world, databaseId, 'race');
      await world.emulators.control.updateSettings({ eventLossRate: 1 });
      await ssoAdmin.send(
        new CreateAccountAssignmentCommand(
          assignment('200000000009', 'AWS-Developers-ReadOnly'),
        ),
      );
      // Assignments are made asynchronously: wait until a read shows it.
      for (let i = 0; i < 50; i++) {
        if ((await differencesFromFullRead(world, store)).length > 0) break;
        await new Promise(r => setTimeout(r, 100));
      }
      let builds = 0;
      const { version } = await sync.commitTargeted({
        reason: 'test',
        build: async current => {
          // The first build is overtaken by a full sync that finds the assignment.
          if (builds++ === 0) await sync.run({ trigger: 'manual' });
          return current;
        },
      });
      expect(builds).toBe(2);
      expect(version).toBe(await store.latestVersion());
      expect(await differencesFromFullRead(world, store)).toEqual([]);
    });

    it('should wait while a full sync reads, and refresh after it commits', async () => {
      const { store, consumer } = await setUp(world, databaseId, 'during-sync');
      await store.startRun({
        id: 'reading',
        trigger: 'schedule',
        startedAt: new Date().toISOString(),
      });
      await ssoAdmin.send(
        new CreateAccountAssignmentCommand(
          assignment('200000000009', 'AWS-Developers-ReadOnly'),
        ),
      );
      const reader = consumer();
      expect(await reader.runBatch()).toEqual({
        kind: 'waiting',
        reason: 'full-sync',
      });
      await store.finishRun('reading', {
        outcome: 'failed',
        finishedAt: new Date().toISOString(),
        durationMs: 1,
      });
      await drain(reader);
      expect(await differencesFromFullRead(world, store)).toEqual([]);
    });
  },
);

const run = promisify(execFile);

describe('an assignment made with the AWS CLI', () => {
  it('should show without a full sync', async () => {
    const world = await startEmulatorWorld();
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'awscli-events-'));
    try {
      const { store, consumer } = await setUp(world, 'SQLITE_3', 'awscli');
      const { identityCenter, entra } = world.emulators.scenario;
      const groupId = entra.groups.find(
        g => g.name === 'AWS-Developers-ReadOnly',
      )!.identityStoreGroupId!;
      const permissionSetArn = identityCenter.permissionSets[0].arn;
      const held = () =>
        store
          .latest()
          .then(s =>
            s!.snapshot.aws.assignments.some(
              a =>
                a.accountId === '200000000009' &&
                a.principalId === groupId &&
                a.permissionSetArn === permissionSetArn,
            ),
          );
      expect(await held()).toBe(false);

      await run(
        '/usr/bin/aws',
        [
          'sso-admin',
          'create-account-assignment',
          '--instance-arn',
          identityCenter.instanceArn,
          '--target-id',
          '200000000009',
          '--target-type',
          'AWS_ACCOUNT',
          '--permission-set-arn',
          permissionSetArn,
          '--principal-type',
          'GROUP',
          '--principal-id',
          groupId,
          '--endpoint-url',
          world.emulators.awsEndpoint,
          '--region',
          world.config.identityCenter.region,
          '--output',
          'json',
        ],
        {
          env: {
            ...Object.fromEntries(
              Object.entries(process.env).filter(
                ([k]) => !k.startsWith('AWS_'),
              ),
            ),
            AWS_ACCESS_KEY_ID: 'AKIAEMULATOR',
            AWS_SECRET_ACCESS_KEY: 'emulator-secret',
            AWS_CONFIG_FILE: path.join(home, 'config'),
            AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'),
            AWS_PAGER: '',
            AWS_EC2_METADATA_DISABLED: 'true',
          },
          timeout: 60_000,
        },
      );
      const runsBefore = await fullRuns(store);
      await drain(consumer());
      expect(await held()).toBe(true);
      expect(await fullRuns(store)).toBe(runsBefore);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
      await world.emulators.close();
    }
  });
});
