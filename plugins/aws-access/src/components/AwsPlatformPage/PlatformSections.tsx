import { Progress } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import Alert from '@material-ui/lab/Alert';
import type {
  useApproveHeldSnapshot,
  useDriftReport,
  useProvision,
  useSyncStatus,
  useTriggerSync,
} from '../../hooks';
import { AccessErrorPanel, ProvisionResultAlert, useFormat } from '../shared';
import { DriftLists } from './DriftLists';
import { AccountsWithoutAssignments, LintFindings } from './Findings';
import { SyncHealthCard } from './SyncHealthCard';

/** The approved snapshot's run, or why a sync trigger or an approval was refused. */
export function BoardAlerts(props: {
  trigger: ReturnType<typeof useTriggerSync>;
  approval: ReturnType<typeof useApproveHeldSnapshot>;
}) {
  const { trigger, approval } = props;
  const { t } = useFormat();
  const error = trigger.error ?? approval.error;
  return (
    <>
      {approval.run && (
        <Grid item xs={12}>
          <Alert severity="success" data-testid="approve-result">
            {t('platform.approved', { id: approval.run.id })}
          </Alert>
        </Grid>
      )}
      {error && (
        <Grid item xs={12}>
          <AccessErrorPanel error={error} variant="card" />
        </Grid>
      )}
    </>
  );
}

/** Sync and SCIM health once read (kept while a refresh fails), else its error with a retry, else progress. */
export function SyncSection(props: {
  sync: ReturnType<typeof useSyncStatus>;
  trigger: ReturnType<typeof useTriggerSync>;
  canTrigger: boolean;
}) {
  const { sync, trigger, canTrigger } = props;
  if (sync.status) {
    return (
      <SyncHealthCard
        status={sync.status}
        canTrigger={canTrigger}
        onTrigger={trigger.trigger}
        triggering={trigger.triggering}
        triggered={trigger.triggered}
        onReload={sync.retry}
      />
    );
  }
  if (sync.error) {
    return <AccessErrorPanel error={sync.error} onRetry={sync.retry} />;
  }
  return sync.loading ? <Progress /> : null;
}

/**
 * The drift lists with "Deprovision now" and its outcome, then the accounts without assignments and the
 * permission-set lint from the same report.
 */
export function DriftSection(props: {
  drift: ReturnType<typeof useDriftReport>;
  deprovision: ReturnType<typeof useProvision>;
  canDeprovision: boolean;
}) {
  const { drift, deprovision, canDeprovision } = props;
  return (
    <>
      <Grid item xs={12}>
        {deprovision.result && (
          <ProvisionResultAlert result={deprovision.result} />
        )}
        {deprovision.error && (
          <AccessErrorPanel error={deprovision.error} variant="card" />
        )}
        {drift.drift && (
          <DriftLists
            drift={drift.drift}
            canDeprovision={canDeprovision}
            onDeprovision={user => deprovision.provision(user)}
            deprovisioning={deprovision.provisioning}
          />
        )}
        {!drift.drift && drift.error && (
          <AccessErrorPanel error={drift.error} onRetry={drift.retry} />
        )}
        {!drift.drift && !drift.error && drift.loading && <Progress />}
      </Grid>
      {drift.drift && (
        <>
          <Grid item xs={12} md={6}>
            <AccountsWithoutAssignments
              accounts={drift.drift.accountsWithoutAssignments}
            />
          </Grid>
          <Grid item xs={12} md={6}>
            <LintFindings findings={drift.drift.lint} />
          </Grid>
        </>
      )}
    </>
  );
}
