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
  const { row, canApply, canWrite, permissionLoading, onClose, onChanged } =
    props;
  const { account } = row;
  const { t } = useFormat();
  const pairLabel = usePairLabel();
  const review = useOnboardingPlan(account.id, onChanged);
  const { plan, result } = review;
  // The confirmation belongs to the plan object it was given for: any new plan needs a new confirmation.
  const [confirmedPlan, setConfirmedPlan] = useState<OnboardingPlan>();
  const confirmed = plan !== undefined && confirmedPlan === plan;

  const calls = plan ? planCalls(plan) : [];
  const deletions = plan?.delete.length ?? 0;
  let blockedReason: string | undefined;
  if (!canWrite && !permissionLoading) {
    blockedReason = t('onboarding.plan.noPermission');
  } else if (!canApply) {
    blockedReason = t('onboarding.plan.notConfigured');
  } else if (deletions > 0 && !confirmed) {
    blockedReason = t('onboarding.plan.confirmFirst');
  }
  const applyDisabled =
    !plan ||
    review.planLoading ||
    review.applying ||
    calls.length === 0 ||
    !canWrite ||
    !canApply ||
    (deletions > 0 && !confirmed);

  const none = t('onboarding.none');
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
        <Typography
          variant="body2"
          paragraph
          data-testid="onboarding-plan-current"
        >
          {t('onboarding.plan.current', {
            missing: row.missing.map(pairLabel).join(', ') || none,
            forbidden: row.forbidden.map(pairLabel).join(', ') || none,
          })}
        </Typography>
        {showRemovalToggle && (
          <Box mb={2}>
            <FormControlLabel
              control={
                <Switch
                  color="primary"
                  checked={review.removeForbidden}
                  disabled={review.applying}
                  onChange={event =>
                    review.setRemoveForbidden(event.target.checked)
                  }
                />
              }
              label={t('onboarding.plan.removeForbidden')}
              data-testid="onboarding-remove-forbidden"
            />
            <FormHelperText>
              {t('onboarding.plan.removeForbiddenHint')}
            </FormHelperText>
          </Box>
        )}
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
        {plan && !result && (
          <>
            <Typography variant="body2" color="textSecondary" paragraph>
              {t('onboarding.plan.intro', {
                version: String(plan.snapshotVersion),
              })}
            </Typography>
            {calls.length === 0 ? (
              <Typography variant="body2" data-testid="onboarding-plan-empty">
                {t('onboarding.plan.empty', { account: account.name })}
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
                      disabled={review.applying}
                      onChange={event =>
                        setConfirmedPlan(
                          event.target.checked ? plan : undefined,
                        )
                      }
                    />
                  }
                  label={t('onboarding.plan.confirmRemoval', {
                    count: deletions,
                  })}
                  data-testid="onboarding-confirm-removal"
                />
              </Box>
            )}
          </>
        )}
        {review.applying && <Progress />}
        {review.applyError && (
          <Box mt={2}>
            <RequestErrorAlert
              error={review.applyError}
              testId="onboarding-apply-error"
            />
          </Box>
        )}
        {result && (
          <ApplyResults
            result={result}
            accountName={account.name}
            complianceAfter={review.complianceAfter}
          />
        )}
        {!result && plan && calls.length > 0 && blockedReason && (
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
      <DialogActions>
        <Button onClick={onClose} disabled={review.applying}>
          {t('onboarding.plan.close')}
        </Button>
        {result ? (
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
    </Dialog>
  );
}
