import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import type { Emulators } from '@aws-access/emulators';
import { startEmulators } from '@aws-access/emulators';
import path from 'node:path';
import type { AwsAccessConfig } from '../config/readAwsAccessConfig';
import { readAwsAccessConfig } from '../config/readAwsAccessConfig';
import { createSnapshotSources } from '../readers/createSnapshotSources';

// eslint-disable-next-line no-restricted-syntax -- tests run from source
export const SEED_SCENARIO = path.resolve(
  __dirname,
  '../../../../examples/scenarios/seed-org.yaml',
);

/** The awsAccess config that points the real readers at running emulators. */
export function emulatorConfigData(
  emulators: Emulators,
  overrides: Record<string, any> = {},
) {
  const { scenario } = emulators;
  const { identityCenter, entra, ...rest } = overrides;
  return {
    awsAccess: {
      identityCenter: {
        region: scenario.identityCenter.region,
        endpoint: emulators.awsEndpoint,
        requestsPerSecond: 1000,
        organizationsRequestsPerSecond: 1000,
        requestTimeout: { seconds: 3 },
        ...identityCenter,
      },
      entra: {
        tenantId: scenario.entra.tenantId,
        clientId: '00000000-0000-4000-8000-00000000c11e',
        clientSecret: 'emulator-client-secret',
        authority: emulators.graphBaseUrl,
        graphBaseUrl: emulators.graphBaseUrl,
        awsAppId: scenario.entra.awsApp.appId,
        requestsPerSecond: 1000,
        ...entra,
      },
      platformGroups: ['group:default/platform-team'],
      ...rest,
    },
  };
}

/** Emulators on free ports plus the readers and config of a backend pointed at them. */
export async function startEmulatorWorld(
  options: { scenario?: string; overrides?: Record<string, unknown> } = {},
) {
  process.env.AWS_ACCESS_KEY_ID ??= 'AKIAEMULATOR';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'emulator-secret';
  const emulators = await startEmulators({
    scenario: options.scenario ?? SEED_SCENARIO,
    autoScim: false,
  });
  const data = emulatorConfigData(emulators, options.overrides);
  const rootConfig = new ConfigReader(data);
  const config: AwsAccessConfig = readAwsAccessConfig(rootConfig);
  const sources = await createSnapshotSources({ rootConfig, config });
  return {
    emulators,
    config,
    rootConfig,
    data,
    sources,
    logger: mockServices.logger.mock(),
  };
}
