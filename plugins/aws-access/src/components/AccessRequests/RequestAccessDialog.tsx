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

/** The dialog's state: the chosen group, the form, its problems once submitted, and the created request. */
function useRequestDialog(onSubmitted?: (request: AccessRequest) => void) {
  const [selected, setSelected] = useState<Requestable | undefined>();
  const [form, setForm] = useState<RequestForm>({
    duration: '',
    justification: '',
    ticket: '',
  });
  // Problems show only once the person tried to submit, not while they type.
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

  return {
    selected,
    select,
    form,
    setForm,
    errors,
    submit,
    submitting,
    created: created && !submitting ? created : undefined,
  };
}

/** Choose the group, then the policy's approval rule and the form for it, then a refusal no field explains. */
function RequestStep(props: {
  requestables: Requestable[];
  dialog: ReturnType<typeof useRequestDialog>;
}) {
  const { requestables, dialog } = props;
  const { selected, errors } = dialog;
  const { t } = useFormat();
  return (
    <>
      <RequestableChooser
        requestables={requestables}
        selected={selected}
        onSelect={dialog.select}
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
            form={dialog.form}
            errors={errors.fields}
            onChange={dialog.setForm}
          />
        </Box>
      )}
      {errors.general && (
        <Alert severity="error" data-testid="request-error">
          {errors.general}
        </Alert>
      )}
    </>
  );
}

/** *Close* once submitted; *Cancel* and *Submit* before. */
function RequestDialogActions(props: {
  done: boolean;
  onClose(): void;
  onSubmit(): void;
  canSubmit: boolean;
}) {
  const { done, onClose, onSubmit, canSubmit } = props;
  const { t } = useFormat();
  if (done) {
    return (
      <Button onClick={onClose} color="primary" variant="contained">
        {t('requests.dialog.close')}
      </Button>
    );
  }
  return (
    <>
      <Button onClick={onClose}>{t('requests.dialog.cancel')}</Button>
      <Button
        onClick={onSubmit}
        color="primary"
        variant="contained"
        disabled={!canSubmit}
      >
        {t('requests.dialog.submit')}
      </Button>
    </>
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
  const dialog = useRequestDialog(onSubmitted);
  const title = accountName
    ? t('requests.dialog.titleAccount', { account: accountName })
    : t('requests.dialog.title');

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
        {dialog.created ? (
          <SubmittedAlert request={dialog.created} />
        ) : (
          <RequestStep requestables={requestables} dialog={dialog} />
        )}
      </DialogContent>
      <DialogActions>
        <RequestDialogActions
          done={!!dialog.created}
          onClose={onClose}
          onSubmit={dialog.submit}
          canSubmit={!!dialog.selected && !dialog.submitting}
        />
      </DialogActions>
    </Dialog>
  );
}
