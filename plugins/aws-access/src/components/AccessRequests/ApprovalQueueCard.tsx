import { InfoCard, Progress } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type { AccessRequest } from '@aws-access/plugin-aws-access-common';
import { isAwaitingDecision } from '@aws-access/plugin-aws-access-common';
import { useRequestAction, useRequestList } from '../../hooks';
import { AccessErrorPanel, useFormat } from '../shared';
import { ActionErrorAlert } from './MyRequestsCard';
import { RequesterAccess } from './RequesterAccess';
import { RequestsTable } from './RequestsTable';

/** Waiting for a decision first, then newest first. */
function queueOrder(a: AccessRequest, b: AccessRequest): number {
  const waiting =
    Number(isAwaitingDecision(b.state)) - Number(isAwaitingDecision(a.state));
  return waiting || b.createdAt.localeCompare(a.createdAt);
}

/**
 * *To approve*: the requests the signed-in person may decide (`GET /requests?role=approver`), with each request's
 * context (who, what it grants, justification, ticket, and the requester's current access under *Details*), and
 * approve or deny with a note. Renders nothing when access requests are not configured.
 */
export function ApprovalQueueCard(props: { openRequestId?: string }) {
  const { openRequestId } = props;
  const { t } = useFormat();
  const list = useRequestList('approver');
  const action = useRequestAction(list.retry);

  if (list.notConfigured) {
    return null;
  }
  let body: JSX.Element | null = null;
  if (list.requests) {
    body =
      list.requests.length === 0 ? (
        <Typography variant="body2" data-testid="no-approvals">
          {t('requests.queue.empty')}
        </Typography>
      ) : (
        <RequestsTable
          ariaLabel={t('requests.queue.title')}
          requests={[...list.requests].sort(queueOrder)}
          showRequester
          acting={action.acting}
          openRequestId={openRequestId}
          detailsExtra={request => <RequesterAccess request={request} />}
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
    <InfoCard title={t('requests.queue.title')}>
      <div data-testid="approval-queue">
        {action.error && <ActionErrorAlert error={action.error} />}
        {body}
      </div>
    </InfoCard>
  );
}
