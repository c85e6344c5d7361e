import { useApi } from '@backstage/core-plugin-api';
import type {
  CreateReviewCampaign,
  ReviewCampaign,
  ReviewDecision,
} from '@aws-access/plugin-aws-access-common';
import { useEffect } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { awsAccessApiRef } from '../api';
import { describeError } from '../lib/errors';
import { REQUEST_POLL_MS } from './useRequests';

/** Whether an error means the backend has no governance configured (404 "not configured"). */
function isNotConfigured(error: Error | undefined): boolean {
  return !!error && describeError(error).kind === 'not-found';
}

/**
 * Review campaigns (`GET /reviews`): those where the caller reviews items, or all (the platform team).
 * `notConfigured` is true when the backend has no governance, so the review UI hides instead of erroring.
 */
export function useReviewCampaigns(role: 'reviewer' | 'all') {
  const api = useApi(awsAccessApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listReviewCampaigns({ role }),
    [api, role],
  );
  const notConfigured = isNotConfigured(error);
  return {
    campaigns: value?.items,
    notConfigured,
    loading,
    error: notConfigured ? undefined : error,
    retry,
  };
}

/** One campaign with its progress per group and reviewer (`GET /reviews/:id`); nothing is read without an id. */
export function useReviewCampaign(id: string | undefined) {
  const api = useApi(awsAccessApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    async () => (id ? api.getReviewCampaign(id) : undefined),
    [api, id],
  );
  return { campaign: value, loading, error, retry };
}

/**
 * A campaign's items by group in one call (`GET /reviews/:id/items`), read again every few seconds while a
 * removal is on its way to AWS, so an item turns `removed` without a reload.
 */
export function useReviewItems(campaignId: string, reviewer: 'me' | 'all') {
  const api = useApi(awsAccessApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listReviewItems({ campaignId, reviewer }),
    [api, campaignId, reviewer],
  );
  const removing = !!value?.groups.some(group =>
    group.items.some(item => item.state === 'removing'),
  );
  useEffect(() => {
    if (!removing) {
      return undefined;
    }
    const timer = setTimeout(retry, REQUEST_POLL_MS);
    return () => clearTimeout(timer);
  }, [removing, retry, value]);
  return { page: value, loading, error, retry };
}

/** What a reviewer does to items: decide one, keep a whole group, or delegate one. */
export type ReviewAction =
  | { kind: 'decide'; itemId: string; decision: ReviewDecision; note?: string }
  | { kind: 'keep-group'; group: string; note?: string }
  | { kind: 'delegate'; itemId: string; to: string; note?: string };

/** Runs a reviewer's action on a campaign; `onDone` runs afterwards, also after a refusal (to reload the items). */
export function useReviewAction(campaignId: string, onDone?: () => void) {
  const api = useApi(awsAccessApiRef);
  const [state, run] = useAsyncFn(
    async (action: ReviewAction) => {
      try {
        if (action.kind === 'decide') {
          const { itemId, decision, note } = action;
          await api.decideReviewItem({ campaignId, itemId, decision, note });
        } else if (action.kind === 'keep-group') {
          const { group, note } = action;
          await api.keepReviewGroup({ campaignId, group, note });
        } else {
          const { itemId, to, note } = action;
          await api.delegateReviewItem({ campaignId, itemId, to, note });
        }
      } finally {
        onDone?.();
      }
    },
    [api, campaignId, onDone],
  );
  return { run, running: state.loading, error: state.error };
}

/** `POST /reviews`; `onDone` hears of the created campaign. */
export function useCreateReviewCampaign(
  onDone?: (campaign: ReviewCampaign) => void,
) {
  const api = useApi(awsAccessApiRef);
  const [state, create] = useAsyncFn(
    async (campaign: CreateReviewCampaign) => {
      const created = await api.createReviewCampaign(campaign);
      onDone?.(created);
      return created;
    },
    [api, onDone],
  );
  return {
    create,
    created: state.value,
    creating: state.loading,
    error: state.error,
  };
}

/** Items nobody decided by their due date (`GET /reviews/overdue`), for the platform board. */
export function useOverdueReviewItems() {
  const api = useApi(awsAccessApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listOverdueReviewItems(),
    [api],
  );
  const notConfigured = isNotConfigured(error);
  return {
    items: value?.items,
    notConfigured,
    loading,
    error: notConfigured ? undefined : error,
    retry,
  };
}
