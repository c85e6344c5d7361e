export {
  useAccountAccess,
  useGroupAccess,
  useGroupAccessPages,
  useMyAccess,
  useMyAwsCliConfig,
  usePermissionSetDetails,
  useTimeline,
  useUserAccess,
  useUserAwsCliConfig,
} from './useAccess';
export {
  useApproveHeldSnapshot,
  useStaleReason,
  useSyncStatus,
  useTriggerSync,
} from './useSync';
export { useDiagnosis, useDriftReport } from './usePlatform';
export { useProvision } from './useProvision';
export { useOnboarding, useOnboardingPlan } from './useOnboarding';
export {
  REQUEST_POLL_MS,
  useAccessRequest,
  useCreateRequest,
  useNow,
  useRequestAction,
  useRequestList,
  useRequestables,
} from './useRequests';
export {
  useCreateReviewCampaign,
  useOverdueReviewItems,
  useReviewAction,
  useReviewCampaign,
  useReviewCampaigns,
  useReviewItems,
} from './useReviews';
export type { ReviewAction } from './useReviews';
