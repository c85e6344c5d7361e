import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { awsAccessApiRef } from '../api';

/** The signed-in user's access (`GET /me`). */
export function useMyAccess() {
  const api = useApi(awsAccessApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getMyAccess(),
    [api],
  );
  return { access: value, loading, error, retry };
}

/** A user's access (`GET /users/:ref`), and whether that user is the one signed in. */
export function useUserAccess(userEntityRef: string) {
  const api = useApi(awsAccessApiRef);
  const identityApi = useApi(identityApiRef);
  const { value, loading, error, retry } = useAsyncRetry(async () => {
    const [access, identity] = await Promise.all([
      api.getUserAccess(userEntityRef),
      identityApi.getBackstageIdentity().catch(() => undefined),
    ]);
    return { access, isSelf: identity?.userEntityRef === userEntityRef };
  }, [api, identityApi, userEntityRef]);
  return {
    access: value?.access,
    isSelf: value?.isSelf ?? false,
    loading,
    error,
    retry,
  };
}

/** A group's access (`GET /groups/:ref`). */
export function useGroupAccess(groupEntityRef: string) {
  const api = useApi(awsAccessApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getGroupAccess(groupEntityRef),
    [api, groupEntityRef],
  );
  return { group: value, loading, error, retry };
}

/** Who can reach an account (`GET /accounts/:id`); nothing is fetched without an account id. */
export function useAccountAccess(accountId: string | undefined) {
  const api = useApi(awsAccessApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    async () => (accountId ? api.getAccountAccess(accountId) : undefined),
    [api, accountId],
  );
  return { account: value, loading, error, retry };
}

/** A permission set and where it is assigned (`GET /permission-sets/:name`). */
export function usePermissionSetDetails(name: string) {
  const api = useApi(awsAccessApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getPermissionSet(name),
    [api, name],
  );
  return { details: value, loading, error, retry };
}

/**
 * A person's joiner/mover/leaver timeline: `'me'` reads `/me/timeline`, an entity ref `/users/:ref/timeline`,
 * and `undefined` reads nothing (yet).
 */
export function useTimeline(user: 'me' | string | undefined) {
  const api = useApi(awsAccessApiRef);
  const { value, loading, error, retry } = useAsyncRetry(async () => {
    if (!user) {
      return undefined;
    }
    return user === 'me' ? api.getMyTimeline() : api.getUserTimeline(user);
  }, [api, user]);
  return { timeline: value, loading, error, retry };
}
