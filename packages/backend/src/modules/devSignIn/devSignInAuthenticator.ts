import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { AuthenticationError } from '@backstage/errors';
import { createProxyAuthenticator } from '@backstage/plugin-auth-node';

/** The header the demo sign-in page sends with the user the person picked. */
export const DEV_SIGN_IN_HEADER = 'x-aws-access-dev-user';
/** Optional display name for the profile (shown in the sidebar; never used for identity). */
export const DEV_SIGN_IN_NAME_HEADER = 'x-aws-access-dev-user-name';

/** The result of a dev sign-in: the catalog user the person chose to be. */
export type DevSignInResult = { userEntityRef: string; displayName?: string };

/**
 * Trusts the header the demo sign-in page sets, like a reverse proxy would. Only for local demos: the module
 * registering it refuses to start in production.
 */
export const devSignInAuthenticator = createProxyAuthenticator<
  unknown,
  DevSignInResult,
  unknown
>({
  defaultProfileTransform: async result => ({
    profile: {
      displayName:
        result.displayName ?? parseEntityRef(result.userEntityRef).name,
    },
  }),
  initialize: () => undefined,
  async authenticate({ req }) {
    const header = req.header(DEV_SIGN_IN_HEADER);
    if (!header) {
      throw new AuthenticationError(
        `Dev sign-in needs the ${DEV_SIGN_IN_HEADER} header`,
      );
    }
    let userEntityRef: string;
    try {
      userEntityRef = stringifyEntityRef(
        parseEntityRef(header, {
          defaultKind: 'user',
          defaultNamespace: 'default',
        }),
      );
    } catch (error) {
      throw new AuthenticationError(
        `Dev sign-in header is not an entity ref: ${header}`,
      );
    }
    if (!userEntityRef.startsWith('user:')) {
      throw new AuthenticationError(
        `Dev sign-in must name a User entity, got ${userEntityRef}`,
      );
    }
    const displayName = decodeName(req.header(DEV_SIGN_IN_NAME_HEADER));
    return {
      result: { userEntityRef, ...(displayName ? { displayName } : {}) },
    };
  },
});

/** The percent-encoded display name header, decoded; anything unreadable is ignored. */
function decodeName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  try {
    return decodeURIComponent(header).slice(0, 200) || undefined;
  } catch {
    return undefined;
  }
}
