import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { AccessRequest } from '@aws-access/plugin-aws-access-common';
import {
  isRequestFailed,
  isRequestInFlight,
} from '@aws-access/plugin-aws-access-common';
import type { ReactNode } from 'react';
import { Fragment, useState } from 'react';
import type { AccessRequestAction } from '../../api';
import { useNow } from '../../hooks';
import { formatDateTime } from '../../lib/time';
import { useFormat } from '../shared';
import { RequestActions } from './RequestActions';
import { RequestDetails } from './RequestDetails';
import { RequestExpiry } from './RequestExpiry';
import { RequestStateChip } from './RequestStateChip';

function StateCell(props: { request: AccessRequest }) {
  const { request } = props;
  const { t } = useFormat();
  return (
    <>
      <RequestStateChip state={request.state} />
      {request.approvalsRequired > 1 && request.state === 'submitted' && (
        <Typography variant="caption" display="block">
          {t('requests.approvalsProgress', {
            given: String(request.approvals.length),
            required: String(request.approvalsRequired),
          })}
        </Typography>
      )}
      {isRequestFailed(request.state) && request.error && (
        <Typography
          variant="caption"
          color="error"
          display="block"
          data-testid="request-error-cause"
        >
          {t('requests.failedBecause', { error: request.error })}
        </Typography>
      )}
      {isRequestInFlight(request.state) && (
        <Typography variant="caption" color="textSecondary" display="block">
          {t('requests.inFlight')}
        </Typography>
      )}
    </>
  );
}

/**
 * Requests as a table: what (group and what it grants), optionally who asked, the live state, when, the expiry
 * countdown, and the actions the caller may take. *Details* opens the request's context and history;
 * `openRequestId` opens one from the start (the `?request=` deep link).
 */
export function RequestsTable(props: {
  requests: AccessRequest[];
  showRequester?: boolean;
  onAction(
    request: AccessRequest,
    action: AccessRequestAction,
    note?: string,
  ): void;
  acting?: boolean;
  openRequestId?: string;
  /** Extra context under a request's details (e.g. the requester's current access for approvers). */
  detailsExtra?(request: AccessRequest): ReactNode;
  ariaLabel: string;
}) {
  const { requests, showRequester, onAction, acting, detailsExtra, ariaLabel } =
    props;
  const { t } = useFormat();
  const now = useNow(30_000);
  const [open, setOpen] = useState<Set<string>>(
    () => new Set(props.openRequestId ? [props.openRequestId] : []),
  );
  const toggle = (id: string) =>
    setOpen(current => {
      const next = new Set(current);
      if (!next.delete(id)) {
        next.add(id);
      }
      return next;
    });
  const columns = showRequester ? 6 : 5;

  return (
    <Table size="small" aria-label={ariaLabel}>
      <TableHead>
        <TableRow>
          <TableCell>{t('requests.columns.what')}</TableCell>
          {showRequester && (
            <TableCell>{t('requests.columns.requester')}</TableCell>
          )}
          <TableCell>{t('requests.columns.state')}</TableCell>
          <TableCell>{t('requests.columns.created')}</TableCell>
          <TableCell>{t('requests.columns.expiry')}</TableCell>
          <TableCell>{t('requests.columns.actions')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {requests.map(request => (
          <Fragment key={request.id}>
            <TableRow
              data-testid="request-row"
              data-request-id={request.id}
              data-state={request.state}
            >
              <TableCell>
                <Typography variant="body2">{request.group.name}</Typography>
                {request.grants.map(grant => (
                  <Typography
                    key={`${grant.accountId}:${grant.permissionSet.name}`}
                    variant="caption"
                    color="textSecondary"
                    display="block"
                  >
                    {t('requests.grantOn', {
                      permissionSet: grant.permissionSet.name,
                      account: grant.accountName,
                    })}
                  </Typography>
                ))}
              </TableCell>
              {showRequester && (
                <TableCell>
                  {request.requesterName ?? request.requester}
                </TableCell>
              )}
              <TableCell>
                <StateCell request={request} />
              </TableCell>
              <TableCell>{formatDateTime(request.createdAt)}</TableCell>
              <TableCell>
                <RequestExpiry request={request} now={now} />
              </TableCell>
              <TableCell>
                <RequestActions
                  request={request}
                  disabled={acting}
                  onAction={(action, note) => onAction(request, action, note)}
                />
                <Button
                  size="small"
                  aria-expanded={open.has(request.id)}
                  onClick={() => toggle(request.id)}
                >
                  {open.has(request.id)
                    ? t('requests.actions.hideDetails')
                    : t('requests.actions.details')}
                </Button>
              </TableCell>
            </TableRow>
            {open.has(request.id) && (
              <TableRow>
                <TableCell colSpan={columns}>
                  <RequestDetails
                    request={request}
                    extra={detailsExtra?.(request)}
                  />
                </TableCell>
              </TableRow>
            )}
          </Fragment>
        ))}
      </TableBody>
    </Table>
  );
}
