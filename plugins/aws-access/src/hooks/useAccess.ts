import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import type {
  AccessPageQuery,
  GroupAccess,
} from '@aws-access/plugin-aws-access-common';
import { useMemo, useRef, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { awsAccessApiRef } from '../api';
import { downloadText } from '../lib/download';
import type { AccessFilterValues } from '../lib/paging';
import { mergeGroupPages } from '../lib/paging';

/** The signed-in user's access (`GET /me`): one page of grants, as `query` asks (the first without one). */
export function useMyAccess(query?: AccessPageQuery) {
  const api = useApi(awsAccessApiRef);
  const key = JSON.stringify(query ?? {});
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getMyAccess(JSON.parse(key)),
    [api, key],
  );
  return { access: value, loading, error, retry };
}

/**
 * The signed-in user's `~/.aws/config` (`GET /me/aws-cli-config`): read once when `shown` (a preview), and
 * `download()` saves it as a file whatever its size.
 */
export function useMyAwsCliConfig(shown: boolean) {
  const api = useApi(awsAccessApiRef);
  const preview = useAsyncRetry(
    async () => (shown ? api.getMyAwsCliConfig() : undefined),
    [api, shown],
  );
  const [saving, download] = useAsyncFn(
    async () => saveAwsCliConfig(await api.getMyAwsCliConfig()),
    [api],
  );
  return {
    config: preview.value,
    error: preview.error ?? saving.error,
    downloading: saving.loading,
    download,
  };
}

/** Saves a `~/.aws/config` as the file people put in place (it can be a megabyte: never shown, always saved). */
function saveAwsCliConfig(config: string) {
  downloadText('aws-config', config, 'text/plain;charset=utf-8');
}

/**
 * A user's `~/.aws/config` (`GET /users/:ref/aws-cli-config`, readable where `GET /users/:ref` is): `download()`
 * reads it and saves it as a file.
 */
export function useUserAwsCliConfig(userEntityRef: string) {
  const api = useApi(awsAccessApiRef);
  const [saving, download] = useAsyncFn(
    async () => saveAwsCliConfig(await api.getUserAwsCliConfig(userEntityRef)),
    [api, userEntityRef],
  );
  return { error: saving.error, downloading: saving.loading, download };
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

/** A group's access (`GET /groups/:ref`): its assignments and the first page of its members. */
export function useGroupAccess(groupEntityRef: string) {
  const api = useApi(awsAccessApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getGroupAccess(groupEntityRef),
    [api, groupEntityRef],
  );
  return { group: value, loading, error, retry };
}

/** Rows per page of the team matrix: the backend's most (about 10 members of a big organisation's team). */
export const TEAM_PAGE_LIMIT = 500;

/**
 * A group's members page by page (`GET /groups/:ref` with `filters`): the first page, then `loadMore()` appends
 * the next one. `group` holds every page read so far, merged; new filters start again from the first page.
 */
export function useGroupAccessPages(
  groupEntityRef: string,
  filters: AccessFilterValues,
) {
  const api = useApi(awsAccessApiRef);
  const key = JSON.stringify(filters);
  const [more, setMore] = useState<GroupAccess[]>([]);
  const first = useAsyncRetry(async () => {
    setMore([]);
    return api.getGroupAccess(groupEntityRef, {
      ...JSON.parse(key),
      limit: TEAM_PAGE_LIMIT,
    });
  }, [api, groupEntityRef, key]);
  const current = useRef(first.value);
  current.current = first.value;
  const last = more[more.length - 1] ?? first.value;
  const nextCursor = last?.page?.nextCursor;
  const [next, loadMore] = useAsyncFn(async () => {
    if (!nextCursor || !first.value) return;
    const head = first.value;
    const page = await api.getGroupAccess(groupEntityRef, {
      ...JSON.parse(key),
      limit: TEAM_PAGE_LIMIT,
      cursor: nextCursor,
    });
    // A page asked for before the filters changed belongs to the old list.
    setMore(pages =>
      current.current === head && (pages[pages.length - 1] ?? head) === last
        ? [...pages, page]
        : pages,
    );
  }, [api, groupEntityRef, key, nextCursor, first.value, last]);
  const group = useMemo(
    () => first.value && mergeGroupPages([first.value, ...more]),
    [first.value, more],
  );
  return {
    group,
    loading: first.loading,
    error: first.error,
    retry: first.retry,
    hasMore: Boolean(nextCursor),
    loadMore,
    loadingMore: next.loading,
    moreError: next.error,
  };
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
