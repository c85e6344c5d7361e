import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import Router from 'express-promise-router';
import { devSignInAuthenticator } from './devSignInAuthenticator';
import { listDemoUsers } from './listDemoUsers';

/**
 * Demo sign-in: pick any User of the scenario and sign in as them, so every view of the product (engineer,
 * lead, platform) can be seen. Configured as `auth.providers.dev`. It starts only where the configuration says
 * this is a development environment (`auth.environment: development`, set explicitly) and never with
 * NODE_ENV=production: merging the production config over the demo's, or forgetting the module in a deployed
 * backend, stops the backend instead of letting anyone sign in as anyone.
 */
export default createBackendModule({
  pluginId: 'auth',
  moduleId: 'dev-sign-in-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({ providers, config, httpRouter, auth, catalog }) {
        const refusal = refusalToStart(
          config.getOptionalString('auth.environment'),
        );
        if (refusal) {
          throw new Error(
            `The dev sign-in provider lets anyone sign in as anyone and refuses to start ${refusal}. ` +
              'Remove it from packages/backend/src/index.ts and configure a real sign-in provider.',
          );
        }
        providers.registerProvider({
          providerId: 'dev',
          factory: createProxyAuthProviderFactory({
            authenticator: devSignInAuthenticator,
            async signInResolver({ result }, ctx) {
              return ctx.signInWithCatalogUser({
                entityRef: result.userEntityRef,
              });
            },
          }),
        });

        // The sign-in page lists the people of the scenario before anyone is signed in.
        const router = Router();
        router.get('/dev-sign-in/users', async (_req, res) => {
          res.json({ users: await listDemoUsers({ auth, catalog }) });
        });
        httpRouter.use(router);
        httpRouter.addAuthPolicy({
          path: '/dev-sign-in/users',
          allow: 'unauthenticated',
        });
      },
    });
  },
});

/** Why the demo sign-in must not start here, or undefined in a development environment. */
function refusalToStart(authEnvironment: string | undefined) {
  if (process.env.NODE_ENV === 'production') return 'when NODE_ENV=production';
  if (authEnvironment !== 'development') {
    return `unless auth.environment is 'development' (it is ${
      authEnvironment === undefined ? 'not set' : `'${authEnvironment}'`
    })`;
  }
  return undefined;
}
