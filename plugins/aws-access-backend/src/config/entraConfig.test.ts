import { ConfigReader } from '@backstage/config';
import { readAwsAccessConfig } from './readAwsAccessConfig';

const entra = {
  tenantId: '8b1c7f3e-5a2d-4c1e-9f00-00000000a001',
  clientId: '0a0b0c0d-0000-4000-8000-000000000001',
  clientSecret: 's3cret',
  awsAppId: '2f6e1b2a-7c3d-4e5f-8a9b-0000000000aa',
};
const readEntra = (overrides: object) =>
  readAwsAccessConfig(
    new ConfigReader({
      awsAccess: {
        identityCenter: { region: 'us-gov-west-1' },
        entra: { ...entra, ...overrides },
      },
    }),
  ).entra!;

describe('awsAccess.entra.cloud', () => {
  it.each([
    [
      'public',
      'https://login.microsoftonline.com',
      'https://graph.microsoft.com',
    ],
    ['usGov', 'https://login.microsoftonline.us', 'https://graph.microsoft.us'],
    [
      'usGovDoD',
      'https://login.microsoftonline.us',
      'https://dod-graph.microsoft.us',
    ],
    [
      'china',
      'https://login.chinacloudapi.cn',
      'https://microsoftgraph.chinacloudapi.cn',
    ],
  ])('%s signs in at %s and asks %s for data', (cloud, login, graph) => {
    expect(readEntra({ cloud })).toMatchObject({
      cloud,
      authorityHost: login,
      graphBaseUrl: graph,
      graphScope: `${graph}/.default`,
    });
  });

  it('defaults to the public cloud', () => {
    expect(readEntra({})).toMatchObject({
      cloud: 'public',
      graphScope: 'https://graph.microsoft.com/.default',
    });
  });

  it("keeps the cloud's Graph scope when the hosts are overridden (a gateway, the emulator)", () => {
    expect(
      readEntra({
        cloud: 'usGovDoD',
        authority: 'https://login-proxy.example.com',
        graphBaseUrl: 'https://graph-proxy.example.com/',
      }),
    ).toMatchObject({
      authorityHost: 'https://login-proxy.example.com',
      graphBaseUrl: 'https://graph-proxy.example.com',
      graphScope: 'https://dod-graph.microsoft.us/.default',
    });
  });

  it('names the clouds when given another', () => {
    expect(() => readEntra({ cloud: 'germany' })).toThrow(
      'Invalid configuration at awsAccess.entra.cloud: "germany" is not a Microsoft cloud. Use one of public, usGov, usGovDoD, china.',
    );
  });
});
