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
import { useState } from 'react';
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

/** The group asked for and what it grants, one line per account and permission set. */
function WhatCell(props: { request: AccessRequest }) {
  const { request } = props;
  const { t } = useFormat();
  return (
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
  );
}

/** One request's row, then its details on a row of their own while open. */
function RequestRows(props: {
  request: AccessRequest;
  showRequester?: boolean;
  onAction(action: AccessRequestAction, note?: string): void;
  acting?: boolean;
  open: boolean;
  onToggle(): void;
  now: number;
  detailsExtra?: ReactNode;
}) {
  const { request, showRequester, onAction, acting, open, onToggle, now } =
    props;
  const { t } = useFormat();
  return (
    <>
      <TableRow
        data-testid="request-row"
        data-request-id={request.id}
        data-state={request.state}
      >
        <WhatCell request={request} />
        {showRequester && (
          <TableCell>{request.requesterName ?? request.requester}</TableCell>
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
            onAction={onAction}
          />
          <Button size="small" aria-expanded={open} onClick={onToggle}>
            {open
              ? t('requests.actions.hideDetails')
              : t('requests.actions.details')}
          </Button>
        </TableCell>
      </TableRow>
      {open && (
        <TableRow>
          <TableCell colSpan={showRequester ? 6 : 5}>
            <RequestDetails request={request} extra={props.detailsExtra} />
          </TableCell>
        </TableRow>
      )}
    </>
  );
}

/** Which requests show their details; `initial` opens one from the start. */
function useOpenSet(initial: string | undefined) {
  const [open, setOpen] = useState<Set<string>>(
    () => new Set(initial ? [initial] : []),
  );
  const toggle = (id: string) =>
    setOpen(current => {
      const next = new Set(current);
      if (!next.delete(id)) {
        next.add(id);
      }
      return next;
    });
  return { open, toggle };
}

/** What {@link RequestsTable} takes. */
export type RequestsTableProps = {
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
};

/**
 * Requests as a table: what (group and what it grants), optionally who asked, the live state, when, the expiry
 * countdown, and the actions the caller may take. *Details* opens the request's context and history;
 * `openRequestId` opens one from the start (the `?request=` deep link).
 */
export function RequestsTable(props: RequestsTableProps) {
  const { requests, showRequester, onAction, acting, detailsExtra, ariaLabel } =
    props;
  const { t } = useFormat();
  const now = useNow(30_000);
  const { open, toggle } = useOpenSet(props.openRequestId);

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
          <RequestRows
            key={request.id}
            request={request}
            showRequester={showRequester}
            onAction={(action, note) => onAction(request, action, note)}
            acting={acting}
            open={open.has(request.id)}
            onToggle={() => toggle(request.id)}
            now={now}
            detailsExtra={detailsExtra?.(request)}
          />
        ))}
      </TableBody>
    </Table>
  );
}
