import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startSeed } from './__testUtils__/clients';
import type { Emulators } from './startEmulators';

/*
 * The AWS CLI (Debian's /usr/bin/aws preferred, else `aws` on PATH; v1 or v2) reads the seed organization through
 * --endpoint-url. Skipped, and saying so in its name, only when no binary exists.
 */

const run = promisify(execFile);

function findAwsCli(): string | undefined {
  if (fs.existsSync('/usr/bin/aws')) return '/usr/bin/aws';
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'aws');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const aws = findAwsCli();
const describeWithCli = aws ? describe : describe.skip;

jest.setTimeout(90_000);

describeWithCli(
  aws
    ? `aws CLI (${aws})`
    : "aws CLI (skipped: no aws binary at /usr/bin/aws or on PATH; install Debian's awscli)",
  () => {
    let emulators: Emulators;
    let home: string;

    beforeAll(async () => {
      emulators = await startSeed();
      home = fs.mkdtempSync(path.join(os.tmpdir(), 'awscli-'));
    });
    afterAll(async () => {
      await emulators.close();
      fs.rmSync(home, { recursive: true, force: true });
    });

    async function cli(...args: string[]): Promise<any> {
      const { stdout } = await run(
        aws!,
        [
          ...args,
          '--endpoint-url',
          emulators.awsEndpoint,
          '--region',
          'us-east-1',
          '--output',
          'json',
        ],
        {
          env: {
            // Keep PATH/HOME (pyenv shims need them); isolate every AWS setting.
            ...Object.fromEntries(
              Object.entries(process.env).filter(
                ([key]) => !key.startsWith('AWS_'),
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
      // Operations without output (delete-message) print nothing.
      return stdout.trim() ? JSON.parse(stdout) : {};
    }

    it('should list instances, permission sets, accounts, assignments and users from the seed', async () => {
      const instanceArn = emulators.scenario.identityCenter.instanceArn;
      const readOnly = emulators.scenario.identityCenter.permissionSets.find(
        p => p.name === 'DeveloperReadOnly',
      )!.arn;
      const [instances, permissionSets, accounts, assignments, users] =
        await Promise.all([
          cli('sso-admin', 'list-instances'),
          cli(
            'sso-admin',
            'list-permission-sets',
            '--instance-arn',
            instanceArn,
            '--page-size',
            '2',
          ),
          cli('organizations', 'list-accounts', '--page-size', '5'),
          cli(
            'sso-admin',
            'list-account-assignments',
            '--instance-arn',
            instanceArn,
            '--account-id',
            '200000000003',
            '--permission-set-arn',
            readOnly,
          ),
          cli(
            'identitystore',
            'list-users',
            '--identity-store-id',
            'd-9067a1b2c3',
            '--page-size',
            '4',
          ),
        ]);
      expect(instances.Instances).toEqual([
        expect.objectContaining({
          InstanceArn: instanceArn,
          IdentityStoreId: 'd-9067a1b2c3',
        }),
      ]);
      // The CLI follows NextToken across pages by itself.
      expect(permissionSets.PermissionSets).toHaveLength(5);
      expect(accounts.Accounts).toHaveLength(12);
      expect(
        accounts.Accounts.find((a: { Id: string }) => a.Id === '200000000003'),
      ).toMatchObject({ Name: 'payments-prod', Status: 'ACTIVE' });
      expect(assignments.AccountAssignments).toHaveLength(2);
      expect(
        users.Users.map((u: { UserName: string }) => u.UserName),
      ).toContain('priya@example.com');
      expect(users.Users).toHaveLength(10);
    });

    it('should work SQS queues (long poll, redrive) and deliver an assignment it makes as an event', async () => {
      const dlq = await cli('sqs', 'create-queue', '--queue-name', 'cli-dlq');
      const { Attributes } = await cli(
        'sqs',
        'get-queue-attributes',
        '--queue-url',
        dlq.QueueUrl,
        '--attribute-names',
        'QueueArn',
      );
      const { QueueUrl } = await cli(
        'sqs',
        'create-queue',
        '--queue-name',
        'cli-events',
        '--attributes',
        JSON.stringify({
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: Attributes.QueueArn,
            maxReceiveCount: 3,
          }),
        }),
      );
      await emulators.control.updateSettings({ eventQueue: 'cli-events' });
      const { identityCenter } = emulators.scenario;
      await cli(
        'sso-admin',
        'create-account-assignment',
        '--instance-arn',
        identityCenter.instanceArn,
        '--target-id',
        '200000000009',
        '--target-type',
        'AWS_ACCOUNT',
        '--permission-set-arn',
        identityCenter.permissionSets[0].arn,
        '--principal-type',
        'GROUP',
        '--principal-id',
        emulators.scenario.entra.groups[0].identityStoreGroupId!,
      );
      const received = await cli(
        'sqs',
        'receive-message',
        '--queue-url',
        QueueUrl,
        '--wait-time-seconds',
        '2',
        '--max-number-of-messages',
        '10',
      );
      expect(received.Messages).toHaveLength(1);
      expect(JSON.parse(received.Messages[0].Body)).toMatchObject({
        'detail-type': 'AWS API Call via CloudTrail',
        detail: {
          eventSource: 'sso.amazonaws.com',
          eventName: 'CreateAccountAssignment',
          userAgent: expect.stringMatching(/aws-cli/),
          requestParameters: { targetId: '200000000009' },
        },
      });
      await cli(
        'sqs',
        'delete-message',
        '--queue-url',
        QueueUrl,
        '--receipt-handle',
        received.Messages[0].ReceiptHandle,
      );
      await expect(
        cli(
          'sqs',
          'receive-message',
          '--queue-url',
          QueueUrl,
          '--max-number-of-messages',
          '11',
        ),
      ).rejects.toMatchObject({
        stderr: expect.stringContaining('InvalidParameterValue'),
      });
    });

    it('should surface the service errors', async () => {
      await expect(
        cli(
          'organizations',
          'describe-account',
          '--account-id',
          '999999999999',
        ),
      ).rejects.toMatchObject({
        stderr: expect.stringContaining('AccountNotFoundException'),
      });
    });
  },
);
