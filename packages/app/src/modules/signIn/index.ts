import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

const devSignInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => (await import('./DevSignInPage')).DevSignInPage,
  },
});

/** The demo's sign-in page: choose a person of the scenario. */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [devSignInPage],
});
