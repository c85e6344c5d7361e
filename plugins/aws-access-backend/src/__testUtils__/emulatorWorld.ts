import {
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import type {
  CreateAccountAssignmentCommandInput,
  DeleteAccountAssignmentCommandInput,
} from '@aws-sdk/client-sso-admin';
import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import type { Scenario } from '@aws-access/emulators';
import { emulatorConfigData, startTestEmulators } from '@aws-access/test-utils';
import type { AwsAccessConfig } from '../config/readAwsAccessConfig';
import { readAwsAccessConfig } from '../config/readAwsAccessConfig';
import { createAccessSources } from '../sources/createAccessSources';

/** Emulators on free ports plus the readers and config of a backend pointed at them. */
export async function startEmulatorWorld(
  options: {
    scenario?: string | Scenario;
    overrides?: Record<string, unknown>;
  } = {},
) {
  const emulators = await startTestEmulators(options.scenario);
  const data = emulatorConfigData(emulators, options.overrides);
  const rootConfig = new ConfigReader(data);
  const config: AwsAccessConfig = readAwsAccessConfig(rootConfig);
  const sources = await createAccessSources({ rootConfig, config });
  return {
    emulators,
    config,
    rootConfig,
    data,
    sources,
    logger: mockServices.logger.mock(),
  };
}

/** An SSO Admin client on the emulated AWS: an independent writer, as Terraform or the console would be. */
export function emulatorSsoAdmin(world: {
  emulators: { awsEndpoint: string };
  config: Pick<AwsAccessConfig, 'identityCenter'>;
}): SSOAdminClient {
  return new SSOAdminClient({
    region: world.config.identityCenter.region,
    endpoint: world.emulators.awsEndpoint,
    credentials: { accessKeyId: 'AKIAEMULATOR', secretAccessKey: 'x' },
  });
}

/** Deletes an account assignment and waits until Identity Center's asynchronous deletion ends; returns its status. */
export async function deleteAssignment(
  client: SSOAdminClient,
  input: DeleteAccountAssignmentCommandInput,
): Promise<string | undefined> {
  const { AccountAssignmentDeletionStatus: started } = await client.send(
    new DeleteAccountAssignmentCommand(input),
  );
  let status = started?.Status;
  while (status === 'IN_PROGRESS') {
    await new Promise(resolve => setTimeout(resolve, 20));
    status = (
      await client.send(
        new DescribeAccountAssignmentDeletionStatusCommand({
          InstanceArn: input.InstanceArn,
          AccountAssignmentDeletionRequestId: started!.RequestId,
        }),
      )
    ).AccountAssignmentDeletionStatus?.Status;
  }
  return status;
}

/** Creates an account assignment and waits until Identity Center's asynchronous creation ends; returns its status. */
export async function createAssignment(
  client: SSOAdminClient,
  input: CreateAccountAssignmentCommandInput,
): Promise<string | undefined> {
  const { AccountAssignmentCreationStatus: started } = await client.send(
    new CreateAccountAssignmentCommand(input),
  );
  let status = started?.Status;
  while (status === 'IN_PROGRESS') {
    await new Promise(resolve => setTimeout(resolve, 20));
    status = (
      await client.send(
        new DescribeAccountAssignmentCreationStatusCommand({
          InstanceArn: input.InstanceArn,
          AccountAssignmentCreationRequestId: started!.RequestId,
        }),
      )
    ).AccountAssignmentCreationStatus?.Status;
  }
  return status;
}
