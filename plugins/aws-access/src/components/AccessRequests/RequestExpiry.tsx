import Typography from '@material-ui/core/Typography';
import type { AccessRequest } from '@aws-access/plugin-aws-access-common';
import { isFinalRequestState } from '@aws-access/plugin-aws-access-common';
import { secondsUntilExpiry } from '../../lib/requests';
import { formatDateTime, parseIsoDuration } from '../../lib/time';
import { useFormat } from '../shared';

/**
 * When a request's access ends: a countdown while it still holds access ("expires in 42 minutes"), when it ended
 * (revoked early, or closed), the end time once it is over, or what was asked for before an approval set the expiry ("for 1 hour", "no expiry").
 */
export function RequestExpiry(props: { request: AccessRequest; now: number }) {
  const { request, now } = props;
  const { t, duration, exactDuration } = useFormat();
  const left = secondsUntilExpiry(request, now);
  let text: string;
  if (request.endedAt && isFinalRequestState(request.state)) {
    text = t('requests.endedAt', { time: formatDateTime(request.endedAt) });
  } else if (request.expiresAt && left !== undefined) {
    text =
      left > 0 && !isFinalRequestState(request.state)
        ? t('requests.expiresIn', { duration: duration(left) })
        : t('requests.expiresAt', { time: formatDateTime(request.expiresAt) });
  } else if (request.duration) {
    text = t('requests.forDuration', {
      duration: exactDuration(parseIsoDuration(request.duration) ?? 0),
    });
  } else {
    text = t('requests.standing');
  }
  return (
    <Typography
      variant="body2"
      data-testid="request-expiry"
      title={request.expiresAt ? formatDateTime(request.expiresAt) : undefined}
    >
      {text}
    </Typography>
  );
}
