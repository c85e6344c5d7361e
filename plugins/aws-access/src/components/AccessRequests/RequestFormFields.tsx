import TextField from '@material-ui/core/TextField';
import type { RequestPolicySummary } from '@aws-access/plugin-aws-access-common';
import type { RequestForm } from '../../lib/requests';
import { durationChoices } from '../../lib/requests';
import { parseIsoDuration } from '../../lib/time';
import { useFormat } from '../shared';

/** Per field, the message to show under it (a client-side check or the backend's 400). */
export type FieldErrors = Partial<Record<keyof RequestForm, string>>;

/** Duration (with the policy's ceiling), justification and ticket (with the pattern it must match). */
export function RequestFormFields(props: {
  policy: RequestPolicySummary;
  form: RequestForm;
  errors: FieldErrors;
  onChange(form: RequestForm): void;
}) {
  const { policy, form, errors, onChange } = props;
  const { t, exactDuration } = useFormat();
  const label = (value: string) =>
    value
      ? exactDuration(parseIsoDuration(value) ?? 0)
      : t('requests.dialog.standing');
  const ceiling = policy.maxDuration
    ? parseIsoDuration(policy.maxDuration)
    : undefined;
  const required = policy.justification === 'required';

  return (
    <>
      <TextField
        id="aws-access-request-duration"
        select
        SelectProps={{ native: true }}
        label={t('requests.dialog.duration')}
        value={form.duration}
        onChange={event => onChange({ ...form, duration: event.target.value })}
        helperText={
          errors.duration ??
          (ceiling !== undefined
            ? t('requests.dialog.durationCeiling', {
                duration: exactDuration(ceiling),
              })
            : t('requests.dialog.durationNoCeiling'))
        }
        error={!!errors.duration}
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
      <TextField
        id="aws-access-request-justification"
        label={t('requests.dialog.justification')}
        value={form.justification}
        onChange={event =>
          onChange({ ...form, justification: event.target.value })
        }
        required={required}
        helperText={
          errors.justification ??
          (required
            ? t('requests.dialog.justificationRequired')
            : t('requests.dialog.justificationOptional'))
        }
        error={!!errors.justification}
        multiline
        minRows={2}
        fullWidth
        margin="normal"
        variant="outlined"
      />
      <TextField
        id="aws-access-request-ticket"
        label={t('requests.dialog.ticket')}
        value={form.ticket}
        onChange={event => onChange({ ...form, ticket: event.target.value })}
        required={!!policy.ticketPattern}
        helperText={
          errors.ticket ??
          (policy.ticketPattern
            ? t('requests.dialog.ticketPattern', {
                pattern: policy.ticketPattern,
              })
            : t('requests.dialog.ticketOptional'))
        }
        error={!!errors.ticket}
        fullWidth
        margin="normal"
        variant="outlined"
        size="small"
      />
    </>
  );
}
