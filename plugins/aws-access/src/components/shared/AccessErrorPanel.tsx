import { EmptyState, ResponseErrorPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { awsAccessTranslationRef } from '../../translation';
import type { ErrorKind } from '../../lib/errors';
import { describeError } from '../../lib/errors';

/**
 * Tells the person what a failed request means for them and what to do: not synced yet (503, with retry), not
 * matched to Entra (404 on `/me`, with the backend's message and a hint), not allowed (403), or the raw error.
 * `variant="card"` renders a compact alert for entity cards instead of a full-page empty state.
 */
export function AccessErrorPanel(props: {
  error: Error;
  onRetry?: () => void;
  /** `me`: the signed-in user's own access, where a 404 means their user could not be matched to Entra. */
  subject?: 'me' | 'other';
  variant?: 'page' | 'card';
  /** What a 403 means here, when the default ("you can see your own access and your teams'") does not fit. */
  forbiddenHint?: string;
}) {
  const {
    error,
    onRetry,
    subject = 'other',
    variant = 'page',
    forbiddenHint,
  } = props;
  const { t } = useTranslationRef(awsAccessTranslationRef);
  const described = describeError(error);

  const retryButton = onRetry ? (
    <Button
      variant={variant === 'page' ? 'contained' : 'outlined'}
      color="primary"
      size="small"
      onClick={onRetry}
    >
      {described.retryAfterSeconds
        ? t('common.retryIn', { seconds: String(described.retryAfterSeconds) })
        : t('common.retry')}
    </Button>
  ) : undefined;

  const explained: Partial<
    Record<ErrorKind, { title: string; lines: string[]; retry: boolean }>
  > = {
    'not-synced': {
      title: t('errors.notSyncedTitle'),
      lines: [t('errors.notSyncedDescription')],
      retry: true,
    },
    'not-found':
      subject === 'me'
        ? {
            title: t('errors.notMatchedTitle'),
            lines: [described.message, t('errors.notMatchedHint')],
            retry: false,
          }
        : {
            title: t('errors.notFoundTitle'),
            lines: [described.message],
            retry: false,
          },
    forbidden: {
      title: t('errors.forbiddenTitle'),
      lines: [forbiddenHint ?? t('errors.forbidden')],
      retry: false,
    },
  };
  const explanation = explained[described.kind];

  if (!explanation) {
    return (
      <div data-testid="access-error" data-kind={described.kind}>
        <ResponseErrorPanel error={error} />
        {retryButton}
      </div>
    );
  }

  const text = explanation.lines.map((line, index) => (
    <Typography
      key={index}
      component="span"
      display="block"
      variant={index === 0 ? 'body1' : 'body2'}
    >
      {line}
    </Typography>
  ));
  const action = explanation.retry ? retryButton : undefined;

  return (
    <div data-testid="access-error" data-kind={described.kind}>
      {variant === 'page' ? (
        <EmptyState
          missing={described.kind === 'not-synced' ? 'data' : 'info'}
          title={explanation.title}
          description={<>{text}</>}
          action={action}
        />
      ) : (
        <Alert
          severity={described.kind === 'forbidden' ? 'info' : 'warning'}
          action={action}
        >
          <AlertTitle>{explanation.title}</AlertTitle>
          {text}
        </Alert>
      )}
    </div>
  );
}
