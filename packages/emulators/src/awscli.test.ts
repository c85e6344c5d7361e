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
      return JSON.parse(stdout);
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
