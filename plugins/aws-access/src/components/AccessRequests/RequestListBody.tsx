import Typography from '@material-ui/core/Typography';
import type { AccessRequest } from '@aws-access/plugin-aws-access-common';
import type { useRequestAction, useRequestList } from '../../hooks';
import { CardBody } from '../shared';
import { ActionErrorAlert } from './ActionErrorAlert';
import type { RequestsTableProps } from './RequestsTable';
import { RequestsTable } from './RequestsTable';

/**
 * The body of a requests card: the last action's refusal, then the requests (kept while a refresh fails) or the
 * card's empty note, else the list's error with a retry, else progress. The caller's `order` sorts a copy.
 */
export function RequestListBody(
  props: {
    list: ReturnType<typeof useRequestList>;
    action: ReturnType<typeof useRequestAction>;
    empty: { testId: string; text: string };
    order?(a: AccessRequest, b: AccessRequest): number;
  } & Omit<RequestsTableProps, 'requests' | 'acting' | 'onAction'>,
) {
  const { list, action, empty, order, ...table } = props;
  return (
    <>
      {action.error && <ActionErrorAlert error={action.error} />}
      <CardBody
        data={list.requests}
        loading={list.loading}
        error={list.error}
        onRetry={list.retry}
      >
        {requests =>
          requests.length === 0 ? (
            <Typography variant="body2" data-testid={empty.testId}>
              {empty.text}
            </Typography>
          ) : (
            <RequestsTable
              {...table}
              requests={order ? [...requests].sort(order) : requests}
              acting={action.acting}
              onAction={(request, name, note) =>
                action.act(request.id, name, note).catch(() => undefined)
              }
            />
          )
        }
      </CardBody>
    </>
  );
}
