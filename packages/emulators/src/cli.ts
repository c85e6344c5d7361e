import fs from 'node:fs';
import path from 'node:path';
import { ScenarioValidationError } from './scenario/errors';
import { generateScenario, SCENARIO_SIZES } from './scenario/generate';
import { scenarioToYaml } from './scenario/toYaml';
import type { Scenario } from './scenario/types';
import type { NormalizedScenario } from './scenario/normalized';
import type { Emulators } from './startEmulators';
import { defaultStateDir, startEmulators } from './startEmulators';
import { ensureCertificateAuthority } from './tls';

/*
 * aws-access-emulators --scenario FILE [--aws-port 4566] [--graph-port 4567] [--state-dir DIR]
 *                      [--scim-interval SECONDS] [--no-auto-scim]
 * aws-access-emulators --generate large|envelope [--seed S] [--scenario FILE]   (start a generated scenario)
 * aws-access-emulators --generate large --write FILE                           (write it as YAML and exit)
 * aws-access-emulators --init-ca [--state-dir DIR]
 */

const USAGE = `usage: aws-access-emulators --scenario FILE [--aws-port 4566] [--graph-port 4567] [--state-dir DIR]
                            [--scim-interval SECONDS] [--no-auto-scim] [--event-queue NAME]
       aws-access-emulators --generate large|envelope [--seed SEED] [--write FILE]
       aws-access-emulators --init-ca [--state-dir DIR]`;

class UsageError extends Error {}

interface Args {
  scenario?: string;
  awsPort: number;
  graphPort: number;
  stateDir: string;
  scimInterval?: number;
  autoScim: boolean;
  initCa: boolean;
  generate?: 'large' | 'envelope';
  seed?: string;
  write?: string;
  eventQueue?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    awsPort: 4566,
    graphPort: 4567,
    stateDir: defaultStateDir(),
    autoScim: true,
    initCa: false,
  };
  const value = (i: number, flag: string) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--'))
      throw new UsageError(`${flag} needs a value`);
    return v;
  };
  const port = (v: string, flag: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 65535)
      throw new UsageError(`${flag} must be a port number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    switch (flag) {
      case '--scenario':
        args.scenario = value(i++, flag);
        break;
      case '--aws-port':
        args.awsPort = port(value(i++, flag), flag);
        break;
      case '--graph-port':
        args.graphPort = port(value(i++, flag), flag);
        break;
      case '--state-dir':
        args.stateDir = path.resolve(value(i++, flag));
        break;
      case '--scim-interval': {
        const n = Number(value(i++, flag));
        if (!Number.isInteger(n) || n < 1)
          throw new UsageError(
            '--scim-interval must be a whole number of seconds',
          );
        args.scimInterval = n;
        break;
      }
      case '--no-auto-scim':
        args.autoScim = false;
        break;
      case '--event-queue': {
        const name = value(i++, flag);
        if (!/^[a-zA-Z0-9_-]{1,76}$/.test(name))
          throw new UsageError('--event-queue takes a queue name');
        args.eventQueue = name;
        break;
      }
      case '--init-ca':
        args.initCa = true;
        break;
      case '--generate': {
        const size = value(i++, flag);
        if (size !== 'large' && size !== 'envelope')
          throw new UsageError('--generate takes large or envelope');
        args.generate = size;
        break;
      }
      case '--seed':
        args.seed = value(i++, flag);
        break;
      case '--write':
        args.write = value(i++, flag);
        break;
      case '-h':
      case '--help':
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
        break;
      default:
        throw new UsageError(`unknown option ${flag}`);
    }
  }
  if (!args.initCa && !args.scenario && !args.generate)
    throw new UsageError('--scenario FILE is required');
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.initCa) {
    const ca = await ensureCertificateAuthority(args.stateDir);
    process.stdout.write(`${ca.certPath}\n`);
    return;
  }
  let scenario: string | Scenario = args.scenario ?? '';
  if (args.generate) {
    const started = Date.now();
    scenario = generateScenario({
      ...SCENARIO_SIZES[args.generate],
      ...(args.seed && { seed: args.seed }),
    });
    if (args.write) {
      fs.writeFileSync(args.write, scenarioToYaml(scenario));
      process.stdout.write(
        `Wrote ${args.generate} scenario to ${args.write} in ${
          Date.now() - started
        } ms\n`,
      );
      return;
    }
  }

  const readyFile = path.join(args.stateDir, 'ready');
  fs.mkdirSync(args.stateDir, { recursive: true });
  fs.rmSync(readyFile, { force: true });
  const started = Date.now();
  const emulators = await startEmulators({
    scenario,
    awsPort: args.awsPort,
    graphPort: args.graphPort,
    stateDir: args.stateDir,
    scimIntervalSeconds: args.scimInterval,
    autoScim: args.autoScim,
    trustCheck: 'off',
  });
  const { scenario: loaded } = emulators;
  const queues = args.eventQueue
    ? await createEventQueue(emulators, args.eventQueue)
    : undefined;
  const lines = [
    `AWS access emulators ready in ${Date.now() - started} ms (${
      typeof scenario === 'string' ? scenario : `generated ${args.generate}`
    })`,
    `  AWS endpoint     ${emulators.awsEndpoint}   (sso-admin, identitystore, organizations, sts)`,
    `  Graph base URL   ${emulators.graphBaseUrl}/v1.0`,
    `  Login authority  ${emulators.loginAuthority}   (token: ${emulators.loginAuthority}/oauth2/v2.0/token)`,
    `  Managed identity ${emulators.managedIdentityEndpoint}`,
    `  Control API      ${emulators.controlUrl}`,
    ...(queues
      ? [
          `  Change events    ${queues.queueUrl}   (dead-letter queue ${queues.deadLetterQueueUrl})`,
        ]
      : []),
    `  CA certificate   ${emulators.caCertPath}   (export NODE_EXTRA_CA_CERTS=${emulators.caCertPath})`,
    ...describeDirectory(loaded, args.scimInterval, emulators.controlUrl),
    ...loaded.warnings.slice(0, 5).map(w => `  warning: ${w}`),
    ...(loaded.warnings.length > 5
      ? [`  (and ${loaded.warnings.length - 5} more warnings)`]
      : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  fs.writeFileSync(
    readyFile,
    `${JSON.stringify({
      pid: process.pid,
      awsEndpoint: emulators.awsEndpoint,
      graphBaseUrl: emulators.graphBaseUrl,
      caCertPath: emulators.caCertPath,
      // `none`: no Entra tenant (Identity Center on its own directory); ./run starts the backend without Entra.
      identitySource: emulators.scenario.identitySource,
      tenantId: emulators.scenario.entra.tenantId,
      awsAppId: emulators.scenario.entra.awsApp.appId,
      // The app registration the token endpoint takes (a demo's, not a real secret): ./run hands it to the backend.
      clientId: emulators.scenario.entra.appRegistrations[0]?.clientId,
      clientSecret: emulators.scenario.entra.appRegistrations[0]?.clientSecret,
      // With --event-queue: where the backend's awsAccess.identityCenter.events reads.
      eventQueueUrl: queues?.queueUrl,
      deadLetterQueueUrl: queues?.deadLetterQueueUrl,
    })}\n`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`Stopping emulators (${signal})\n`);
    fs.rmSync(readyFile, { force: true });
    emulators.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch(error => {
  if (error instanceof ScenarioValidationError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  if (error instanceof UsageError) {
    process.stderr.write(`aws-access-emulators: ${error.message}\n${USAGE}\n`);
    process.exit(64);
  }
  process.stderr.write(
    `aws-access-emulators: ${(error as Error)?.stack ?? error}\n`,
  );
  process.exit(1);
});

/**
 * The change events' queue as the CloudFormation template makes it (a dead-letter queue after 5 receives, 120 s
 * visibility), created through the emulated SQS, and EventBridge's delivery of every write pointed at it.
 */
async function createEventQueue(emulators: Emulators, name: string) {
  const sqs = async (operation: string, input: object) => {
    const response = await fetch(emulators.awsEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `AmazonSQS.${operation}`,
      },
      body: JSON.stringify(input),
    });
    const output = await response.json();
    if (!response.ok)
      throw new Error(`SQS ${operation} failed: ${JSON.stringify(output)}`);
    return output;
  };
  const dlq = await sqs('CreateQueue', { QueueName: `${name}-dlq` });
  const { Attributes } = await sqs('GetQueueAttributes', {
    QueueUrl: dlq.QueueUrl,
    AttributeNames: ['QueueArn'],
  });
  const queue = await sqs('CreateQueue', {
    QueueName: name,
    Attributes: {
      VisibilityTimeout: '120',
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: Attributes.QueueArn,
        maxReceiveCount: 5,
      }),
    },
  });
  await emulators.control.updateSettings({ eventQueue: name });
  return {
    queueUrl: queue.QueueUrl as string,
    deadLetterQueueUrl: dlq.QueueUrl as string,
  };
}

/** Who provisions Identity Center in the loaded scenario: the Entra tenant and its SCIM cycle, or nobody. */
function describeDirectory(
  loaded: NormalizedScenario,
  scimInterval: number | undefined,
  controlUrl: string,
): string[] {
  const idc = loaded.identityCenter;
  const aws = `${idc.accounts.length} accounts · ${idc.permissionSets.length} permission sets`;
  if (loaded.identitySource === 'none') {
    const { users, groups } = idc.provisioned.unmanaged;
    return [
      `  No Entra tenant: Identity Center is the directory · ${users.length} users · ${groups.length} groups · ${aws}`,
    ];
  }
  const { entra } = loaded;
  return [
    `  Tenant ${entra.tenantId} · ${entra.users.length} users · ${entra.groups.length} groups · ${aws}`,
    `  SCIM every ${entra.awsApp.provisioning.intervalSeconds}s${
      scimInterval ? ` (overridden: ${scimInterval}s)` : ''
    }, status ${
      entra.awsApp.provisioning.status
    }; run one now: curl -X POST ${controlUrl}/scim/cycle`,
  ];
}
