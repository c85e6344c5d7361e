import { useApi } from '@backstage/core-plugin-api';
import type {
  AccountCompliance,
  ApplyResult,
  OnboardingPlan,
} from '@aws-access/plugin-aws-access-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { awsAccessApiRef } from '../api';
import { describeError } from '../lib/errors';

/** `GET /onboarding/accounts`: baseline rules, config problems and every account's compliance. */
export function useOnboarding() {
  const api = useApi(awsAccessApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getOnboarding(),
    [api],
  );
  return { overview: value, loading, error, retry };
}

interface PlanState {
  plan?: OnboardingPlan;
  /** The option the plan was made with; apply sends this one, never a newer toggle state. */
  removeForbidden: boolean;
  loading: boolean;
  error?: Error;
}

interface ApplyState {
  applying: boolean;
  result?: ApplyResult;
  /** The account re-read (`GET /onboarding/accounts/:id`) after the apply; absent if that read failed. */
  complianceAfter?: AccountCompliance;
  error?: Error;
  /** The backend refused the reviewed plan (409) and the new plan differs: it needs a new review. */
  planChanged: boolean;
}

const IDLE: ApplyState = { applying: false, planChanged: false };

/** `POST …/plan` for the account and option, now and on every change; only the latest request's answer counts. */
function usePlanRequest(accountId: string, removeForbidden: boolean) {
  const api = useApi(awsAccessApiRef);
  const [planState, setPlanState] = useState<PlanState>({
    removeForbidden: false,
    loading: true,
  });
  const latestPlanRequest = useRef(0);

  const loadPlan = useCallback(async (): Promise<
    OnboardingPlan | undefined
  > => {
    const request = ++latestPlanRequest.current;
    // Drop the old plan at once: its calls must not stay on screen (or be applied) under the new option.
    setPlanState({ removeForbidden, loading: true });
    try {
      const plan = await api.planAccountBaseline({
        accountId,
        removeForbidden,
      });
      if (request === latestPlanRequest.current) {
        setPlanState({ plan, removeForbidden, loading: false });
      }
      return plan;
    } catch (error) {
      if (request === latestPlanRequest.current) {
        setPlanState({
          removeForbidden,
          loading: false,
          error: error as Error,
        });
      }
      return undefined;
    }
  }, [api, accountId, removeForbidden]);

  useEffect(() => {
    loadPlan();
  }, [loadPlan]);

  return { planState, loadPlan };
}

/**
 * `POST …/apply` with exactly the reviewed plan's id and option, then the account's compliance re-read. A 409
 * re-plans; `planChanged` when the new plan differs, else the backend's error.
 */
function useApplyPlan(
  accountId: string,
  planState: PlanState,
  loadPlan: () => Promise<OnboardingPlan | undefined>,
  onChanged?: () => void,
) {
  const api = useApi(awsAccessApiRef);
  const [applyState, setApplyState] = useState<ApplyState>(IDLE);
  const reviewed = planState.plan;
  const reviewedWithRemoval = planState.removeForbidden;
  const apply = useCallback(
    async (options: { confirmRemoval: boolean }) => {
      if (!reviewed) {
        return;
      }
      setApplyState({ applying: true, planChanged: false });
      try {
        const result = await api.applyAccountBaseline({
          accountId,
          planId: reviewed.planId,
          removeForbidden: reviewedWithRemoval,
          confirmRemoval: options.confirmRemoval,
        });
        const complianceAfter = await api
          .getAccountCompliance(accountId)
          .catch(() => undefined);
        setApplyState({
          applying: false,
          result,
          complianceAfter,
          planChanged: false,
        });
        onChanged?.();
      } catch (error) {
        if (describeError(error as Error).kind === 'conflict') {
          const fresh = await loadPlan();
          onChanged?.();
          if (fresh && fresh.planId !== reviewed.planId) {
            setApplyState({ applying: false, planChanged: true });
            return;
          }
        }
        setApplyState({
          applying: false,
          error: error as Error,
          planChanged: false,
        });
      }
    },
    [api, accountId, reviewed, reviewedWithRemoval, loadPlan, onChanged],
  );
  return { applyState, setApplyState, apply };
}

/**
 * Reviewing and applying one account's onboarding plan: `POST …/plan` whenever the account or "also remove
 * forbidden assignments" changes, and `POST …/apply` with exactly the reviewed plan's id and option.
 *
 * A 409 from apply means the plan changed since it was reviewed (or, with the same plan, that the account is not
 * ACTIVE): the hook re-plans, and reports `planChanged` when the new plan differs; otherwise it reports the
 * backend's error. After an apply the account's compliance is re-read, and `onChanged` runs (also when the
 * plan changed) so the caller can reload the overview.
 */
export function useOnboardingPlan(accountId: string, onChanged?: () => void) {
  const [removeForbidden, setRemoveForbiddenState] = useState(false);
  const { planState, loadPlan } = usePlanRequest(accountId, removeForbidden);
  const { applyState, setApplyState, apply } = useApplyPlan(
    accountId,
    planState,
    loadPlan,
    onChanged,
  );

  const setRemoveForbidden = useCallback(
    (value: boolean) => {
      setApplyState(IDLE);
      setRemoveForbiddenState(value);
    },
    [setApplyState],
  );

  const replan = useCallback(() => {
    setApplyState(IDLE);
    loadPlan();
  }, [setApplyState, loadPlan]);

  return {
    plan: planState.plan,
    planLoading: planState.loading,
    planError: planState.error,
    removeForbidden,
    setRemoveForbidden,
    replan,
    apply,
    applying: applyState.applying,
    result: applyState.result,
    complianceAfter: applyState.complianceAfter,
    applyError: applyState.error,
    planChanged: applyState.planChanged,
  };
}
