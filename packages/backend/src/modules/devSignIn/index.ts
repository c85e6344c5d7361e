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
 * lead, platform) can be seen. Configured as `auth.providers.dev`. Refuses to start in production.
 */
export default createBackendModule({
  pluginId: 'auth',
  moduleId: 'dev-sign-in-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        httpRouter: coreServices.httpRouter,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({ providers, httpRouter, auth, catalog }) {
        if (process.env.NODE_ENV === 'production') {
          throw new Error(
            'The dev sign-in provider lets anyone sign in as anyone and refuses to start when NODE_ENV=production. ' +
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
