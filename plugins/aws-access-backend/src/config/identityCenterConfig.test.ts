import { ConfigReader } from '@backstage/config';
import { readAwsAccessConfig } from './readAwsAccessConfig';

const readIdentityCenter = (identityCenter: object) =>
  readAwsAccessConfig(new ConfigReader({ awsAccess: { identityCenter } }))
    .identityCenter;

describe('awsAccess.identityCenter endpoints and partition', () => {
  it('passes no endpoint when none is configured, so the SDK resolves them', () => {
    expect(readIdentityCenter({ region: 'eu-west-1' }).endpoints).toEqual({});
  });

  it('expands the `endpoint` shorthand to every service, and an endpoint per service overrides it', () => {
    expect(
      readIdentityCenter({
        region: 'eu-west-1',
        endpoint: 'http://127.0.0.1:4566/',
        endpoints: {
          organizations:
            'https://vpce-0abc-organizations.us-east-1.vpce.amazonaws.com',
        },
      }).endpoints,
    ).toEqual({
      ssoAdmin: 'http://127.0.0.1:4566',
      identityStore: 'http://127.0.0.1:4566',
      organizations:
        'https://vpce-0abc-organizations.us-east-1.vpce.amazonaws.com',
      sts: 'http://127.0.0.1:4566',
      sqs: 'http://127.0.0.1:4566',
    });
  });

  it('leaves out the services whose endpoint is not configured', () => {
    expect(
      readIdentityCenter({
        region: 'eu-west-1',
        endpoints: {
          ssoAdmin: 'https://vpce-1.sso.eu-west-1.vpce.amazonaws.com',
        },
      }).endpoints,
    ).toEqual({ ssoAdmin: 'https://vpce-1.sso.eu-west-1.vpce.amazonaws.com' });
  });

  it.each([
    [
      { endpoints: { identitystore: 'https://x.example.com' } },
      'Invalid configuration at awsAccess.identityCenter.endpoints.identitystore: is not a service the plugin calls. Use ssoAdmin, identityStore, organizations, sts, sqs.',
    ],
    [
      { endpoints: { sts: 'sts.example.com' } },
      'Invalid configuration at awsAccess.identityCenter.endpoints.sts: "sts.example.com" is not a URL. Use an absolute https URL.',
    ],
    [
      { region: 'us-iso-east-1' },
      'Invalid configuration at awsAccess.identityCenter.region: Unsupported region "us-iso-east-1": IAM Identity Center runs in the aws, aws-us-gov and aws-cn partitions.',
    ],
  ])('refuses %j', (keys, message) => {
    expect(() => readIdentityCenter({ region: 'eu-west-1', ...keys })).toThrow(
      message,
    );
  });

  it.each([
    ['eu-west-1', 'aws'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['cn-northwest-1', 'aws-cn'],
  ])('puts %s in the %s partition', (region, partition) => {
    expect(readIdentityCenter({ region }).partition).toBe(partition);
  });
});

describe('awsAccess.identityCenter.events', () => {
  const queueUrl =
    'https://sqs.eu-west-1.amazonaws.com/111111111111/aws-access-events';
  const read = (events: object, rest: object = {}) =>
    readAwsAccessConfig(
      new ConfigReader({
        awsAccess: { identityCenter: { region: 'eu-west-1', events }, ...rest },
      }),
    );

  it('is off without the key, and the full sync keeps its 15 minutes', () => {
    const config = readAwsAccessConfig(
      new ConfigReader({
        awsAccess: { identityCenter: { region: 'eu-west-1' } },
      }),
    );
    expect(config.identityCenter.events).toBeUndefined();
    expect(config.schedule.frequency).toEqual({ minutes: 15 });
  });

  it('reads the queue with its defaults, and makes the full sync a daily reconciliation', () => {
    const config = read({ queueUrl });
    expect(config.identityCenter.events).toEqual({
      queueUrl,
      deadLetterQueueUrl: undefined,
      waitTimeSeconds: 20,
      batchWindowMs: 2000,
      maxBatch: 500,
      reconcileMs: 86_400_000,
    });
    expect(config.schedule.frequency).toEqual({ milliseconds: 86_400_000 });
    // Stale after three reconciliation periods without any commit, targeted or full.
    expect(config.staleAfterMs).toBe(3 * 86_400_000);
  });

  it('leaves an explicit schedule alone, and with Entra (on its own refresh) the full sync is daily too', () => {
    expect(
      read(
        { queueUrl },
        { schedule: { frequency: { minutes: 30 }, timeout: { minutes: 90 } } },
      ).schedule.frequency,
    ).toEqual({ minutes: 30 });
    const withEntra = read(
      { queueUrl },
      {
        entra: {
          tenantId: '8b1c7f3e-5a2d-4c1e-9f00-00000000a001',
          clientId: '0a0b0c0d-0000-4000-8000-000000000001',
          clientSecret: 'x',
          awsAppId: '2f6e1b2a-7c3d-4e5f-8a9b-0000000000aa',
        },
      },
    );
    expect(withEntra.identityCenter.events?.queueUrl).toBe(queueUrl);
    expect(withEntra.schedule.frequency).toEqual({ milliseconds: 86_400_000 });
    expect(withEntra.entra?.refreshMs).toBe(60_000);
  });

  it.each([
    [
      {},
      'Invalid configuration at awsAccess.identityCenter.events.queueUrl: is required.',
    ],
    [
      { queueUrl: 'aws-access-events' },
      'Invalid configuration at awsAccess.identityCenter.events.queueUrl: "aws-access-events" is not a URL.',
    ],
    [
      { queueUrl, waitTime: { seconds: 30 } },
      'Invalid configuration at awsAccess.identityCenter.events.waitTime: must be at most 20 seconds',
    ],
    [
      { queueUrl, maxBatch: 0 },
      'Invalid configuration at awsAccess.identityCenter.events.maxBatch: must be greater than 0',
    ],
    [
      { queueUrl, queue: 'x' },
      'Invalid configuration at awsAccess.identityCenter.events.queue: is not a setting of the change events.',
    ],
  ])('refuses %j', (events, message) => {
    expect(() => read(events)).toThrow(message);
  });
});
