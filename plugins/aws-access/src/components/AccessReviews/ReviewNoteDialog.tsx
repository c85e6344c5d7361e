import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import type { ReactNode } from 'react';
import { useState } from 'react';
import { useFormat } from '../shared';

/**
 * A reviewer's confirmation with an optional note: keep or remove one member, keep a whole group, or delegate
 * (`children` adds the delegate's field). `confirmDisabled` holds the button until the extra field is filled.
 */
export function ReviewNoteDialog(props: {
  title: string;
  description?: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  confirmDisabled?: boolean;
  children?: ReactNode;
  onConfirm(note: string | undefined): void;
  onClose(): void;
}) {
  const { title, description, confirmLabel, danger, confirmDisabled } = props;
  const { t } = useFormat();
  const [note, setNote] = useState('');
  return (
    <Dialog
      open
      onClose={props.onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="aws-access-review-dialog-title"
    >
      <DialogTitle id="aws-access-review-dialog-title">{title}</DialogTitle>
      <DialogContent>
        {description && <DialogContentText>{description}</DialogContentText>}
        {props.children}
        <TextField
          id="aws-access-review-note"
          label={t('reviews.decisions.note')}
          value={note}
          onChange={event => setNote(event.target.value)}
          multiline
          minRows={2}
          fullWidth
          margin="normal"
          variant="outlined"
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>{t('reviews.decisions.cancel')}</Button>
        <Button
          color={danger ? 'secondary' : 'primary'}
          variant="contained"
          disabled={confirmDisabled}
          onClick={() => props.onConfirm(note.trim() || undefined)}
        >
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
