import { Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import Switch from '@material-ui/core/Switch';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type {
  AccountCompliance,
  OnboardingPlan,
} from '@aws-access/plugin-aws-access-common';
import { useState } from 'react';
import { useOnboardingPlan } from '../../hooks';
import { describeError } from '../../lib/errors';
import { planCalls } from '../../lib/onboarding';
import { useFormat } from '../shared';
import { usePairLabel } from './BaselineSummary';
import { ApplyResults, BlockedPairs, PlanCallsTable } from './PlanDetails';

/** An error of the plan or apply request, in the backend's words (its message names what to fix). */
function RequestErrorAlert(props: {
  error: Error;
  testId: string;
  onRetry?: () => void;
}) {
  const { t } = useFormat();
  const described = describeError(props.error);
  return (
    <Alert
      severity="error"
      data-testid={props.testId}
      data-kind={described.kind}
      action={
        props.onRetry ? (
          <Button color="inherit" size="small" onClick={props.onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
    >
      {described.message}
    </Alert>
  );
}

type PlanReview = ReturnType<typeof useOnboardingPlan>;

/**
 * Whether Apply may be pressed, and why not in the person's words: no permission, no write credentials, or a
 * removal not yet confirmed (a plan that is loading, being applied or empty just disables it).
 */
function useApplyGate(
  props: { canApply: boolean; canWrite: boolean; permissionLoading: boolean },
  review: PlanReview,
  confirmed: boolean,
): { applyDisabled: boolean; blockedReason?: string } {
  const { canApply, canWrite, permissionLoading } = props;
  const { t } = useFormat();
  const calls = review.plan ? planCalls(review.plan) : [];
  const deletions = review.plan?.delete.length ?? 0;
  let blockedReason: string | undefined;
  if (!canWrite && !permissionLoading) {
    blockedReason = t('onboarding.plan.noPermission');
  } else if (!canApply) {
    blockedReason = t('onboarding.plan.notConfigured');
  } else if (deletions > 0 && !confirmed) {
    blockedReason = t('onboarding.plan.confirmFirst');
  }
  const applyDisabled =
    !review.plan ||
    review.planLoading ||
    review.applying ||
    calls.length === 0 ||
    !canWrite ||
    !canApply ||
    (deletions > 0 && !confirmed);
  return {
    applyDisabled,
    // Only a plan with calls, not yet applied, has a reason worth showing.
    blockedReason:
      !review.result && calls.length > 0 ? blockedReason : undefined,
  };
}

/** What the account lacks and what it has that the baseline forbids, before any plan. */
function CurrentState(props: { row: AccountCompliance }) {
  const { row } = props;
  const { t } = useFormat();
  const pairLabel = usePairLabel();
  const none = t('onboarding.none');
  return (
    <Typography variant="body2" paragraph data-testid="onboarding-plan-current">
      {t('onboarding.plan.current', {
        missing: row.missing.map(pairLabel).join(', ') || none,
        forbidden: row.forbidden.map(pairLabel).join(', ') || none,
      })}
    </Typography>
  );
}

/** "Also remove forbidden assignments": changing it re-plans. */
function RemovalToggle(props: { review: PlanReview }) {
  const { review } = props;
  const { t } = useFormat();
  return (
    <Box mb={2}>
      <FormControlLabel
        control={
          <Switch
            color="primary"
            checked={review.removeForbidden}
            disabled={review.applying}
            onChange={event => review.setRemoveForbidden(event.target.checked)}
          />
        }
        label={t('onboarding.plan.removeForbidden')}
        data-testid="onboarding-remove-forbidden"
      />
      <FormHelperText>
        {t('onboarding.plan.removeForbiddenHint')}
      </FormHelperText>
    </Box>
  );
}

/** The plan under review: its calls (or that there are none), blocked pairs and the removal confirmation. */
function PlanToReview(props: {
  plan: OnboardingPlan;
  accountName: string;
  applying: boolean;
  confirmed: boolean;
  onConfirm: (confirmed: boolean) => void;
}) {
  const { plan, accountName, applying, confirmed, onConfirm } = props;
  const { t } = useFormat();
  const calls = planCalls(plan);
  const deletions = plan.delete.length;
  return (
    <>
      <Typography variant="body2" color="textSecondary" paragraph>
        {t('onboarding.plan.intro', { version: String(plan.snapshotVersion) })}
      </Typography>
      {calls.length === 0 ? (
        <Typography variant="body2" data-testid="onboarding-plan-empty">
          {t('onboarding.plan.empty', { account: accountName })}
        </Typography>
      ) : (
        <PlanCallsTable calls={calls} />
      )}
      {plan.blocked.length > 0 && (
        <Box mt={2}>
          <BlockedPairs blocked={plan.blocked} />
        </Box>
      )}
      {deletions > 0 && (
        <Box mt={2}>
          <FormControlLabel
            control={
              <Checkbox
                checked={confirmed}
                disabled={applying}
                onChange={event => onConfirm(event.target.checked)}
              />
            }
            label={t('onboarding.plan.confirmRemoval', { count: deletions })}
            data-testid="onboarding-confirm-removal"
          />
        </Box>
      )}
    </>
  );
}

/** Close, and Apply while reviewing or "plan again" after an apply. */
function PlanActions(props: {
  review: PlanReview;
  applyDisabled: boolean;
  confirmed: boolean;
  onClose: () => void;
}) {
  const { review, applyDisabled, confirmed, onClose } = props;
  const { t } = useFormat();
  return (
    <DialogActions>
      <Button onClick={onClose} disabled={review.applying}>
        {t('onboarding.plan.close')}
      </Button>
      {review.result ? (
        <Button
          color="primary"
          variant="outlined"
          onClick={review.replan}
          data-testid="onboarding-replan"
        >
          {t('onboarding.plan.replan')}
        </Button>
      ) : (
        <Button
          color="primary"
          variant="contained"
          disabled={applyDisabled}
          onClick={() => review.apply({ confirmRemoval: confirmed })}
          data-testid="onboarding-apply"
        >
          {t('onboarding.plan.apply')}
        </Button>
      )}
    </DialogActions>
  );
}

/** The plan's request state: re-planned notice, progress and the plan request's error with a retry. */
function PlanStatus(props: { review: PlanReview }) {
  const { review } = props;
  const { t } = useFormat();
  return (
    <>
      {review.planChanged && (
        <Box mb={2}>
          <Alert severity="warning" data-testid="onboarding-plan-changed">
            {t('onboarding.plan.changed')}
          </Alert>
        </Box>
      )}
      {review.planLoading && <Progress />}
      {review.planError && (
        <RequestErrorAlert
          error={review.planError}
          testId="onboarding-plan-error"
          onRetry={review.replan}
        />
      )}
    </>
  );
}

/** The apply's progress, its request error, then each call's outcome and the account's compliance after it. */
function ApplyStatus(props: { review: PlanReview; accountName: string }) {
  const { review, accountName } = props;
  return (
    <>
      {review.applying && <Progress />}
      {review.applyError && (
        <Box mt={2}>
          <RequestErrorAlert
            error={review.applyError}
            testId="onboarding-apply-error"
          />
        </Box>
      )}
      {review.result && (
        <ApplyResults
          result={review.result}
          accountName={accountName}
          complianceAfter={review.complianceAfter}
        />
      )}
    </>
  );
}

/**
 * Reviews one account's onboarding plan and applies it: the exact calls, blocked pairs with reasons, "also remove
 * forbidden assignments" (re-plans), a separate confirmation when the plan deletes anything, then Apply — only for
 * people with `aws-access.assignment.write` on a backend with write credentials. Afterwards it shows each call's
 * outcome and whether the account complies now.
 */
export function OnboardingPlanDialog(props: {
  row: AccountCompliance;
  canApply: boolean;
  canWrite: boolean;
  permissionLoading: boolean;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { row, onClose, onChanged } = props;
  const { account } = row;
  const { t } = useFormat();
  const review = useOnboardingPlan(account.id, onChanged);
  const { plan, result } = review;
  // The confirmation belongs to the plan object it was given for: any new plan needs a new confirmation.
  const [confirmedPlan, setConfirmedPlan] = useState<OnboardingPlan>();
  const confirmed = plan !== undefined && confirmedPlan === plan;

  const { applyDisabled, blockedReason } = useApplyGate(
    props,
    review,
    confirmed,
  );
  const showRemovalToggle =
    !result && (row.forbidden.length > 0 || review.removeForbidden);

  return (
    <Dialog
      open
      onClose={review.applying ? undefined : onClose}
      maxWidth="lg"
      fullWidth
      aria-labelledby="onboarding-plan-title"
    >
      <DialogTitle id="onboarding-plan-title">
        {t('onboarding.plan.title', { account: account.name, id: account.id })}
      </DialogTitle>
      <DialogContent data-testid="onboarding-plan" data-account-id={account.id}>
        <CurrentState row={row} />
        {showRemovalToggle && <RemovalToggle review={review} />}
        <PlanStatus review={review} />
        {plan && !result && (
          <PlanToReview
            plan={plan}
            accountName={account.name}
            applying={review.applying}
            confirmed={confirmed}
            onConfirm={checked => setConfirmedPlan(checked ? plan : undefined)}
          />
        )}
        <ApplyStatus review={review} accountName={account.name} />
        {blockedReason && (
          <Box mt={2}>
            <Typography
              variant="body2"
              color="textSecondary"
              data-testid="onboarding-apply-blocked-reason"
            >
              {blockedReason}
            </Typography>
          </Box>
        )}
      </DialogContent>
      <PlanActions
        review={review}
        applyDisabled={applyDisabled}
        confirmed={confirmed}
        onClose={onClose}
      />
    </Dialog>
  );
}
