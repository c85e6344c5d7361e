import { EmptyState, ResponseErrorPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { awsAccessTranslationRef } from '../../translation';
import type { DescribedError, ErrorKind } from '../../lib/errors';
import { describeError } from '../../lib/errors';
import type { ReactElement } from 'react';

type Variant = 'page' | 'card';

interface Explanation {
  title: string;
  lines: string[];
  retry: boolean;
}

function RetryButton(props: {
  described: DescribedError;
  variant: Variant;
  onRetry: () => void;
}) {
  const { described, variant, onRetry } = props;
  const { t } = useTranslationRef(awsAccessTranslationRef);
  return (
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
  );
}

/** What an error kind means for the person, where it has a meaning beyond the raw error. */
function useExplanation(
  described: DescribedError,
  subject: 'me' | 'other',
  forbiddenHint: string | undefined,
): Explanation | undefined {
  const { t } = useTranslationRef(awsAccessTranslationRef);
  const explained: Partial<Record<ErrorKind, Explanation>> = {
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
  return explained[described.kind];
}

function ExplainedError(props: {
  kind: ErrorKind;
  explanation: Explanation;
  variant: Variant;
  action: ReactElement | undefined;
}) {
  const { kind, explanation, variant, action } = props;
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
  return variant === 'page' ? (
    <EmptyState
      missing={kind === 'not-synced' ? 'data' : 'info'}
      title={explanation.title}
      description={<>{text}</>}
      action={action}
    />
  ) : (
    <Alert severity={kind === 'forbidden' ? 'info' : 'warning'} action={action}>
      <AlertTitle>{explanation.title}</AlertTitle>
      {text}
    </Alert>
  );
}

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
  variant?: Variant;
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
  const described = describeError(error);
  const explanation = useExplanation(described, subject, forbiddenHint);
  const retryButton = onRetry ? (
    <RetryButton described={described} variant={variant} onRetry={onRetry} />
  ) : undefined;

  return (
    <div data-testid="access-error" data-kind={described.kind}>
      {explanation ? (
        <ExplainedError
          kind={described.kind}
          explanation={explanation}
          variant={variant}
          action={explanation.retry ? retryButton : undefined}
        />
      ) : (
        <>
          <ResponseErrorPanel error={error} />
          {retryButton}
        </>
      )}
    </div>
  );
}
