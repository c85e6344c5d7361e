import {
  Content,
  EmptyState,
  Header,
  Page,
  Progress,
} from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import Grid from '@material-ui/core/Grid';
import {
  awsAccessAllReadPermission,
  awsAccessProvisionAnyPermission,
  awsAccessSnapshotApprovePermission,
  awsAccessSyncTriggerPermission,
} from '@aws-access/plugin-aws-access-common';
import { useCallback } from 'react';
import {
  useApproveHeldSnapshot,
  useDiagnosis,
  useDriftReport,
  useProvision,
  useSyncStatus,
  useTriggerSync,
} from '../../hooks';
import { useFormat } from '../shared';
import { AllRequestsCard, GovernanceLintCard } from '../AccessRequests';
import { OverdueReviewsCard } from '../AccessReviews';
import { AccountOnboarding } from './AccountOnboarding';
import { DiagnoseForm } from './DiagnoseForm';
import { HeldSnapshotCard } from './HeldSnapshotCard';
import { BoardAlerts, DriftSection, SyncSection } from './PlatformSections';

function PlatformBoard() {
  const sync = useSyncStatus();
  const drift = useDriftReport();
  const { allowed: canTrigger } = usePermission({
    permission: awsAccessSyncTriggerPermission,
  });
  const { allowed: canApprove } = usePermission({
    permission: awsAccessSnapshotApprovePermission,
  });
  const { allowed: canDeprovision } = usePermission({
    permission: awsAccessProvisionAnyPermission,
  });

  const retrySync = sync.retry;
  const retryDrift = drift.retry;
  const reloadAll = useCallback(() => {
    retrySync();
    retryDrift();
  }, [retrySync, retryDrift]);

  const trigger = useTriggerSync(retrySync);
  const approval = useApproveHeldSnapshot(reloadAll);
  const deprovision = useProvision(retryDrift);
  const diagnosis = useDiagnosis();

  return (
    <Grid container spacing={3}>
      <BoardAlerts trigger={trigger} approval={approval} />
      <Grid item xs={12} md={6}>
        <SyncSection sync={sync} trigger={trigger} canTrigger={canTrigger} />
      </Grid>
      <Grid item xs={12} md={6}>
        {sync.status?.heldSnapshot && (
          <HeldSnapshotCard
            held={sync.status.heldSnapshot}
            canApprove={canApprove}
            onApprove={approval.approve}
            approving={approval.approving}
          />
        )}
        <DiagnoseForm
          onDiagnose={diagnosis.diagnose}
          diagnosis={diagnosis.diagnosis}
          loading={diagnosis.loading}
          error={diagnosis.error}
        />
      </Grid>
      <Grid item xs={12}>
        <AllRequestsCard />
      </Grid>
      <Grid item xs={12}>
        <OverdueReviewsCard />
      </Grid>
      <Grid item xs={12}>
        <GovernanceLintCard />
      </Grid>
      <Grid item xs={12}>
        <AccountOnboarding />
      </Grid>
      <DriftSection
        drift={drift}
        deprovision={deprovision}
        canDeprovision={canDeprovision}
      />
    </Grid>
  );
}

/**
 * The platform team's board: sync and SCIM health, sync run history, held-back snapshot with approve, account
 * onboarding against the baseline (review plan, apply), all access requests with export, overdue access review
 * items and the request policy lint, drift lists with "Deprovision now", accounts without
 * assignments, permission-set lint and "diagnose access". Needs
 * `aws-access.all.read`; without it, the board explains where to look instead.
 */
export const AwsPlatformContent = () => {
  const { t } = useFormat();
  const { loading, allowed } = usePermission({
    permission: awsAccessAllReadPermission,
  });
  if (loading) {
    return <Progress />;
  }
  if (!allowed) {
    return (
      <div data-testid="access-error" data-kind="forbidden">
        <EmptyState
          missing="info"
          title={t('errors.forbiddenTitle')}
          description={t('errors.platformForbidden')}
        />
      </div>
    );
  }
  return <PlatformBoard />;
};

/** The platform board with the Backstage page frame, for the legacy frontend system. */
export const AwsPlatformPage = () => {
  const { t } = useFormat();
  return (
    <Page themeId="tool">
      <Header title={t('platform.title')} subtitle={t('platform.subtitle')} />
      <Content>
        <AwsPlatformContent />
      </Content>
    </Page>
  );
};

/** The platform board inside the new frontend system's page layout. */
export const AwsPlatformPageBody = () => (
  <Content>
    <AwsPlatformContent />
  </Content>
);
