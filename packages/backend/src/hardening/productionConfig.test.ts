import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { loadConfig, loadConfigSchema } from '@backstage/config-loader';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../../../..');

// What app-config.production.yaml takes from the environment.
const ENV = {
  APP_BASE_URL: 'https://backstage.example.com',
  BACKEND_BASE_URL: 'https://backstage.example.com',
  POSTGRES_HOST: 'db.example.com',
  POSTGRES_PORT: '5432',
  POSTGRES_USER: 'backstage',
  POSTGRES_PASSWORD: 'secret',
  AZURE_TENANT_ID: '8b1c7f3e-5a2d-4c1e-9f00-00000000a001',
  AZURE_CLIENT_ID: '0a0b0c0d-0000-4000-8000-000000000001',
  AZURE_CLIENT_SECRET: 'secret',
  AWS_ACCESS_REGION: 'eu-west-1',
  AWS_ACCESS_ROLE_ARN:
    'arn:aws:iam::111111111111:role/backstage-aws-access-read',
  AWS_ACCESS_ENTRA_CLIENT_ID: '0a0b0c0d-0000-4000-8000-000000000001',
  AWS_ACCESS_ENTRA_CLIENT_SECRET: 'secret',
  AWS_ACCESS_AWS_APP_ID: '2f6e1b2a-7c3d-4e5f-8a9b-0000000000aa',
};

/*
 * The production example merged over the demo's configuration, as `--config app-config.yaml --config
 * app-config.production.yaml` loads them: valid against every installed plugin's schema, and none of the demo's
 * emulator hosts survive, so the AWS SDK and Entra reach the real clouds.
 */
describe('app-config.production.yaml over the demo configuration', () => {
  const saved = { ...process.env };
  beforeAll(() => Object.assign(process.env, ENV));
  afterAll(() => {
    process.env = saved;
  });

  it('points at the real AWS and Entra endpoints', async () => {
    const { appConfigs } = await loadConfig({
      configRoot: ROOT,
      configTargets: [
        { path: path.join(ROOT, 'app-config.yaml') },
        { path: path.join(ROOT, 'app-config.production.yaml') },
      ],
    });
    const schema = await loadConfigSchema({ dependencies: ['backend'] });
    const config = ConfigReader.fromConfigs(schema.process(appConfigs));
    const awsAccess = config.getConfig('awsAccess');

    expect(awsAccess.getString('identityCenter.region')).toBe('eu-west-1');
    expect(awsAccess.has('identityCenter.endpoint')).toBe(false);
    expect(awsAccess.has('identityCenter.endpoints')).toBe(false);
    expect(awsAccess.has('identityCenter.events')).toBe(false);
    expect(awsAccess.getString('entra.cloud')).toBe('public');
    expect(awsAccess.has('entra.authority')).toBe(false);
    expect(awsAccess.has('entra.graphBaseUrl')).toBe(false);
  });

  it("keeps none of the demo's timings, onboarding writes, baseline or governance policies", async () => {
    const { appConfigs } = await loadConfig({
      configRoot: ROOT,
      configTargets: [
        { path: path.join(ROOT, 'app-config.yaml') },
        { path: path.join(ROOT, 'app-config.production.yaml') },
      ],
    });
    const config = ConfigReader.fromConfigs(appConfigs);
    for (const key of [
      'schedule',
      'staleAfter',
      'pollInterval',
      'write',
      'baseline',
      'governance',
      'entra.refreshEvery',
    ]) {
      expect([key, config.has(`awsAccess.${key}`)]).toEqual([key, false]);
    }
  });
});
