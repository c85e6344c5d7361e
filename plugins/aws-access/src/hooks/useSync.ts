import { useApi } from '@backstage/core-plugin-api';
import { useEffect } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { awsAccessApiRef } from '../api';

/** How often the status is read again while a sync runs (its progress is recorded about once a second). */
export const SYNC_POLL_MS = 5000;

/** `GET /sync/status`, read again every `SYNC_POLL_MS` while the last run is running. */
export function useSyncStatus() {
  const api = useApi(awsAccessApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getSyncStatus(),
    [api],
  );
  const running = value?.lastRun?.outcome === 'running';
  useEffect(() => {
    if (!running) {
      return undefined;
    }
    const timer = setTimeout(retry, SYNC_POLL_MS);
    return () => clearTimeout(timer);
  }, [running, retry, value]);
  return { status: value, loading, error, retry };
}

/**
 * Why the data is stale: the last run's error message, read from `/sync/status` only while the data is stale.
 * Failing to read it is not an error worth showing; the stale banner then says less.
 */
export function useStaleReason(stale: boolean) {
  const api = useApi(awsAccessApiRef);
  const { value } = useAsyncRetry(async () => {
    if (!stale) {
      return undefined;
    }
    try {
      const status = await api.getSyncStatus();
      return status.lastRun?.outcome === 'failed'
        ? status.lastRun.error?.message
        : undefined;
    } catch {
      return undefined;
    }
  }, [api, stale]);
  return value;
}

/** `POST /sync`: start a run now. */
export function useTriggerSync(onDone?: () => void) {
  const api = useApi(awsAccessApiRef);
  const [state, trigger] = useAsyncFn(async () => {
    const response = await api.triggerSync();
    onDone?.();
    return response;
  }, [api, onDone]);
  return {
    trigger,
    triggered: state.value,
    triggering: state.loading,
    error: state.error,
  };
}

/** `POST /sync/held/approve`. */
export function useApproveHeldSnapshot(onDone?: () => void) {
  const api = useApi(awsAccessApiRef);
  const [state, approve] = useAsyncFn(async () => {
    const run = await api.approveHeldSnapshot();
    onDone?.();
    return run;
  }, [api, onDone]);
  return {
    approve,
    run: state.value,
    approving: state.loading,
    error: state.error,
  };
}
