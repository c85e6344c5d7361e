import type { Emulators, Scenario } from '@aws-access/emulators';
import { startEmulators } from '@aws-access/emulators';
import { SEED_SCENARIO } from './scenarios';

/**
 * Emulators on free ports for a test: the seed organization unless told otherwise (a file, or a scenario object);
 * SCIM cycles run on request.
 */
export async function startTestEmulators(
  scenario: string | Scenario = SEED_SCENARIO,
): Promise<Emulators> {
  // The AWS SDK's default credential chain wants credentials; the emulators do not check signatures.
  process.env.AWS_ACCESS_KEY_ID ??= 'AKIAEMULATOR';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'emulator-secret';
  return startEmulators({ scenario, autoScim: false });
}

/**
 * The `awsAccess` config that points the real readers at running emulators. `overrides` are merged in:
 * `identityCenter` and `entra` key by key (`entra: null` leaves Entra out: Identity Center alone), anything else
 * replaces the key.
 */
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
      // A scenario without an Entra tenant (or `entra: null`) configures Identity Center alone.
      ...(entra === null || scenario.identitySource === 'none'
        ? {}
        : {
            entra: {
              tenantId: scenario.entra.tenantId,
              // The scenario's app registration: the emulated token endpoint checks both.
              clientId: scenario.entra.appRegistrations[0].clientId,
              clientSecret: scenario.entra.appRegistrations[0].clientSecret,
              authority: emulators.graphBaseUrl,
              graphBaseUrl: emulators.graphBaseUrl,
              awsAppId: scenario.entra.awsApp.appId,
              requestsPerSecond: 1000,
              ...entra,
            },
          }),
      platformGroups: ['group:default/platform-team'],
      ...rest,
    },
  };
}
