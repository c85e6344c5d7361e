import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SEED_SCENARIO } from './__testUtils__/clients';

/* The `aws-access-emulators` command as ./run uses it: ready file, printed endpoints, clean exit, bad input. */

jest.setTimeout(60_000);

const BIN = path.resolve(__dirname, '../bin/aws-access-emulators');

function start(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', chunk => (stdout += chunk));
  child.stderr!.on('data', chunk => (stderr += chunk));
  const exited = new Promise<number | null>(resolve =>
    child.on('exit', code => resolve(code)),
  );
  return { child, exited, output: () => ({ stdout, stderr }) };
}

async function waitForFile(
  file: string,
  child: ChildProcess,
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the CLI exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('no ready file');
    try {
      // A stale file from an earlier run is not JSON: the CLI must replace it.
      return JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }
}

describe('aws-access-emulators CLI', () => {
  let stateDir: string;

  beforeEach(() => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'emulators-cli-'));
  });
  afterEach(() => fs.rmSync(stateDir, { recursive: true, force: true }));

  it('should start, print the endpoints, write the ready file and stop on SIGTERM', async () => {
    fs.writeFileSync(path.join(stateDir, 'ready'), 'stale');
    const cli = start([
      '--scenario',
      SEED_SCENARIO,
      '--aws-port',
      '0',
      '--graph-port',
      '0',
      '--state-dir',
      stateDir,
      '--scim-interval',
      '60',
    ]);
    try {
      const ready = await waitForFile(path.join(stateDir, 'ready'), cli.child);
      expect(ready.caCertPath).toBe(path.join(stateDir, 'ca.pem'));
      // The seed names no app registration: the default one, for ./run to hand to the backend.
      expect(ready).toMatchObject({
        clientId: '0a0b0c0d-0000-4000-8000-000000000001',
        clientSecret: 'emulator-client-secret',
      });
      const { stdout } = cli.output();
      expect(stdout).toContain(`AWS endpoint     ${ready.awsEndpoint}`);
      expect(stdout).toContain(`Graph base URL   ${ready.graphBaseUrl}/v1.0`);
      expect(stdout).toContain(`CA certificate   ${ready.caCertPath}`);
      expect(stdout).toMatch(
        /Login authority {2}https:\/\/127\.0\.0\.1:\d+\/8b1c7f3e-5a2d-4c1e-9f00-00000000a001/,
      );
      expect(stdout).toContain('SCIM every 2400s (overridden: 60s)');

      const response = await fetch(ready.awsEndpoint, {
        method: 'POST',
        headers: {
          'x-amz-target': 'SWBExternalService.ListInstances',
          'content-type': 'application/x-amz-json-1.1',
        },
        body: '{}',
      });
      expect((await response.json()).Instances).toHaveLength(1);
      const scim = await (
        await fetch(`${ready.awsEndpoint}/_emulator/scim`)
      ).json();
      expect(scim.job.schedule.interval).toBe('PT1M');
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect(await cli.exited).toBe(0);
    expect(fs.existsSync(path.join(stateDir, 'ready'))).toBe(false);
  });

  it('should create the change events queue with its dead-letter queue and deliver writes to it', async () => {
    const cli = start([
      '--scenario',
      SEED_SCENARIO,
      '--aws-port',
      '0',
      '--graph-port',
      '0',
      '--state-dir',
      stateDir,
      '--event-queue',
      'aws-access-events',
    ]);
    try {
      const ready = await waitForFile(path.join(stateDir, 'ready'), cli.child);
      expect(ready.eventQueueUrl).toBe(
        `${ready.awsEndpoint}/100000000001/aws-access-events`,
      );
      expect(ready.deadLetterQueueUrl).toBe(`${ready.eventQueueUrl}-dlq`);
      const sqs = async (operation: string, input: object) =>
        (
          await fetch(ready.awsEndpoint, {
            method: 'POST',
            headers: {
              'x-amz-target': `AmazonSQS.${operation}`,
              'content-type': 'application/x-amz-json-1.0',
            },
            body: JSON.stringify(input),
          })
        ).json();
      const { Attributes } = await sqs('GetQueueAttributes', {
        QueueUrl: ready.eventQueueUrl,
        AttributeNames: ['RedrivePolicy', 'VisibilityTimeout'],
      });
      expect(Attributes.VisibilityTimeout).toBe('120');
      expect(JSON.parse(Attributes.RedrivePolicy)).toEqual({
        deadLetterTargetArn: expect.stringMatching(/:aws-access-events-dlq$/),
        maxReceiveCount: 5,
      });
      const settings = await (
        await fetch(`${ready.awsEndpoint}/_emulator/settings`)
      ).json();
      expect(settings.eventQueue).toBe('aws-access-events');
      expect(cli.output().stdout).toContain(
        `Change events    ${ready.eventQueueUrl}`,
      );
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect(await cli.exited).toBe(0);
  });

  it('should exit non-zero naming file, line, path and problem for a bad scenario', async () => {
    const broken = path.join(stateDir, 'broken.yaml');
    fs.writeFileSync(
      broken,
      fs
        .readFileSync(SEED_SCENARIO, 'utf8')
        .replace('status: Active', 'status: Running'),
    );
    const cli = start([
      '--scenario',
      broken,
      '--state-dir',
      stateDir,
      '--aws-port',
      '0',
      '--graph-port',
      '0',
    ]);
    expect(await cli.exited).toBe(2);
    expect(cli.output().stderr).toMatch(
      /broken\.yaml:11:\d+: entra\.awsApp\.provisioning\.status: must be one of Active, Paused, Quarantine, NotRun, got "Running"/,
    );
    expect(fs.existsSync(path.join(stateDir, 'ready'))).toBe(false);
  });

  it('should create the CA with --init-ca and reuse it', async () => {
    const first = start(['--init-ca', '--state-dir', stateDir]);
    expect(await first.exited).toBe(0);
    expect(first.output().stdout.trim()).toBe(path.join(stateDir, 'ca.pem'));
    const pem = fs.readFileSync(path.join(stateDir, 'ca.pem'), 'utf8');
    const second = start(['--init-ca', '--state-dir', stateDir]);
    expect(await second.exited).toBe(0);
    expect(fs.readFileSync(path.join(stateDir, 'ca.pem'), 'utf8')).toBe(pem);
  });

  it('should explain usage errors', async () => {
    const cli = start(['--aws-port', 'x']);
    expect(await cli.exited).toBe(64);
    expect(cli.output().stderr).toContain('--aws-port must be a port number');
  });
});
