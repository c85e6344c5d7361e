import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { awsAccessPlugin } from './plugin';

const valid = {
  identityCenter: { region: 'us-east-1' },
  entra: {
    tenantId: '8b1c7f3e-5a2d-4c1e-9f00-00000000a001',
    clientId: '0a0b0c0d-0000-4000-8000-000000000001',
    clientSecret: 's3cret',
    awsAppId: '2f6e1b2a-7c3d-4e5f-8a9b-0000000000aa',
  },
};

describe('awsAccessPlugin startup', () => {
  it.each([
    ['no awsAccess block', undefined, /awsAccess.identityCenter: is required/],
    [
      'a wrong region',
      { ...valid, identityCenter: { region: 'mars-1' } },
      /awsAccess.identityCenter.region: "mars-1" is not an AWS region/,
    ],
    [
      'a malformed instance ARN',
      {
        ...valid,
        identityCenter: {
          region: 'us-east-1',
          instanceArn: 'arn:aws:sso:::instance/x',
        },
      },
      /awsAccess.identityCenter.instanceArn/,
    ],
    [
      'no Entra credential',
      { ...valid, entra: { ...valid.entra, clientSecret: undefined } },
      /awsAccess.entra: no credential is configured/,
    ],
    [
      'a non-GUID app id',
      { ...valid, entra: { ...valid.entra, awsAppId: 'aws' } },
      /awsAccess.entra.awsAppId: "aws" is not a GUID.*enterprise application/,
    ],
  ])(
    'refuses to start with %s, naming the key',
    async (_case, awsAccess, message) => {
      await expect(
        startTestBackend({
          features: [
            awsAccessPlugin,
            mockServices.rootConfig.factory({
              data: awsAccess ? { awsAccess } : {},
            }),
          ],
        }),
      ).rejects.toThrow(message);
    },
  );
});
