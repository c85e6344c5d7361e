import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type {
  AccessRequest,
  Requestable,
} from '@aws-access/plugin-aws-access-common';
import { isAwaitingDecision } from '@aws-access/plugin-aws-access-common';
import { useState } from 'react';
import { useCreateRequest } from '../../hooks';
import { describeError } from '../../lib/errors';
import type { RequestForm } from '../../lib/requests';
import { checkRequestForm, initialDuration } from '../../lib/requests';
import { useFormat } from '../shared';
import { RequestableChooser } from './RequestableChooser';
import type { FieldErrors } from './RequestFormFields';
import { RequestFormFields } from './RequestFormFields';

const FORM_FIELDS: ReadonlyArray<keyof RequestForm> = [
  'duration',
  'justification',
  'ticket',
];

/** The client-side problems and the backend's 400 (when it names a form field), as messages per field. */
function useFieldErrors(
  requestable: Requestable | undefined,
  form: RequestForm,
  checked: boolean,
  error: Error | undefined,
): { fields: FieldErrors; general?: string } {
  const { t } = useFormat();
  const fields: FieldErrors = {};
  if (requestable && checked) {
    for (const problem of checkRequestForm(requestable.policy, form)) {
      fields[problem.field] =
        problem.field === 'justification'
          ? t('requests.dialog.justificationMissing')
          : t('requests.dialog.ticketMismatch', { pattern: problem.pattern });
    }
  }
  if (!error) {
    return { fields };
  }
  const described = describeError(error);
  const field = FORM_FIELDS.find(name => name === described.field);
  if (field && !fields[field]) {
    fields[field] = described.message;
    return { fields };
  }
  return { fields, general: described.message };
}

function SubmittedAlert(props: { request: AccessRequest }) {
  const { request } = props;
  const { t } = useFormat();
  return (
    <Alert severity="success" data-testid="request-submitted">
      {isAwaitingDecision(request.state)
        ? t('requests.dialog.submitted', { group: request.group.name })
        : t('requests.dialog.submittedAuto', { group: request.group.name })}
    </Alert>
  );
}

/**
 * *Request access*: choose a group by what it gives, a duration up to the policy's ceiling, a justification and a
 * ticket as the policy asks, then submit. Mistakes the policy would refuse are shown under their field before
 * anything is sent; the backend's own 400 is shown under the field it names.
 */
export function RequestAccessDialog(props: {
  open: boolean;
  onClose(): void;
  requestables: Requestable[];
  /** Set on an account's page: the title names it. */
  accountName?: string;
  onSubmitted?(request: AccessRequest): void;
}) {
  const { open, onClose, requestables, accountName, onSubmitted } = props;
  const { t } = useFormat();
  const [selected, setSelected] = useState<Requestable | undefined>();
  const [form, setForm] = useState<RequestForm>({
    duration: '',
    justification: '',
    ticket: '',
  });
  const [checked, setChecked] = useState(false);
  const { create, created, submitting, error } = useCreateRequest(onSubmitted);
  const errors = useFieldErrors(selected, form, checked, error);

  const select = (requestable: Requestable) => {
    setSelected(requestable);
    setForm(current => ({
      ...current,
      duration: initialDuration(requestable.policy),
    }));
  };

  const submit = () => {
    if (!selected) {
      return;
    }
    setChecked(true);
    if (checkRequestForm(selected.policy, form).length > 0) {
      return;
    }
    create({
      group: selected.group.entityRef,
      duration: form.duration || undefined,
      justification: form.justification.trim() || undefined,
      ticket: form.ticket.trim() || undefined,
    }).catch(() => undefined);
  };

  const title = accountName
    ? t('requests.dialog.titleAccount', { account: accountName })
    : t('requests.dialog.title');
  const done = !!created && !submitting;

  return (
    <Dialog
      open={open}
      onClose={onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="aws-access-request-dialog-title"
    >
      <DialogTitle id="aws-access-request-dialog-title">{title}</DialogTitle>
      <DialogContent>
        {done ? (
          <SubmittedAlert request={created} />
        ) : (
          <>
            <RequestableChooser
              requestables={requestables}
              selected={selected}
              onSelect={select}
            />
            {selected && (
              <Box mt={2} data-testid="request-form">
                <Typography variant="body2" color="textSecondary">
                  {selected.policy.autoApprove
                    ? t('requests.dialog.autoApprove')
                    : t('requests.dialog.approvals', {
                        count: selected.policy.approvals,
                      })}
                </Typography>
                <RequestFormFields
                  policy={selected.policy}
                  form={form}
                  errors={errors.fields}
                  onChange={setForm}
                />
              </Box>
            )}
            {errors.general && (
              <Alert severity="error" data-testid="request-error">
                {errors.general}
              </Alert>
            )}
          </>
        )}
      </DialogContent>
      <DialogActions>
        {done ? (
          <Button onClick={onClose} color="primary" variant="contained">
            {t('requests.dialog.close')}
          </Button>
        ) : (
          <>
            <Button onClick={onClose}>{t('requests.dialog.cancel')}</Button>
            <Button
              onClick={submit}
              color="primary"
              variant="contained"
              disabled={!selected || submitting}
            >
              {t('requests.dialog.submit')}
            </Button>
          </>
        )}
      </DialogActions>
    </Dialog>
  );
}
