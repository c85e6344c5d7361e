import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Alert from '@material-ui/lab/Alert';
import type {
  SyncStatus,
  SyncTriggerResponse,
} from '@aws-access/plugin-aws-access-common';
import {
  formatClockTime,
  formatDateTime,
  secondsBetween,
} from '../../lib/time';
import { StaleSide, useFormat } from '../shared';
import { ChangeEventsPanel } from './ChangeEventsPanel';
import { SyncProgressPanel } from './SyncProgressPanel';
import { SyncRunsChart } from './SyncRunsChart';

/** Warn about the SAML certificate this long before it expires. */
const SAML_WARNING_SECONDS = 30 * 86400;

/**
 * The card's facts: last run and success, data age, when Entra was last read on its own refresh, the provisioning
 * job's state and next cycle, SAML expiry; without an identity source, the mode instead of a provisioning job.
 */
function useHealthMetadata(status: SyncStatus): Record<string, string> {
  const { t, duration, exactDuration } = useFormat();
  const job = status.provisioning;
  const metadata: Record<string, string> = {
    [t('platform.lastRun')]: status.lastRun
      ? `${formatDateTime(status.lastRun.startedAt)} · ${t(
          `platform.outcome.${status.lastRun.outcome}`,
        )}${
          status.lastRun.error
            ? ` · ${status.lastRun.error.source}: ${status.lastRun.error.message}`
            : ''
        }`
      : t('common.never'),
    [t('platform.lastSuccess')]: status.lastSuccessAt
      ? formatDateTime(status.lastSuccessAt)
      : t('common.never'),
    [t('platform.snapshotAge')]:
      status.snapshotAge !== undefined
        ? duration(status.snapshotAge)
        : t('common.unknown'),
  };
  const refresh = status.identityRefresh;
  if (refresh) {
    const every = exactDuration(refresh.everySeconds);
    metadata[t('platform.entraRefresh')] = refresh.lastReadAt
      ? t('platform.entraRefreshValue', {
          time: formatDateTime(refresh.lastReadAt),
          every,
          changed: refresh.lastCommit
            ? formatDateTime(refresh.lastCommit.at)
            : t('common.never'),
        })
      : t('platform.entraRefreshNever', { every });
  }
  if (status.identitySource === 'none') {
    metadata[t('platform.identitySource')] = t('platform.identitySourceNone');
  } else {
    metadata[t('platform.provisioningJob')] = job.status;
    metadata[t('platform.nextCycle')] = job.nextCycleAt
      ? `≈ ${formatClockTime(job.nextCycleAt)}`
      : t('common.unknown');
  }
  if (status.samlCertificateExpires) {
    metadata[t('platform.samlCertificate')] = formatDateTime(
      status.samlCertificateExpires,
    );
  }
  return metadata;
}

/** "Sync now" was accepted (202): there is no run yet, so offer to reload the status. */
function SyncAcceptedAlert(props: { onReload: () => void }) {
  const { t } = useFormat();
  return (
    <Alert
      severity="success"
      data-testid="sync-started"
      action={
        <Button
          color="inherit"
          size="small"
          onClick={props.onReload}
          data-testid="sync-reload"
        >
          {t('platform.reloadStatus')}
        </Button>
      }
    >
      {t('platform.syncAccepted')}
    </Alert>
  );
}

/**
 * Stale data, a failing Entra refresh, a quarantined or failing provisioning job, and an expired or expiring SAML
 * certificate; without an identity source, what the board cannot know instead of the job's alerts.
 */
function HealthAlerts(props: { status: SyncStatus; now: () => number }) {
  const { status, now } = props;
  const { t, duration } = useFormat();
  const identityCenterOnly = status.identitySource === 'none';
  const job = identityCenterOnly
    ? {
        status: 'NotConfigured',
        quarantineReason: undefined,
        lastError: undefined,
      }
    : status.provisioning;
  const quarantined = job.status.toLowerCase() === 'quarantine';
  const samlLeft = status.samlCertificateExpires
    ? secondsBetween(
        new Date(now()).toISOString(),
        status.samlCertificateExpires,
      )
    : undefined;
  const age = duration(status.snapshotAge ?? 0);
  const refreshError = status.identityRefresh?.lastError;
  // Shown until a later read succeeds.
  const refreshFailing =
    refreshError &&
    refreshError.at > (status.identityRefresh?.lastReadAt ?? '');
  return (
    <>
      {status.stale && (
        <Alert severity="warning" data-testid="stale-banner">
          {status.lastRun?.error
            ? t('sync.stale', { age, error: status.lastRun.error.message })
            : t('sync.staleNoError', { age })}{' '}
          <StaleSide
            sides={status.sides}
            ageSeconds={status.snapshotAge ?? 0}
          />
        </Alert>
      )}
      {quarantined && (
        <Alert severity="error" data-testid="quarantine-banner">
          {t('sync.quarantined', {
            reason: job.quarantineReason ?? t('common.unknown'),
          })}
        </Alert>
      )}
      {!quarantined && job.lastError && (
        <Alert severity="warning">
          {t('sync.provisioningError', { error: job.lastError })}
        </Alert>
      )}
      {refreshFailing && (
        <Alert severity="warning" data-testid="entra-refresh-error">
          {t('sync.entraRefreshFailed', {
            time: formatDateTime(refreshError.at),
            error: refreshError.message,
          })}
        </Alert>
      )}
      {identityCenterOnly && (
        <Alert
          severity="info"
          icon={false}
          data-testid="identity-center-only-note"
        >
          {t('sync.identityCenterOnly')}
        </Alert>
      )}
      {samlLeft !== undefined && samlLeft <= 0 && (
        <Alert severity="error" data-testid="saml-expiry">
          {t('platform.samlExpired')}
        </Alert>
      )}
      {samlLeft !== undefined &&
        samlLeft > 0 &&
        samlLeft < SAML_WARNING_SECONDS && (
          <Alert severity="warning" data-testid="saml-expiry">
            {t('platform.samlExpiringSoon', { duration: duration(samlLeft) })}
          </Alert>
        )}
    </>
  );
}

/**
 * Sync and SCIM health: last run and last success, data age, the provisioning job (quarantine, errors, next
 * cycle), SAML certificate expiry, a running sync's progress, the recent runs chart and "Sync now" for those allowed to trigger it. The
 * backend only accepts a trigger (202, no run yet), so after one the card offers to reload the status. Without an
 * identity source there is no provisioning job: the card names the mode and what it cannot know.
 */
export function SyncHealthCard(props: {
  status: SyncStatus;
  canTrigger: boolean;
  onTrigger: () => void;
  triggering: boolean;
  triggered?: SyncTriggerResponse;
  onReload: () => void;
  now?: () => number;
}) {
  const { status, canTrigger, onTrigger, triggering, triggered } = props;
  const { t } = useFormat();
  const metadata = useHealthMetadata(status);

  return (
    <InfoCard
      title={t('platform.healthTitle')}
      action={
        canTrigger ? (
          <Button
            variant="outlined"
            color="primary"
            onClick={onTrigger}
            disabled={triggering}
            data-testid="sync-now"
          >
            {t('platform.syncNow')}
          </Button>
        ) : undefined
      }
    >
      <div data-testid="sync-health">
        {triggered?.accepted && <SyncAcceptedAlert onReload={props.onReload} />}
        <HealthAlerts status={status} now={props.now ?? Date.now} />
        {status.lastRun?.outcome === 'running' && status.lastRun.progress && (
          <SyncProgressPanel progress={status.lastRun.progress} />
        )}
        <StructuredMetadataTable metadata={metadata} />
        {status.changeEvents && (
          <ChangeEventsPanel events={status.changeEvents} />
        )}
        <Box mt={2}>
          <SyncRunsChart runs={status.recentRuns} />
        </Box>
      </div>
    </InfoCard>
  );
}
