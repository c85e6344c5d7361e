import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readAwsAccessConfig } from '../config/readAwsAccessConfig';
import { awsAccessPlugin } from '../plugin';

/*
 * Issue 11, bad input: configuration. Every awsAccess key that is required and missing, or present and malformed,
 * stops the backend at startup with one error that names the key, instead of a sync failing (or misbehaving)
 * later. Each case is checked on the reader and through a real plugin startup.
 */

const valid = {
  identityCenter: { region: 'us-east-1' },
  entra: {
    tenantId: '8b1c7f3e-5a2d-4c1e-9f00-00000000a001',
    clientId: '0a0b0c0d-0000-4000-8000-000000000001',
    clientSecret: 's3cret',
    awsAppId: '2f6e1b2a-7c3d-4e5f-8a9b-0000000000aa',
  },
};
const ic = (extra: object) => ({
  ...valid,
  identityCenter: { ...valid.identityCenter, ...extra },
});
const entra = (extra: object) => ({
  ...valid,
  entra: { ...valid.entra, ...extra },
});
const top = (extra: object) => ({ ...valid, ...extra });
const { clientSecret: _secret, ...entraWithoutSecret } = valid.entra;

/** [what, awsAccess config (undefined: none), the key the error must name] */
const cases: Array<[string, object | undefined, string]> = [
  // required, missing
  // (No entra is not a problem: Identity Center alone, see identityCenterOnly.test.ts.)
  ['no awsAccess block', undefined, 'awsAccess.identityCenter'],
  ['no identityCenter', { entra: valid.entra }, 'awsAccess.identityCenter'],
  [
    'no region',
    { ...valid, identityCenter: {} },
    'awsAccess.identityCenter.region',
  ],
  ['no tenantId', entra({ tenantId: undefined }), 'awsAccess.entra.tenantId'],
  ['no awsAppId', entra({ awsAppId: undefined }), 'awsAccess.entra.awsAppId'],
  [
    'no clientId with a client secret',
    entra({ clientId: undefined }),
    'awsAccess.entra.clientId',
  ],
  [
    'no Entra credential',
    { ...valid, entra: entraWithoutSecret },
    'awsAccess.entra',
  ],
  // malformed: identityCenter
  [
    'a made-up region',
    ic({ region: 'mars-1' }),
    'awsAccess.identityCenter.region',
  ],
  ['a number as region', ic({ region: 42 }), 'awsAccess.identityCenter.region'],
  [
    'a malformed instance ARN',
    ic({ instanceArn: 'arn:aws:sso:::instance/x' }),
    'awsAccess.identityCenter.instanceArn',
  ],
  [
    'a malformed identity store id',
    ic({ identityStoreId: 'd-123' }),
    'awsAccess.identityCenter.identityStoreId',
  ],
  [
    'an 11-digit account id',
    ic({ accountId: '12345678901' }),
    'awsAccess.identityCenter.accountId',
  ],
  [
    'a role ARN without account',
    ic({ roleArn: 'arn:aws:iam::role/r' }),
    'awsAccess.identityCenter.roleArn',
  ],
  [
    'both accountId and roleArn',
    ic({
      accountId: '111111111111',
      roleArn: 'arn:aws:iam::111111111111:role/r',
    }),
    'awsAccess.identityCenter',
  ],
  [
    'a portal URL that is not a URL',
    ic({ accessPortalUrl: 'portal' }),
    'awsAccess.identityCenter.accessPortalUrl',
  ],
  [
    'an http portal URL',
    ic({ accessPortalUrl: 'http://d-1234567890.awsapps.com/start' }),
    'awsAccess.identityCenter.accessPortalUrl',
  ],
  [
    'an endpoint that is not a URL',
    ic({ endpoint: 'localhost:4566' }),
    'awsAccess.identityCenter.endpoint',
  ],
  [
    'zero requests per second',
    ic({ requestsPerSecond: 0 }),
    'awsAccess.identityCenter.requestsPerSecond',
  ],
  [
    'negative Organizations requests per second',
    ic({ organizationsRequestsPerSecond: -5 }),
    'awsAccess.identityCenter.organizationsRequestsPerSecond',
  ],
  [
    'text as requests per second',
    ic({ requestsPerSecond: 'fast' }),
    'awsAccess.identityCenter.requestsPerSecond',
  ],
  [
    'a misspelt duration unit',
    ic({ requestTimeout: { secs: 30 } }),
    'awsAccess.identityCenter.requestTimeout',
  ],
  [
    'text in a duration',
    ic({ requestTimeout: { seconds: 'thirty' } }),
    'awsAccess.identityCenter.requestTimeout',
  ],
  [
    'a bare number as duration',
    ic({ detailsRefresh: 3600 }),
    'awsAccess.identityCenter.detailsRefresh',
  ],
  [
    'a duration that is not one',
    ic({ detailsRefresh: 'soon' }),
    'awsAccess.identityCenter.detailsRefresh',
  ],
  [
    'a negative duration',
    ic({ requestTimeout: { seconds: -1 } }),
    'awsAccess.identityCenter.requestTimeout',
  ],
  // malformed: entra
  [
    'a tenant id that is not a GUID',
    entra({ tenantId: 'contoso.onmicrosoft.com' }),
    'awsAccess.entra.tenantId',
  ],
  [
    'an app id that is not a GUID',
    entra({ awsAppId: 'aws' }),
    'awsAccess.entra.awsAppId',
  ],
  [
    'a client id that is not a GUID',
    entra({ clientId: 'backstage' }),
    'awsAccess.entra.clientId',
  ],
  [
    'two credentials',
    entra({ certificatePath: '/etc/backstage/graph.pem' }),
    'awsAccess.entra',
  ],
  [
    'three credentials',
    entra({ certificatePath: '/x.pem', managedIdentity: true }),
    'awsAccess.entra',
  ],
  [
    'an http authority',
    entra({ authority: 'http://login.example.com' }),
    'awsAccess.entra.authority',
  ],
  [
    'a Graph URL that is not a URL',
    entra({ graphBaseUrl: 'graph' }),
    'awsAccess.entra.graphBaseUrl',
  ],
  [
    'zero Graph requests per second',
    entra({ requestsPerSecond: 0 }),
    'awsAccess.entra.requestsPerSecond',
  ],
  [
    'a malformed audit lookback',
    entra({ auditLookback: { weeks: 'one' } }),
    'awsAccess.entra.auditLookback',
  ],
  [
    'an Entra refresh of a second',
    entra({ refreshEvery: { seconds: 1 } }),
    'awsAccess.entra.refreshEvery',
  ],
  [
    'a malformed Entra refresh',
    entra({ refreshEvery: 'often' }),
    'awsAccess.entra.refreshEvery',
  ],
  [
    'a number as client secret',
    entra({ clientSecret: 12345 }),
    'awsAccess.entra.clientSecret',
  ],
  // malformed: the rest
  [
    'a timeout of seconds',
    top({ schedule: { frequency: { minutes: 5 }, timeout: { seconds: 10 } } }),
    'awsAccess.schedule.timeout',
  ],
  [
    'a brake threshold above 1',
    top({ massDeleteBrake: { threshold: 2 } }),
    'awsAccess.massDeleteBrake.threshold',
  ],
  [
    'a brake threshold of 0',
    top({ massDeleteBrake: { threshold: 0 } }),
    'awsAccess.massDeleteBrake.threshold',
  ],
  [
    'text as brake switch',
    top({ massDeleteBrake: { enabled: 'sometimes' } }),
    'awsAccess.massDeleteBrake.enabled',
  ],
  [
    'a malformed staleAfter',
    top({ staleAfter: { hour: 1 } }),
    'awsAccess.staleAfter',
  ],
  [
    'a malformed runHistory',
    top({ runHistory: 'forever' }),
    'awsAccess.runHistory',
  ],
  ['zero snapshots kept', top({ keepSnapshots: 0 }), 'awsAccess.keepSnapshots'],
  [
    'a malformed poll interval',
    top({ pollInterval: { seconds: -5 } }),
    'awsAccess.pollInterval',
  ],
  [
    'zero provisioning requests per hour',
    top({ provisionOnDemand: { perUserPerHour: 0 } }),
    'awsAccess.provisionOnDemand.perUserPerHour',
  ],
  [
    'zero retry attempts',
    top({ retries: { maxAttempts: 0 } }),
    'awsAccess.retries.maxAttempts',
  ],
  [
    'a malformed retry delay',
    top({ retries: { baseDelay: { ms: 5 } } }),
    'awsAccess.retries.baseDelay',
  ],
  [
    'a malformed write role',
    top({ write: { roleArn: 'writer' } }),
    'awsAccess.write.roleArn',
  ],
  [
    'a malformed write account',
    top({ write: { accountId: 'abc' } }),
    'awsAccess.write.accountId',
  ],
  [
    'zero outstanding writes',
    top({
      write: { roleArn: 'arn:aws:iam::111111111111:role/w', maxOutstanding: 0 },
    }),
    'awsAccess.write.maxOutstanding',
  ],
  [
    'a malformed write poll interval',
    top({
      write: {
        roleArn: 'arn:aws:iam::111111111111:role/w',
        pollInterval: 'often',
      },
    }),
    'awsAccess.write.pollInterval',
  ],
];

const escape = (key: string) => key.replace(/\./g, '\\.');
/** The key, not followed by more key characters (so `awsAccess.entra` is not matched by `awsAccess.entra.x`). */
const naming = (key: string) =>
  new RegExp(`(at |key ')${escape(key)}(?![\\w.])`);

describe('awsAccess configuration: one clear error per bad key', () => {
  it.each(cases)('%s: the reader names the key', (_what, awsAccess, key) => {
    let message = '';
    try {
      readAwsAccessConfig(new ConfigReader(awsAccess ? { awsAccess } : {}));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(naming(key));
  });

  it('accepts every valid form of the keys above (the cases are not refused for something else)', () => {
    const config = readAwsAccessConfig(
      new ConfigReader({
        awsAccess: {
          ...valid,
          identityCenter: {
            region: 'eu-central-1',
            instanceArn: 'arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6',
            identityStoreId: 'd-9067a1b2c3',
            roleArn: 'arn:aws:iam::111111111111:role/backstage-read',
            accessPortalUrl: 'https://d-9067a1b2c3.awsapps.com/start',
            endpoint: 'http://127.0.0.1:4566',
            requestTimeout: 'PT20S',
            detailsRefresh: '2h',
          },
          entra: {
            ...valid.entra,
            auditLookback: { days: 3 },
            refreshEvery: 'PT30S',
          },
          schedule: { frequency: { minutes: 5 }, timeout: { minutes: 30 } },
          massDeleteBrake: { threshold: 0.5, enabled: false },
          retries: { maxAttempts: 3, baseDelay: { milliseconds: 0 } },
          write: {
            roleArn: 'arn:aws:iam::111111111111:role/w',
            pollInterval: { seconds: 2 },
          },
        },
      }),
    );
    expect(config.identityCenter).toMatchObject({
      requestTimeoutMs: 20_000,
      detailsRefreshMs: 7_200_000,
    });
    expect(config.retry).toEqual({ maxAttempts: 3, baseDelayMs: 0 });
    expect(config.write).toMatchObject({ pollIntervalMs: 2000 });
    expect(config.entra).toMatchObject({
      auditLookbackMs: 3 * 86_400_000,
      refreshMs: 30_000,
    });
  });

  it('starts without entra: Identity Center is read alone', async () => {
    const starting = startTestBackend({
      features: [
        awsAccessPlugin,
        mockServices.rootConfig.factory({
          data: { awsAccess: { identityCenter: valid.identityCenter } },
        }),
      ],
    });
    await expect(starting).resolves.toBeDefined();
    await (await starting).stop();
  });

  it(`stops the backend at startup with that one error, for all ${cases.length} cases`, async () => {
    const problems: string[] = [];
    for (const [what, awsAccess, key] of cases) {
      let message = '';
      try {
        const backend = await startTestBackend({
          features: [
            awsAccessPlugin,
            mockServices.rootConfig.factory({
              data: awsAccess ? { awsAccess } : {},
            }),
          ],
        });
        await backend.stop();
      } catch (error) {
        message = (error as Error).message;
      }
      // One plugin fails, for one reason.
      const causes = message.match(/startup failed; caused by/g) ?? [];
      if (!naming(key).test(message) || causes.length !== 1)
        problems.push(`${what}: ${message || 'started'}`);
    }
    expect(problems).toEqual([]);
  });
});
