import { InfoCard } from '@backstage/core-components';
import type { AccessRequest } from '@aws-access/plugin-aws-access-common';
import { isAwaitingDecision } from '@aws-access/plugin-aws-access-common';
import { useRequestAction, useRequestList } from '../../hooks';
import { useFormat } from '../shared';
import { RequestListBody } from './RequestListBody';
import { RequesterAccess } from './RequesterAccess';

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
  return (
    <InfoCard title={t('requests.queue.title')}>
      <div data-testid="approval-queue">
        <RequestListBody
          list={list}
          action={action}
          empty={{ testId: 'no-approvals', text: t('requests.queue.empty') }}
          order={queueOrder}
          ariaLabel={t('requests.queue.title')}
          showRequester
          openRequestId={openRequestId}
          detailsExtra={request => <RequesterAccess request={request} />}
        />
      </div>
    </InfoCard>
  );
}
