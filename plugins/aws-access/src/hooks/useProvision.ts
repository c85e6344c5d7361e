import { useApi } from '@backstage/core-plugin-api';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { awsAccessApiRef } from '../api';

/**
 * `POST /provision` for yourself (no argument) or someone else; calls `onDone` afterwards (also after a failed
 * outcome, which the backend reports in the result rather than as an error) so the caller can reload.
 */
export function useProvision(onDone?: () => void) {
  const api = useApi(awsAccessApiRef);
  const [state, provision] = useAsyncFn(
    async (user?: string) => {
      try {
        return await api.provision(user ? { user } : undefined);
      } finally {
        onDone?.();
      }
    },
    [api, onDone],
  );
  return {
    provision,
    result: state.value,
    provisioning: state.loading,
    error: state.error,
  };
}
