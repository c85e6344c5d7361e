import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import type { SyncProgress } from '@aws-access/plugin-aws-access-common';
import { secondsBetween } from '../../lib/time';
import { useFormat } from '../shared';

/**
 * The running sync: its phase, a bar of requests done against the last full run's, and when reading should be
 * done. The estimate is counted from when the progress was recorded (both server times), so the viewer's clock
 * does not skew it. On a first run the bar is indeterminate and the card says there is nothing to estimate from.
 */
export function SyncProgressPanel(props: { progress: SyncProgress }) {
  const { progress } = props;
  const { t, duration } = useFormat();
  const expected = progress.requestsExpected;
  const done = String(progress.requestsDone);
  const percent =
    expected === undefined
      ? undefined
      : Math.min(
          100,
          expected === 0 ? 100 : (100 * progress.requestsDone) / expected,
        );
  const left = progress.readingDoneAt
    ? secondsBetween(progress.updatedAt, progress.readingDoneAt)
    : undefined;
  let eta: string | undefined;
  if (expected !== undefined && progress.phase === 'reading') {
    eta =
      left === undefined
        ? t('platform.progressEtaUnknown')
        : t('platform.progressEta', { duration: duration(left) });
  }
  return (
    <Box mb={2} data-testid="sync-progress" data-phase={progress.phase}>
      <Typography variant="subtitle2">
        {t('platform.progressTitle', {
          phase: t(`platform.progressPhase.${progress.phase}`),
        })}
      </Typography>
      <LinearProgress
        variant={percent === undefined ? 'indeterminate' : 'determinate'}
        value={percent}
        aria-label={t('platform.progressTitle', {
          phase: t(`platform.progressPhase.${progress.phase}`),
        })}
      />
      <Typography variant="caption" data-testid="sync-progress-requests">
        {expected === undefined
          ? t('platform.progressRequestsFirst', { done })
          : t('platform.progressRequests', {
              done,
              expected: String(expected),
            })}
        {eta && ` · ${eta}`}
      </Typography>
    </Box>
  );
}
