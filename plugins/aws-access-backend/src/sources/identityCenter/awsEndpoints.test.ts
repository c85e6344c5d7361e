import { DescribeOrganizationCommand } from '@aws-sdk/client-organizations';
import { ConfigReader } from '@backstage/config';
import { loadScenario } from '@aws-access/emulators';
import {
  emulatorConfigData,
  SEED_SCENARIO,
  startTestEmulators,
} from '@aws-access/test-utils';
import { readAwsAccessConfig } from '../../config/readAwsAccessConfig';
import { createAccessSources } from '../createAccessSources';
import { RequestStats } from '../requests/RequestStats';
import { createAwsClients } from './awsClients';

jest.setTimeout(60_000);

/**
 * The seed organisation with its instance in eu-west-1, read by Identity Center alone with the `identityCenter`
 * keys `configure` gives for the emulator's endpoint. The emulator checks signing regions as AWS does.
 */
async function readEuInstance(
  configure: (endpoint: string) => Record<string, unknown>,
) {
  const scenario = loadScenario(SEED_SCENARIO);
  scenario.identityCenter.region = 'eu-west-1';
  const emulators = await startTestEmulators(scenario);
  try {
    const rootConfig = new ConfigReader(
      emulatorConfigData(emulators, {
        entra: null,
        identityCenter: configure(emulators.awsEndpoint),
      }),
    );
    const config = readAwsAccessConfig(rootConfig);
    const sources = await createAccessSources({ rootConfig, config });
    const aws = await sources.aws.read({
      stats: new RequestStats(),
      now: new Date(),
    });
    return { config, aws };
  } finally {
    await emulators.close();
  }
}

/*
 * sso-admin and identitystore answer in the instance's region, Organizations in one region of the partition; a
 * request signed for another region is refused (403 InvalidSignatureException), through an endpoint override too.
 */
describe('AWS endpoints by service', () => {
  it('signs Organizations for us-east-1 when one endpoint serves every service', async () => {
    const { config, aws } = await readEuInstance(endpoint => ({ endpoint }));
    expect(Object.values(config.identityCenter.endpoints)).toHaveLength(5);
    expect(aws.region).toBe('eu-west-1');
    expect(aws.organizationId).toBe('o-a1b2c3d4e5');
  });

  it('takes an endpoint per service', async () => {
    const { aws } = await readEuInstance(endpoint => ({
      endpoint: null,
      endpoints: {
        ssoAdmin: endpoint,
        identityStore: endpoint,
        organizations: endpoint,
      },
    }));
    expect(aws.accounts.length).toBeGreaterThan(0);
  });

  it("leaves a service without an override to the SDK's AWS_ENDPOINT_URL_<SERVICE>", async () => {
    const saved = process.env.AWS_ENDPOINT_URL_ORGANIZATIONS;
    try {
      const { config, aws } = await readEuInstance(endpoint => {
        process.env.AWS_ENDPOINT_URL_ORGANIZATIONS = endpoint;
        return {
          endpoint: null,
          endpoints: { ssoAdmin: endpoint, identityStore: endpoint },
        };
      });
      expect(config.identityCenter.endpoints.organizations).toBeUndefined();
      expect(aws.organizationId).toBe('o-a1b2c3d4e5');
    } finally {
      if (saved === undefined)
        delete process.env.AWS_ENDPOINT_URL_ORGANIZATIONS;
      else process.env.AWS_ENDPOINT_URL_ORGANIZATIONS = saved;
    }
  });

  it.each([
    ['aws', 'eu-west-1', 'organizations.us-east-1.amazonaws.com', 'us-east-1'],
    [
      'aws-us-gov',
      'us-gov-east-1',
      'organizations.us-gov-west-1.amazonaws.com',
      'us-gov-west-1',
    ],
    [
      'aws-cn',
      'cn-north-1',
      'organizations.cn-northwest-1.amazonaws.com.cn',
      'cn-northwest-1',
    ],
  ] as const)(
    'sends Organizations in %s (instance in %s) to %s, signed for %s',
    async (partition, region, host, signingRegion) => {
      const { organizations } = createAwsClients({
        region,
        partition,
        endpoints: {},
        credentials: async () => ({
          accessKeyId: 'AKIDEXAMPLE',
          secretAccessKey: 'secret',
        }),
        requestTimeoutMs: 1000,
      });
      // Stop the request once signed, before it leaves: what would have gone on the wire.
      organizations.middlewareStack.add(
        () => async args => {
          throw Object.assign(new Error('captured'), {
            request: args.request,
          });
        },
        { step: 'deserialize', priority: 'low' },
      );
      const { request } = await organizations
        .send(new DescribeOrganizationCommand({}))
        .catch(e => e);
      expect(request.hostname).toBe(host);
      expect(request.headers.authorization).toContain(
        `/${signingRegion}/organizations/aws4_request`,
      );
    },
  );
});
