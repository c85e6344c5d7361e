import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import type { AccessRequest } from '@aws-access/plugin-aws-access-common';
import { useState } from 'react';
import type { AccessRequestAction } from '../../api';
import { useFormat } from '../shared';

/** The order the buttons appear in; only those in `request.actions` are shown. */
const ACTION_ORDER: AccessRequestAction[] = [
  'approve',
  'deny',
  'retry',
  'revoke',
  'cancel',
];

const NEEDS_NOTE: ReadonlySet<AccessRequestAction> = new Set([
  'approve',
  'deny',
]);

/** Approve or deny with an optional note. */
function DecisionDialog(props: {
  request: AccessRequest;
  action: 'approve' | 'deny';
  onConfirm(note: string): void;
  onClose(): void;
}) {
  const { request, action, onConfirm, onClose } = props;
  const { t } = useFormat();
  const [note, setNote] = useState('');
  const names = {
    requester: request.requesterName ?? request.requester,
    group: request.group.name,
  };
  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="xs"
      aria-labelledby="aws-access-decision-title"
    >
      <DialogTitle id="aws-access-decision-title">
        {action === 'approve'
          ? t('requests.decision.approveTitle', names)
          : t('requests.decision.denyTitle', names)}
      </DialogTitle>
      <DialogContent>
        <TextField
          id="aws-access-decision-note"
          label={t('requests.decision.note')}
          value={note}
          onChange={event => setNote(event.target.value)}
          multiline
          minRows={2}
          fullWidth
          variant="outlined"
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('requests.dialog.cancel')}</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={() => onConfirm(note.trim())}
        >
          {t(`requests.actions.${action}`)}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/**
 * The buttons for what the caller may do with a request now (`request.actions`, decided by the backend); approve
 * and deny ask for an optional note first.
 */
export function RequestActions(props: {
  request: AccessRequest;
  onAction(action: AccessRequestAction, note?: string): void;
  disabled?: boolean;
}) {
  const { request, onAction, disabled } = props;
  const { t } = useFormat();
  const [deciding, setDeciding] = useState<'approve' | 'deny'>();
  const allowed = ACTION_ORDER.filter(action => request.actions[action]);
  if (allowed.length === 0) {
    return null;
  }
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
      {allowed.map(action => (
        <Button
          key={action}
          size="small"
          variant={action === 'approve' ? 'contained' : 'outlined'}
          color={
            action === 'deny' || action === 'revoke' ? 'secondary' : 'primary'
          }
          disabled={disabled}
          aria-label={t('requests.actions.actionAria', {
            action: t(`requests.actions.${action}`),
            group: request.group.name,
          })}
          onClick={() =>
            NEEDS_NOTE.has(action)
              ? setDeciding(action as 'approve' | 'deny')
              : onAction(action)
          }
        >
          {t(`requests.actions.${action}`)}
        </Button>
      ))}
      {deciding && (
        <DecisionDialog
          request={request}
          action={deciding}
          onClose={() => setDeciding(undefined)}
          onConfirm={note => {
            setDeciding(undefined);
            onAction(deciding, note || undefined);
          }}
        />
      )}
    </Box>
  );
}
