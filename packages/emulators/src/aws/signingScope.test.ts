import { DescribeOrganizationCommand } from '@aws-sdk/client-organizations';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import {
  ListInstancesCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { SEED_SCENARIO } from '../__testUtils__/clients';
import { loadScenario } from '../scenario/parse';
import { startEmulators } from '../startEmulators';
import type { Emulators } from '../startEmulators';

/*
 * The SigV4 credential scope, as the real endpoints check it: sso-admin and identitystore answer in the instance's
 * region, Organizations in its partition's one region (us-east-1 for `aws`). A request signed for another region
 * gets 403 InvalidSignatureException. The instance here is in eu-west-1.
 */
describe('AWS signing scope', () => {
  let emulators: Emulators;
  const client = <T>(Client: new (config: any) => T, region: string): T =>
    new Client({
      region,
      endpoint: emulators.awsEndpoint,
      credentials: { accessKeyId: 'AKIAEMULATOR', secretAccessKey: 'x' },
      maxAttempts: 1,
    });

  beforeAll(async () => {
    const scenario = loadScenario(SEED_SCENARIO);
    scenario.identityCenter.region = 'eu-west-1';
    emulators = await startEmulators({ scenario, autoScim: false });
  });
  afterAll(() => emulators.close());

  it('takes Organizations requests signed for us-east-1 only', async () => {
    const organization = await client(OrganizationsClient, 'us-east-1').send(
      new DescribeOrganizationCommand({}),
    );
    expect(organization.Organization?.Id).toBe('o-a1b2c3d4e5');

    const error = await client(OrganizationsClient, 'eu-west-1')
      .send(new DescribeOrganizationCommand({}))
      .catch(e => e);
    expect(error).toMatchObject({
      name: 'InvalidSignatureException',
      message:
        "Credential should be scoped to a valid region, not 'eu-west-1'. ",
      $metadata: { httpStatusCode: 403 },
    });
  });

  it("takes sso-admin requests signed for the instance's region only", async () => {
    const { Instances } = await client(SSOAdminClient, 'eu-west-1').send(
      new ListInstancesCommand({}),
    );
    expect(Instances).toHaveLength(1);
    await expect(
      client(SSOAdminClient, 'us-east-1').send(new ListInstancesCommand({})),
    ).rejects.toMatchObject({ name: 'InvalidSignatureException' });
  });
});
