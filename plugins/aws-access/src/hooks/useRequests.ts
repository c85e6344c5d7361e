import { useApi } from '@backstage/core-plugin-api';
import type {
  AccessRequest,
  CreateAccessRequest,
  RequestListRole,
  RequestState,
} from '@aws-access/plugin-aws-access-common';
import { useEffect, useRef, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import type { AccessRequestAction } from '../api';
import { awsAccessApiRef } from '../api';
import { describeError } from '../lib/errors';
import { needsPolling } from '../lib/requests';

/** How often a view with a request in flight looks again. */
export const REQUEST_POLL_MS = 5000;

/** The current time, re-read every `intervalMs` (for countdowns). */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Whether an error means the backend has no access requests configured (404 "not configured"). */
function isNotConfigured(error: Error | undefined): boolean {
  return !!error && describeError(error).kind === 'not-found';
}

/**
 * The groups the caller may request (`GET /requestables`). `notConfigured` is true when the backend has no
 * governance, so the request UI hides instead of showing an error.
 */
export function useRequestables() {
  const api = useApi(awsAccessApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getRequestables(),
    [api],
  );
  const notConfigured = isNotConfigured(error);
  return {
    requestables: value?.items,
    notConfigured,
    loading,
    error: notConfigured ? undefined : error,
    retry,
  };
}

/**
 * Requests by role (`GET /requests`), looked at again every few seconds while any of them is in flight, so the
 * view follows a request through granting and revoking without a reload. `onChange` hears when a request's state
 * changed between two reads (to reload what depends on it, such as the grants).
 */
export function useRequestList(
  role: RequestListRole,
  options: { state?: RequestState; onChange?: () => void } = {},
) {
  const { state, onChange } = options;
  const api = useApi(awsAccessApiRef);
  const now = useNow(REQUEST_POLL_MS);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listRequests({ role, state }),
    [api, role, state],
  );
  const items = value?.items;
  const poll = !!items?.some(request => needsPolling(request, now));
  useEffect(() => {
    if (!poll) {
      return undefined;
    }
    const timer = setTimeout(retry, REQUEST_POLL_MS);
    return () => clearTimeout(timer);
  }, [poll, retry, items]);

  const fingerprint = items?.map(r => `${r.id}:${r.state}`).join(',');
  const previous = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (fingerprint === undefined) {
      return;
    }
    if (previous.current !== undefined && previous.current !== fingerprint) {
      onChange?.();
    }
    previous.current = fingerprint;
  }, [fingerprint, onChange]);

  const notConfigured = isNotConfigured(error);
  return {
    requests: items,
    notConfigured,
    loading,
    error: notConfigured ? undefined : error,
    retry,
  };
}

/** One request with its history (`GET /requests/:id`); nothing is read without an id. */
export function useAccessRequest(id: string | undefined, refreshKey?: string) {
  const api = useApi(awsAccessApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    async () => (id ? api.getRequest(id) : undefined),
    [api, id, refreshKey],
  );
  return { request: value, loading, error, retry };
}

/** `POST /requests`; `onDone` hears of a created request. */
export function useCreateRequest(onDone?: (request: AccessRequest) => void) {
  const api = useApi(awsAccessApiRef);
  const [state, create] = useAsyncFn(
    async (request: CreateAccessRequest) => {
      const created = await api.createRequest(request);
      onDone?.(created);
      return created;
    },
    [api, onDone],
  );
  return {
    create,
    created: state.value,
    submitting: state.loading,
    error: state.error,
  };
}

/** A transition (approve, deny, cancel, revoke, retry); `onDone` runs afterwards, also after a refusal. */
export function useRequestAction(onDone?: () => void) {
  const api = useApi(awsAccessApiRef);
  const [state, act] = useAsyncFn(
    async (id: string, action: AccessRequestAction, note?: string) => {
      try {
        return await api.actOnRequest({ id, action, note });
      } finally {
        onDone?.();
      }
    },
    [api, onDone],
  );
  return { act, acting: state.loading, error: state.error };
}
