import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { awsAccessApiRef } from '../api';

/** The signed-in user's access, with loading and error state. */
export function useMyAccess() {
  const api = useApi(awsAccessApiRef);
  const { value, loading, error, retry } = useAsyncRetry(() => api.getMyAccess(), [api]);
  return { access: value, loading, error, retry };
}
