import { loadConfigSchema } from '@backstage/config-loader';

/*
 * Issue 11, S5: the secrets of the AWS access plugins never reach the browser. The app backend serves the
 * frontend the configuration filtered by the config schema with `visibility: ['frontend']`. Checked with the
 * schema of the backend (every plugin it installs, ours included) and with the app's own schema (what the app
 * bundle carries): distinctive fake secrets set in config are filtered out, frontend keys are not.
 */

jest.setTimeout(120_000);

const CANARIES = [
  'AWSACCESS-CANARY-SECRET-1',
  'AWSACCESS-CANARY-EXTERNAL-ID-2',
  'AWSACCESS-CANARY-AWS-SECRET-KEY-3',
  'AWSACCESS-CANARY-WRITE-EXTERNAL-ID-4',
];

const config = {
  app: { baseUrl: 'http://localhost:3000', title: 'AWS Access' },
  backend: { baseUrl: 'http://localhost:7007' },
  aws: {
    mainAccount: {
      accessKeyId: 'AKIACANARYMAINACCOUNT',
      secretAccessKey: CANARIES[2],
    },
  },
  awsAccess: {
    identityCenter: {
      region: 'us-east-1',
      roleArn: 'arn:aws:iam::111111111111:role/backstage-aws-access-read',
      externalId: CANARIES[1],
      accessPortalUrl: 'https://d-9067a1b2c3.awsapps.com/start',
    },
    entra: {
      tenantId: '8b1c7f3e-5a2d-4c1e-9f00-00000000a001',
      clientId: '0a0b0c0d-0000-4000-8000-000000000001',
      clientSecret: CANARIES[0],
      awsAppId: '2f6e1b2a-7c3d-4e5f-8a9b-0000000000aa',
    },
    write: {
      roleArn: 'arn:aws:iam::111111111111:role/backstage-aws-access-write',
      externalId: CANARIES[3],
    },
  },
};

const canariesIn = (text: string) =>
  CANARIES.filter(canary => text.includes(canary));

describe('the configuration the frontend gets', () => {
  it('holds none of the secrets with the schema of the backend and every plugin it installs', async () => {
    const schema = await loadConfigSchema({ dependencies: ['backend'] });
    const frontend = JSON.stringify(
      schema.process([{ data: config, context: 'app-config.yaml' }], {
        visibility: ['frontend'],
      }),
    );
    expect(canariesIn(frontend)).toEqual([]);
    // The filter does not simply drop everything: the frontend keys pass, ours included.
    expect(frontend).toContain('http://localhost:3000');
    expect(frontend).toContain('https://d-9067a1b2c3.awsapps.com/start');
    // And without the filter the same processing keeps them: the secrets above are read at all.
    const everything = JSON.stringify(
      schema.process([{ data: config, context: 'app-config.yaml' }], {
        ignoreSchemaErrors: true,
      }),
    );
    expect(canariesIn(everything)).toEqual(CANARIES);
  });

  it('holds none of the secrets with the schema the app bundle carries', async () => {
    const schema = await loadConfigSchema({ dependencies: ['app'] });
    const frontend = JSON.stringify(
      schema.process([{ data: config, context: 'app-config.yaml' }], {
        visibility: ['frontend'],
      }),
    );
    expect(canariesIn(frontend)).toEqual([]);
    expect(frontend).toContain('http://localhost:3000');
  });
});
