import { InfoCard, Progress } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { AccessRequest } from '@aws-access/plugin-aws-access-common';
import { useCallback } from 'react';
import { useRequestAction, useRequestList } from '../../hooks';
import { describeError } from '../../lib/errors';
import { AccessErrorPanel, useFormat } from '../shared';
import { RequestAccessButton } from './RequestAccessButton';
import { RequestsTable } from './RequestsTable';

/** A refused or failed action (409 from the wrong state, 403, …) in the backend's words. */
export function ActionErrorAlert(props: { error: Error }) {
  return (
    <Alert severity="error" data-testid="request-action-error">
      {describeError(props.error).message}
    </Alert>
  );
}

/**
 * *My requests*: the signed-in person's requests with live state (followed while in flight), expiry countdown,
 * history, and *Cancel*, *Revoke now* and *Retry* where the backend allows them; *Request access* in the header.
 * Renders nothing when access requests are not configured. `onChange` hears when a request moved (to reload the
 * grants it affects).
 */
export function MyRequestsCard(props: {
  onChange?(): void;
  openRequestId?: string;
}) {
  const { onChange, openRequestId } = props;
  const { t } = useFormat();
  const list = useRequestList('mine', { onChange });
  const reload = list.retry;
  const action = useRequestAction(reload);
  const submitted = useCallback(
    (_request: AccessRequest) => reload(),
    [reload],
  );

  if (list.notConfigured) {
    return null;
  }
  let body: JSX.Element | null = null;
  if (list.requests) {
    body =
      list.requests.length === 0 ? (
        <Typography variant="body2" data-testid="no-requests">
          {t('requests.mine.empty')}
        </Typography>
      ) : (
        <RequestsTable
          ariaLabel={t('requests.mine.title')}
          requests={list.requests}
          acting={action.acting}
          openRequestId={openRequestId}
          onAction={(request, name, note) =>
            action.act(request.id, name, note).catch(() => undefined)
          }
        />
      );
  } else if (list.error) {
    body = (
      <AccessErrorPanel
        error={list.error}
        onRetry={list.retry}
        variant="card"
      />
    );
  } else if (list.loading) {
    body = <Progress />;
  }

  return (
    <InfoCard
      title={t('requests.mine.title')}
      action={<RequestAccessButton onSubmitted={submitted} />}
    >
      <div data-testid="my-requests">
        {action.error && <ActionErrorAlert error={action.error} />}
        {body}
      </div>
    </InfoCard>
  );
}
