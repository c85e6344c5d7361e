import type { Emulators } from '@aws-access/emulators';
import { emulatorConfigData } from './emulators';

const emulators = {
  awsEndpoint: 'http://127.0.0.1:41000',
  graphBaseUrl: 'https://127.0.0.1:41001',
  scenario: {
    identityCenter: { region: 'eu-west-1' },
    entra: {
      tenantId: 'tenant-1',
      awsApp: { appId: 'app-1' },
      appRegistrations: [{ clientId: 'client-1', clientSecret: 'secret-1' }],
    },
  },
} as unknown as Emulators;

describe('emulatorConfigData', () => {
  it("should point both readers at the emulators, with the scenario's ids", () => {
    const { awsAccess } = emulatorConfigData(emulators);

    expect(awsAccess.identityCenter).toMatchObject({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:41000',
    });
    expect(awsAccess.entra).toMatchObject({
      tenantId: 'tenant-1',
      authority: 'https://127.0.0.1:41001',
      graphBaseUrl: 'https://127.0.0.1:41001',
      awsAppId: 'app-1',
      // The scenario's app registration, which the emulated token endpoint checks.
      clientId: 'client-1',
      clientSecret: 'secret-1',
    });
  });

  it('should merge identityCenter and entra overrides key by key and replace other keys', () => {
    const { awsAccess } = emulatorConfigData(emulators, {
      identityCenter: { requestsPerSecond: 5 },
      entra: { clientSecret: 'other' },
      retries: { maxAttempts: 2 },
      platformGroups: [],
    });

    expect(awsAccess.identityCenter).toMatchObject({
      region: 'eu-west-1',
      requestsPerSecond: 5,
    });
    expect(awsAccess.entra).toMatchObject({
      tenantId: 'tenant-1',
      clientSecret: 'other',
    });
    expect(awsAccess).toMatchObject({
      retries: { maxAttempts: 2 },
      platformGroups: [],
    });
  });
});
