import TextField from '@material-ui/core/TextField';
import type { RequestPolicySummary } from '@aws-access/plugin-aws-access-common';
import type { RequestForm } from '../../lib/requests';
import { durationChoices } from '../../lib/requests';
import { parseIsoDuration } from '../../lib/time';
import { useFormat } from '../shared';

/** Per field, the message to show under it (a client-side check or the backend's 400). */
export type FieldErrors = Partial<Record<keyof RequestForm, string>>;

type FieldProps = {
  policy: RequestPolicySummary;
  form: RequestForm;
  error?: string;
  onChange(form: RequestForm): void;
};

/** The durations the policy allows (standing first when it allows that), with its ceiling as the hint. */
function DurationField(props: FieldProps) {
  const { policy, form, error, onChange } = props;
  const { t, exactDuration } = useFormat();
  const label = (value: string) =>
    value
      ? exactDuration(parseIsoDuration(value) ?? 0)
      : t('requests.dialog.standing');
  const ceiling = policy.maxDuration
    ? parseIsoDuration(policy.maxDuration)
    : undefined;
  return (
    <TextField
      id="aws-access-request-duration"
      select
      SelectProps={{ native: true }}
      label={t('requests.dialog.duration')}
      value={form.duration}
      onChange={event => onChange({ ...form, duration: event.target.value })}
      helperText={
        error ??
        (ceiling !== undefined
          ? t('requests.dialog.durationCeiling', {
              duration: exactDuration(ceiling),
            })
          : t('requests.dialog.durationNoCeiling'))
      }
      error={!!error}
      fullWidth
      margin="normal"
      variant="outlined"
      size="small"
    >
      {durationChoices(policy).map(value => (
        <option key={value || 'standing'} value={value}>
          {label(value)}
        </option>
      ))}
    </TextField>
  );
}

function JustificationField(props: FieldProps) {
  const { policy, form, error, onChange } = props;
  const { t } = useFormat();
  const required = policy.justification === 'required';
  return (
    <TextField
      id="aws-access-request-justification"
      label={t('requests.dialog.justification')}
      value={form.justification}
      onChange={event =>
        onChange({ ...form, justification: event.target.value })
      }
      required={required}
      helperText={
        error ??
        (required
          ? t('requests.dialog.justificationRequired')
          : t('requests.dialog.justificationOptional'))
      }
      error={!!error}
      multiline
      minRows={2}
      fullWidth
      margin="normal"
      variant="outlined"
    />
  );
}

function TicketField(props: FieldProps) {
  const { policy, form, error, onChange } = props;
  const { t } = useFormat();
  return (
    <TextField
      id="aws-access-request-ticket"
      label={t('requests.dialog.ticket')}
      value={form.ticket}
      onChange={event => onChange({ ...form, ticket: event.target.value })}
      required={!!policy.ticketPattern}
      helperText={
        error ??
        (policy.ticketPattern
          ? t('requests.dialog.ticketPattern', {
              pattern: policy.ticketPattern,
            })
          : t('requests.dialog.ticketOptional'))
      }
      error={!!error}
      fullWidth
      margin="normal"
      variant="outlined"
      size="small"
    />
  );
}

/** Duration (with the policy's ceiling), justification and ticket (with the pattern it must match). */
export function RequestFormFields(props: {
  policy: RequestPolicySummary;
  form: RequestForm;
  errors: FieldErrors;
  onChange(form: RequestForm): void;
}) {
  const { errors, ...field } = props;
  return (
    <>
      <DurationField {...field} error={errors.duration} />
      <JustificationField {...field} error={errors.justification} />
      <TicketField {...field} error={errors.ticket} />
    </>
  );
}
