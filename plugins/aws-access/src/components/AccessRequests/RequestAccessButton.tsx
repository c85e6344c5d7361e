import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import type { AccessRequest } from '@aws-access/plugin-aws-access-common';
import { useCallback, useState } from 'react';
import { useRequestables } from '../../hooks';
import { describeError } from '../../lib/errors';
import { requestablesForAccount } from '../../lib/requests';
import { useFormat } from '../shared';
import { RequestAccessDialog } from './RequestAccessDialog';

/**
 * The *Request access* button and its dialog. With `account`, only the groups that give something on that account
 * are offered ("Request access to payments-prod"). Renders nothing when access requests are not configured or
 * nothing can be requested here.
 */
export function RequestAccessButton(props: {
  account?: { id: string; name: string };
  onSubmitted?(request: AccessRequest): void;
}) {
  const { account, onSubmitted } = props;
  const { t } = useFormat();
  const { requestables, error, retry } = useRequestables();
  const [open, setOpen] = useState(false);
  const submitted = useCallback(
    (request: AccessRequest) => {
      retry();
      onSubmitted?.(request);
    },
    [retry, onSubmitted],
  );

  if (error) {
    return (
      <Box display="flex" alignItems="center" data-testid="requestables-error">
        <Typography variant="body2" color="error">
          {describeError(error).message}
        </Typography>
        <Button size="small" onClick={retry}>
          {t('common.retry')}
        </Button>
      </Box>
    );
  }
  const offered = account
    ? requestablesForAccount(requestables ?? [], account.id)
    : requestables ?? [];
  if (offered.length === 0) {
    return null;
  }

  return (
    <>
      <Button
        variant="contained"
        color="primary"
        startIcon={<AddIcon />}
        onClick={() => setOpen(true)}
      >
        {account
          ? t('requests.requestHere', { account: account.name })
          : t('requests.requestAccess')}
      </Button>
      {/* Mounted only while open, so each opening starts with an empty form. */}
      {open && (
        <RequestAccessDialog
          open
          onClose={() => setOpen(false)}
          requestables={offered}
          accountName={account?.name}
          onSubmitted={submitted}
        />
      )}
    </>
  );
}
