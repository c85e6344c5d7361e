import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import type { RequestState } from '@aws-access/plugin-aws-access-common';
import { requestStates } from '@aws-access/plugin-aws-access-common';
import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { awsAccessApiRef } from '../../api';
import { useRequestAction, useRequestList } from '../../hooks';
import { downloadText } from '../../lib/download';
import { useFormat } from '../shared';
import { ActionErrorAlert } from './ActionErrorAlert';
import { RequestListBody } from './RequestListBody';

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A day of the export's period. */
function DateField(props: {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
}) {
  const { id, label, value, onChange } = props;
  return (
    <TextField
      id={id}
      type="date"
      label={label}
      value={value}
      onChange={event => onChange(event.target.value)}
      size="small"
      InputLabelProps={{ shrink: true }}
    />
  );
}

/** The period and the two export buttons (`GET /requests/export`), saved as a file in the browser. */
function RequestExport() {
  const { t } = useFormat();
  const api = useApi(awsAccessApiRef);
  const today = new Date();
  const [from, setFrom] = useState(
    isoDate(new Date(today.getTime() - 30 * 86400_000)),
  );
  const [to, setTo] = useState(isoDate(new Date(today.getTime() + 86400_000)));
  const [state, exportAs] = useAsyncFn(
    async (format: 'csv' | 'json') => {
      const text = await api.exportRequests({ from, to, format });
      downloadText(
        `aws-access-requests-${from}-${to}.${format}`,
        text,
        format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json',
      );
    },
    [api, from, to],
  );
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" style={{ gap: 8 }}>
      <DateField
        id="aws-access-requests-export-from"
        label={t('requests.all.from')}
        value={from}
        onChange={setFrom}
      />
      <DateField
        id="aws-access-requests-export-to"
        label={t('requests.all.to')}
        value={to}
        onChange={setTo}
      />
      <Button
        variant="outlined"
        size="small"
        disabled={state.loading}
        onClick={() => exportAs('csv').catch(() => undefined)}
      >
        {t('requests.all.exportCsv')}
      </Button>
      <Button
        variant="outlined"
        size="small"
        disabled={state.loading}
        onClick={() => exportAs('json').catch(() => undefined)}
      >
        {t('requests.all.exportJson')}
      </Button>
      {state.error && <ActionErrorAlert error={state.error} />}
    </Box>
  );
}

/**
 * Every access request for the platform team (`GET /requests?role=all`), filtered by state, with revoke and retry
 * where the backend allows them, and the export of a period for auditors. Renders nothing when access requests
 * are not configured.
 */
export function AllRequestsCard() {
  const { t } = useFormat();
  const [state, setState] = useState<RequestState | ''>('');
  const list = useRequestList('all', { state: state || undefined });
  const action = useRequestAction(list.retry);

  if (list.notConfigured) {
    return null;
  }
  return (
    <InfoCard title={t('requests.all.title')}>
      <div data-testid="all-requests">
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          mb={2}
          style={{ gap: 16 }}
        >
          <TextField
            id="aws-access-requests-state"
            select
            SelectProps={{ native: true }}
            label={t('requests.all.state')}
            value={state}
            onChange={event =>
              setState(event.target.value as RequestState | '')
            }
            size="small"
            variant="outlined"
          >
            <option value="">{t('requests.all.anyState')}</option>
            {requestStates.map(value => (
              <option key={value} value={value}>
                {t(`requestStates.${value}`)}
              </option>
            ))}
          </TextField>
          <RequestExport />
        </Box>
        <RequestListBody
          list={list}
          action={action}
          empty={{ testId: 'no-requests', text: t('requests.all.empty') }}
          ariaLabel={t('requests.all.title')}
          showRequester
        />
      </div>
    </InfoCard>
  );
}
