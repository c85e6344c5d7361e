import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormLabel from '@material-ui/core/FormLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import type {
  CreateReviewCampaign,
  ReviewClosingPolicy,
} from '@aws-access/plugin-aws-access-common';
import { useState } from 'react';
import { describeError } from '../../lib/errors';
import { endOfLocalDay, parseEntityRefs } from '../../lib/reviews';
import { ActionErrorAlert } from '../AccessRequests/ActionErrorAlert';
import { useFormat } from '../shared';

/** The request body from the form; `groups` only when the scope is a list. */
function campaignBody(form: {
  name: string;
  scope: 'all' | 'groups';
  groups: string;
  due: string;
  closing: ReviewClosingPolicy | '';
}): CreateReviewCampaign {
  return {
    name: form.name.trim(),
    dueAt: endOfLocalDay(form.due),
    ...(form.scope === 'groups'
      ? { groups: parseEntityRefs(form.groups, 'group') }
      : {}),
    ...(form.closing ? { closingPolicy: form.closing } : {}),
  };
}

/**
 * *Start a campaign* (platform team): name, scope (every AWS group or a list), due date and what happens to
 * undecided items. A 400 that names a field (`error.field`) shows under that field.
 */
export function CreateCampaignDialog(props: {
  creating: boolean;
  error?: Error;
  onCreate(campaign: CreateReviewCampaign): void;
  onClose(): void;
}) {
  const { creating, error, onCreate, onClose } = props;
  const { t } = useFormat();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<'all' | 'groups'>('groups');
  const [groups, setGroups] = useState('');
  const [due, setDue] = useState('');
  const [closing, setClosing] = useState<ReviewClosingPolicy | ''>('');
  const described = error ? describeError(error) : undefined;
  const fieldError = (field: string) =>
    described?.field === field ? described.message : undefined;
  const complete =
    name.trim().length > 0 &&
    due.length > 0 &&
    (scope === 'all' || parseEntityRefs(groups, 'group').length > 0);
  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="aws-access-campaign-title"
    >
      <DialogTitle id="aws-access-campaign-title">
        {t('reviews.campaigns.createTitle')}
      </DialogTitle>
      <DialogContent>
        {described && !described.field && error && (
          <ActionErrorAlert error={error} />
        )}
        <TextField
          id="aws-access-campaign-name"
          label={t('reviews.campaigns.name')}
          value={name}
          onChange={event => setName(event.target.value)}
          error={!!fieldError('name')}
          helperText={fieldError('name')}
          required
          fullWidth
          margin="normal"
        />
        <FormLabel component="legend">{t('reviews.campaigns.scope')}</FormLabel>
        <RadioGroup
          aria-label={t('reviews.campaigns.scope')}
          value={scope}
          onChange={event => setScope(event.target.value as 'all' | 'groups')}
        >
          <FormControlLabel
            value="all"
            control={<Radio />}
            label={t('reviews.campaigns.scopeAll')}
          />
          <FormControlLabel
            value="groups"
            control={<Radio />}
            label={t('reviews.campaigns.scopeGroups')}
          />
        </RadioGroup>
        {scope === 'groups' && (
          <TextField
            id="aws-access-campaign-groups"
            label={t('reviews.campaigns.groups')}
            value={groups}
            onChange={event => setGroups(event.target.value)}
            error={!!fieldError('groups')}
            helperText={
              fieldError('groups') ?? t('reviews.campaigns.groupsHelp')
            }
            multiline
            fullWidth
            margin="normal"
          />
        )}
        <TextField
          id="aws-access-campaign-due"
          type="date"
          label={t('reviews.campaigns.dueDate')}
          value={due}
          onChange={event => setDue(event.target.value)}
          error={!!fieldError('dueAt')}
          helperText={fieldError('dueAt')}
          InputLabelProps={{ shrink: true }}
          required
          margin="normal"
        />
        <TextField
          id="aws-access-campaign-closing"
          select
          SelectProps={{ native: true }}
          label={t('reviews.campaigns.closingPolicy')}
          value={closing}
          onChange={event =>
            setClosing(event.target.value as ReviewClosingPolicy | '')
          }
          error={!!fieldError('closingPolicy')}
          helperText={fieldError('closingPolicy')}
          fullWidth
          margin="normal"
        >
          <option value="">{t('reviews.campaigns.closingDefault')}</option>
          <option value="keep">{t('reviews.campaigns.closingKeep')}</option>
          <option value="remove">{t('reviews.campaigns.closingRemove')}</option>
        </TextField>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('reviews.decisions.cancel')}</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={!complete || creating}
          onClick={() =>
            onCreate(campaignBody({ name, scope, groups, due, closing }))
          }
        >
          {t('reviews.campaigns.create')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
