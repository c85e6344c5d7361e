import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type {
  AccessRequest,
  RequestHistoryEntry,
} from '@aws-access/plugin-aws-access-common';
import type { ReactNode } from 'react';
import { useAccessRequest } from '../../hooks';
import { formatDateTime, parseIsoDuration } from '../../lib/time';
import { CardBody, useFormat } from '../shared';

function Field(props: { label: string; children: ReactNode }) {
  return (
    <Box mb={1}>
      <Typography variant="caption" color="textSecondary" display="block">
        {props.label}
      </Typography>
      <Typography variant="body2" component="div">
        {props.children}
      </Typography>
    </Box>
  );
}

function History(props: { history: RequestHistoryEntry[] }) {
  const { t } = useFormat();
  return (
    <ol
      aria-label={t('requests.details.history')}
      data-testid="request-history"
    >
      {props.history.map((entry, index) => (
        <li key={index} data-to={entry.to}>
          <Typography variant="body2" component="span">
            {t('requests.details.historyEntry', {
              time: formatDateTime(entry.at),
              by:
                entry.by === 'system'
                  ? t('requests.details.system')
                  : entry.byName ?? entry.by,
              to: t(`requestStates.${entry.to}`),
            })}
            {entry.note ? ` — ${entry.note}` : ''}
          </Typography>
        </li>
      ))}
    </ol>
  );
}

/** Who asked, what for (accounts × permission sets), why, the ticket, for how long, and who approved it. */
function RequestFacts(props: { request: AccessRequest }) {
  const { request } = props;
  const { t, exactDuration } = useFormat();
  return (
    <>
      <Field label={t('requests.details.requester')}>
        {request.requesterName ?? request.requester}
      </Field>
      <Field label={t('requests.details.grants')}>
        {request.grants.map(grant => (
          <span
            key={`${grant.accountId}:${grant.permissionSet.name}`}
            style={{ display: 'block' }}
          >
            {t('requests.grantOn', {
              permissionSet: grant.permissionSet.name,
              account: grant.accountName,
            })}{' '}
            ({grant.accountId})
          </span>
        ))}
      </Field>
      {request.justification && (
        <Field label={t('requests.details.justification')}>
          {request.justification}
        </Field>
      )}
      {request.ticket && (
        <Field label={t('requests.details.ticket')}>{request.ticket}</Field>
      )}
      <Field label={t('requests.details.duration')}>
        {request.duration
          ? exactDuration(parseIsoDuration(request.duration) ?? 0)
          : t('requests.standing')}
      </Field>
      <Field label={t('requests.details.approvals')}>
        {request.approvals.length === 0
          ? t('requests.details.noApprovals')
          : request.approvals.map(approval => (
              <span
                key={`${approval.by}:${approval.at}`}
                style={{ display: 'block' }}
              >
                {approval.byName ?? approval.by}, {formatDateTime(approval.at)}
                {approval.note ? ` — ${approval.note}` : ''}
              </span>
            ))}
      </Field>
    </>
  );
}

/**
 * What a request asks for and what happened to it: who, what it grants (accounts × permission sets),
 * justification, ticket, duration, approvals, the error of a failed write, and the history (read afresh with
 * `GET /requests/:id` whenever the request's state changes). `extra` adds context, such as the requester's access.
 */
export function RequestDetails(props: {
  request: AccessRequest;
  extra?: ReactNode;
}) {
  const { request, extra } = props;
  const { t } = useFormat();
  const full = useAccessRequest(request.id, request.state);

  return (
    <Grid
      container
      spacing={2}
      data-testid="request-details"
      data-request-id={request.id}
    >
      <Grid item xs={12} md={6}>
        <RequestFacts request={request} />
      </Grid>
      <Grid item xs={12} md={6}>
        <Typography variant="subtitle2">
          {t('requests.details.history')}
        </Typography>
        <CardBody
          data={full.request?.history}
          loading={full.loading}
          error={full.error}
          onRetry={full.retry}
        >
          {history => <History history={history} />}
        </CardBody>
      </Grid>
      {extra && (
        <Grid item xs={12}>
          {extra}
        </Grid>
      )}
    </Grid>
  );
}
