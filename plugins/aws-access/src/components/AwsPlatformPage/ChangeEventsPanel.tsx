import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { ChangeEventsStatus } from '@aws-access/plugin-aws-access-common';
import { formatDateTime } from '../../lib/time';
import { useFormat } from '../shared';

/**
 * The change events on the platform board: the last batch, unreadable messages (dead-lettered by the queue's
 * redrive policy), the dead-letter queue's depth, and what the last full reconciliation found the events had missed.
 */
export function ChangeEventsPanel(props: { events: ChangeEventsStatus }) {
  const { events } = props;
  const { t, duration } = useFormat();
  const batch = events.lastBatch;
  const reconcile = events.lastReconcile;
  const newest = events.unreadable[0];
  return (
    <Box mt={2} data-testid="change-events">
      <Typography variant="subtitle2">
        {t('platform.changeEvents.title')}
      </Typography>
      <Typography variant="body2">
        {batch
          ? t('platform.changeEvents.lastBatch', {
              time: formatDateTime(batch.at),
              messages: String(batch.messages),
              targets: String(batch.targets),
              duration: duration(
                Math.max(1, Math.round(batch.durationMs / 1000)),
              ),
            })
          : t('platform.changeEvents.noBatch')}
        {' · '}
        {t('platform.changeEvents.handled', { n: String(events.handled) })}
        {events.lastPollAt &&
          ` · ${t('platform.changeEvents.lastPoll', {
            time: formatDateTime(events.lastPollAt),
          })}`}
      </Typography>
      {events.lastError && (
        <Alert severity="warning" data-testid="change-events-error">
          {t('platform.changeEvents.lastError', {
            time: formatDateTime(events.lastError.at),
            error: events.lastError.message,
          })}
        </Alert>
      )}
      {newest && (
        <Alert severity="warning" data-testid="change-events-unreadable">
          {t('platform.changeEvents.unreadable', {
            n: String(events.unreadable.length),
            messageId: newest.messageId,
            reason: newest.reason,
            receives: String(newest.receiveCount),
          })}
        </Alert>
      )}
      {(events.deadLetterDepth ?? 0) > 0 && (
        <Alert severity="error" data-testid="change-events-dead-letters">
          {t('platform.changeEvents.deadLetters', {
            n: String(events.deadLetterDepth),
          })}
        </Alert>
      )}
      {reconcile && reconcile.missed === 0 && (
        <Typography variant="body2" data-testid="change-events-reconcile">
          {t('platform.changeEvents.reconcileClean', {
            time: formatDateTime(reconcile.at),
          })}
        </Typography>
      )}
      {reconcile && reconcile.missed > 0 && (
        <Alert severity="warning" data-testid="change-events-reconcile">
          {t('platform.changeEvents.reconcileMissed', {
            time: formatDateTime(reconcile.at),
            n: String(reconcile.missed),
          })}
          <ul>
            {reconcile.differences.map((d, i) => (
              <li key={i}>
                {d.kind} {d.change}: {d.subject}
              </li>
            ))}
          </ul>
        </Alert>
      )}
    </Box>
  );
}
