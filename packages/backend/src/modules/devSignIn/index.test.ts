import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { authProvidersExtensionPoint } from '@backstage/plugin-auth-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import devSignInModule from './index';

function startWith(authConfig: { environment?: string }) {
  const registerProvider = jest.fn();
  const started = startTestBackend({
    extensionPoints: [[authProvidersExtensionPoint, { registerProvider }]],
    features: [
      devSignInModule,
      catalogServiceMock.factory(),
      mockServices.rootConfig.factory({ data: { auth: authConfig } }),
    ],
  });
  return { registerProvider, started };
}

describe('dev sign-in module', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('registers the dev provider when auth.environment is development', async () => {
    const { registerProvider, started } = startWith({
      environment: 'development',
    });
    await started;
    expect(registerProvider).toHaveBeenCalledWith(
      expect.objectContaining({ providerId: 'dev' }),
    );
  });

  it('refuses to start when NODE_ENV=production', async () => {
    process.env.NODE_ENV = 'production';
    const { registerProvider, started } = startWith({
      environment: 'development',
    });
    await expect(started).rejects.toThrow(
      /refuses to start when NODE_ENV=production/,
    );
    expect(registerProvider).not.toHaveBeenCalled();
  });

  it('refuses to start with auth.environment production (the production config merged over the demo)', async () => {
    const { registerProvider, started } = startWith({
      environment: 'production',
    });
    await expect(started).rejects.toThrow(
      /unless auth.environment is 'development' \(it is 'production'\)/,
    );
    expect(registerProvider).not.toHaveBeenCalled();
  });

  it('refuses to start when auth.environment is not set', async () => {
    const { registerProvider, started } = startWith({});
    await expect(started).rejects.toThrow(/it is not set/);
    expect(registerProvider).not.toHaveBeenCalled();
  });
});
