import { startTestBackend } from '@backstage/backend-test-utils';
import { authProvidersExtensionPoint } from '@backstage/plugin-auth-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import devSignInModule from './index';

describe('dev sign-in module', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('registers the dev provider outside production', async () => {
    const registerProvider = jest.fn();
    await startTestBackend({
      extensionPoints: [[authProvidersExtensionPoint, { registerProvider }]],
      features: [devSignInModule, catalogServiceMock.factory()],
    });
    expect(registerProvider).toHaveBeenCalledWith(
      expect.objectContaining({ providerId: 'dev' }),
    );
  });

  it('refuses to start when NODE_ENV=production', async () => {
    process.env.NODE_ENV = 'production';
    const registerProvider = jest.fn();
    await expect(
      startTestBackend({
        extensionPoints: [[authProvidersExtensionPoint, { registerProvider }]],
        features: [devSignInModule, catalogServiceMock.factory()],
      }),
    ).rejects.toThrow(/refuses to start when NODE_ENV=production/);
    expect(registerProvider).not.toHaveBeenCalled();
  });
});
