import { ConfigReader } from '@backstage/config';
import { readAwsAccessConfig } from './readAwsAccessConfig';

const base = {
  identityCenter: { region: 'eu-west-1' },
  entra: {
    tenantId: '8b1c7f3e-5a2d-4c1e-9f00-00000000a001',
    clientId: '0a0b0c0d-0000-4000-8000-000000000001',
    clientSecret: 's3cret',
    awsAppId: '2f6e1b2a-7c3d-4e5f-8a9b-0000000000aa',
  },
};
const read = (awsAccess: object) =>
  readAwsAccessConfig(new ConfigReader({ awsAccess }));

describe('readAwsAccessConfig', () => {
  it('applies defaults a production install wants', () => {
    const config = read(base);
    expect(config.identityCenter).toMatchObject({
      region: 'eu-west-1',
      requestsPerSecond: 10,
      detailsRefreshMs: 6 * 3600_000,
    });
    expect(config.entra).toMatchObject({
      authorityHost: 'https://login.microsoftonline.com',
      graphBaseUrl: 'https://graph.microsoft.com',
      credential: { type: 'clientSecret', clientSecret: 's3cret' },
    });
    expect(config.schedule).toMatchObject({
      frequency: { minutes: 15 },
      timeout: { minutes: 90 },
      scope: 'global',
    });
    expect(config.syncTimeoutMs).toBe(90 * 60_000);
    expect(config.staleAfterMs).toBe(45 * 60_000);
    expect(config.massDeleteThreshold).toBe(0.2);
    expect(config.permissionDecisionTtlMs).toBe(5000);
    expect(config.write).toBeUndefined();
    expect(
      read({ ...base, permissionDecisionTtl: { seconds: 0 } })
        .permissionDecisionTtlMs,
    ).toBe(0);
  });

  it.each([
    [
      {
        ...base,
        identityCenter: {
          region: 'us-east-1',
          accountId: '111111111111',
          roleArn: 'arn:aws:iam::111111111111:role/r',
        },
      },
      /both accountId and roleArn/,
    ],
    [
      {
        ...base,
        identityCenter: { region: 'us-east-1', roleArn: 'arn:aws:iam::role/r' },
      },
      /identityCenter.roleArn/,
    ],
    [
      { ...base, entra: { ...base.entra, certificatePath: '/x.pem' } },
      /more than one credential/,
    ],
    [
      {
        ...base,
        entra: { ...base.entra, authority: 'http://login.example.com' },
      },
      /entra.authority: "http:\/\/login.example.com" must use https/,
    ],
    [
      { ...base, massDeleteBrake: { threshold: 2 } },
      /massDeleteBrake.threshold: must be a share between 0 and 1/,
    ],
    [
      {
        ...base,
        schedule: { frequency: { minutes: 5 }, timeout: { seconds: 10 } },
      },
      /schedule.timeout: must be longer than a minute/,
    ],
    [
      {
        ...base,
        identityCenter: { region: 'us-east-1', requestsPerSecond: 0 },
      },
      /requestsPerSecond: must be greater than 0/,
    ],
    [
      { ...base, permissionDecisionTtl: { minutes: 5 } },
      /permissionDecisionTtl: must be at most a minute, got 300000 ms/,
    ],
  ])('rejects %j', (awsAccess, message) => {
    expect(() => read(awsAccess)).toThrow(message);
  });

  it('supports managed identity without a client id and a user-assigned one', () => {
    const { clientSecret: _, clientId: __, ...entra } = base.entra;
    expect(
      read({ ...base, entra: { ...entra, managedIdentity: true } }).entra
        ?.credential,
    ).toEqual({ type: 'managedIdentity', clientId: undefined });
    expect(
      read({
        ...base,
        entra: { ...entra, managedIdentity: { clientId: 'abc' } },
      }).entra?.credential,
    ).toEqual({ type: 'managedIdentity', clientId: 'abc' });
  });

  it('reads Identity Center alone when awsAccess.entra is absent (or null in an overlay)', () => {
    const { entra: _, ...identityCenterOnly } = base;
    const config = read(identityCenterOnly);
    expect(config.entra).toBeUndefined();
    expect(config.identityCenter.region).toBe('eu-west-1');
    expect(read({ ...base, entra: null }).entra).toBeUndefined();
  });

  it.each([
    [{}, /awsAccess.identityCenter: is required/],
    [{ entra: base.entra }, /awsAccess.identityCenter: is required/],
    [{ ...base, entra: {} }, /awsAccess.entra.tenantId: is required/],
  ])('names what is missing in %j', (awsAccess, message) => {
    expect(() => read(awsAccess)).toThrow(message);
  });

  it('caps outstanding writes at the AWS limit', () => {
    expect(
      read({
        ...base,
        write: {
          roleArn: 'arn:aws:iam::111111111111:role/w',
          maxOutstanding: 50,
        },
      }).write,
    ).toMatchObject({ maxOutstanding: 10 });
  });
});
