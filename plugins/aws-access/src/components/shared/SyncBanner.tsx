import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type {
  SnapshotSidesRead,
  SyncSummary,
} from '@aws-access/plugin-aws-access-common';
import { formatClockTime, formatDateTime } from '../../lib/time';
import { useFormat } from './useFormat';

/**
 * How fresh the data is and whether provisioning works: last sync and data age, the provisioning job's health and
 * next cycle; a warning when the data is stale (with the last run's error) and an error when the job is quarantined.
 * Without an identity source (Identity Center read alone) there is no provisioning to report: the banner says
 * what it cannot know instead.
 */
export function SyncBanner(props: {
  sync: SyncSummary;
  lastRunError?: string;
}) {
  const { sync, lastRunError } = props;
  const { t, duration } = useFormat();
  const identityCenterOnly = sync.identitySource === 'none';
  const provisioning = identityCenterOnly
    ? { status: 'NotConfigured' }
    : sync.provisioning;
  const quarantined = provisioning.status.toLowerCase() === 'quarantine';
  const age = duration(sync.snapshotAge);

  const facts = [
    sync.syncedAt
      ? t('sync.lastSync', { time: formatDateTime(sync.syncedAt), age })
      : t('sync.noSync'),
    identityCenterOnly
      ? undefined
      : t('sync.provisioning', { status: provisioning.status }),
    provisioning.lastCycleAt
      ? t('sync.lastCycle', { time: formatClockTime(provisioning.lastCycleAt) })
      : undefined,
    provisioning.nextCycleAt
      ? t('sync.nextCycle', { time: formatClockTime(provisioning.nextCycleAt) })
      : undefined,
  ].filter(Boolean);

  return (
    <div data-testid="sync-banner">
      {sync.stale && (
        <Alert severity="warning" data-testid="stale-banner">
          {lastRunError
            ? t('sync.stale', { age, error: lastRunError })
            : t('sync.staleNoError', { age })}{' '}
          <StaleSide sides={sync.sides} ageSeconds={sync.snapshotAge} />
        </Alert>
      )}
      {quarantined && (
        <Alert severity="error" data-testid="quarantine-banner">
          {t('sync.quarantined', {
            reason: provisioning.quarantineReason ?? t('common.unknown'),
          })}
        </Alert>
      )}
      {!quarantined && provisioning.lastError && (
        <Alert severity="warning">
          {t('sync.provisioningError', { error: provisioning.lastError })}
        </Alert>
      )}
      <Alert severity="info" icon={false}>
        <Typography variant="body2">{facts.join(' ')}</Typography>
        {identityCenterOnly && (
          <Typography variant="body2" data-testid="identity-center-only-note">
            {t('sync.identityCenterOnly')}
          </Typography>
        )}
      </Alert>
    </div>
  );
}

/**
 * Names the side that is old when only one is: a partial refresh (Entra's own) can keep one side fresh while the
 * full sync that reads the other keeps failing. Nothing when a full sync read both last.
 */
export function StaleSide(props: {
  sides?: SnapshotSidesRead;
  /** Seconds since the older side was read. */
  ageSeconds: number;
}) {
  const { sides, ageSeconds } = props;
  const { t, duration } = useFormat();
  if (!sides?.older) return null;
  const newer = sides.older === 'aws' ? sides.identity : sides.aws;
  const otherAge = Math.max(
    0,
    ageSeconds -
      Math.round((Date.parse(newer) - Date.parse(sides[sides.older])) / 1000),
  );
  const params = { age: duration(ageSeconds), otherAge: duration(otherAge) };
  return (
    <span data-testid="stale-side">
      {sides.older === 'aws'
        ? t('sync.staleAwsSide', params)
        : t('sync.staleIdentitySide', params)}
    </span>
  );
}
