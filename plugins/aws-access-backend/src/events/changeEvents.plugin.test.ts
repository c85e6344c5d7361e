import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  CreateAccountAssignmentCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SyncStatus } from '@aws-access/plugin-aws-access-common';
import { startTestEmulators } from '@aws-access/test-utils';
import request from 'supertest';
import { startAccessBackend } from '../__testUtils__/testBackend';
import { EVENTS_TASK_ID } from './EventConsumer';

/*
 * The plugin with identityCenter.events: its consumer task reads the queue the emulated EventBridge delivers to,
 * and a change made by another client shows on /sync/status as a handled batch and a targeted snapshot, without a
 * full sync.
 */

jest.setTimeout(120_000);

const AAMIR = 'user:default/aamir_example.com';

describe('aws-access with change events', () => {
  it('consumes the queue on the scheduler task and shows it on /sync/status', async () => {
    const emulators = await startTestEmulators();
    const client = {
      region: emulators.scenario.identityCenter.region,
      endpoint: emulators.awsEndpoint,
      credentials: { accessKeyId: 'AKIAEMULATOR', secretAccessKey: 'x' },
    };
    const sqs = new SQSClient(client);
    const ssoAdmin = new SSOAdminClient(client);
    const scheduler = mockServices.scheduler();
    let backend: Awaited<ReturnType<typeof startAccessBackend>> | undefined;
    try {
      const { QueueUrl } = await sqs.send(
        new CreateQueueCommand({ QueueName: 'plugin-events' }),
      );
      await emulators.control.updateSettings({ eventQueue: 'plugin-events' });
      backend = await startAccessBackend(emulators, {
        scheduler,
        configOverrides: {
          identityCenter: {
            events: {
              queueUrl: QueueUrl,
              waitTime: { seconds: 1 },
              batchWindow: { milliseconds: 200 },
            },
          },
        },
      });
      const status = async (): Promise<SyncStatus> =>
        (
          await request(backend!.server)
            .get('/api/aws-access/sync/status')
            .set('Authorization', mockCredentials.user.header(AAMIR))
        ).body;
      const first = await status();
      expect(first.snapshotVersion).toBeDefined();
      expect(first.changeEvents).toEqual({ handled: 0, unreadable: [] });

      const { identityCenter, entra } = emulators.scenario;
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
      void scheduler.triggerTask(EVENTS_TASK_ID);
      let now = first;
      for (let i = 0; i < 100 && !now.changeEvents?.handled; i++) {
        await new Promise(r => setTimeout(r, 200));
        now = await status();
      }
      expect(now.changeEvents?.handled).toBe(1);
      expect(now.changeEvents?.lastBatch).toMatchObject({
        messages: 1,
        targets: 1,
      });
      expect(now.snapshotVersion).toBeGreaterThan(first.snapshotVersion!);
      expect(now.recentRuns[0]).toMatchObject({
        trigger: 'targeted',
        outcome: 'succeeded',
      });
      expect(now.recentRuns.filter(r => r.trigger !== 'targeted')).toHaveLength(
        first.recentRuns.length,
      );
    } finally {
      await backend?.stop();
      sqs.destroy();
      ssoAdmin.destroy();
      await emulators.close();
    }
  });
});
