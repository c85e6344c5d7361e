export {
  useAccountAccess,
  useGroupAccess,
  useMyAccess,
  usePermissionSetDetails,
  useTimeline,
  useUserAccess,
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
