import { useApi } from '@backstage/core-plugin-api';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { awsAccessApiRef } from '../api';

/** `GET /drift`. */
export function useDriftReport() {
  const api = useApi(awsAccessApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getDrift(),
    [api],
  );
  return { drift: value, loading, error, retry };
}

/** `GET /diagnose`, run on demand. */
export function useDiagnosis() {
  const api = useApi(awsAccessApiRef);
  const [state, diagnose] = useAsyncFn(
    (user: string, account: string) => api.diagnose({ user, account }),
    [api],
  );
  return {
    diagnose,
    diagnosis: state.value,
    loading: state.loading,
    error: state.error,
  };
}
