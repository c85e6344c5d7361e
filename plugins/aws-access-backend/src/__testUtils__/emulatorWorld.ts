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
