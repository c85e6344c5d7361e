import Box from '@material-ui/core/Box';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import type { Requestable } from '@aws-access/plugin-aws-access-common';
import { useState } from 'react';
import { matchesRequestable, unavailableReason } from '../../lib/requests';
import { formatSessionDuration } from '../../lib/time';
import { useFormat } from '../shared';

/** "DeveloperAdmin on payments-prod" lines under a group's name, as the radio's label (and accessible name). */
function RequestableLabel(props: { requestable: Requestable }) {
  const { requestable } = props;
  const { t } = useFormat();
  const reason = unavailableReason(requestable);
  return (
    <Box py={0.5}>
      <Typography variant="body1" component="span" display="block">
        {requestable.group.name}
        {reason && (
          <Typography variant="caption" color="textSecondary" component="span">
            {' '}
            (
            {reason === 'member'
              ? t('requests.dialog.alreadyMember')
              : t('requests.dialog.alreadyRequested')}
            )
          </Typography>
        )}
      </Typography>
      {requestable.grants.map(grant => (
        <Typography
          key={`${grant.accountId}:${grant.permissionSet.name}`}
          variant="body2"
          color="textSecondary"
          component="span"
          display="block"
        >
          {t('requests.grantOn', {
            permissionSet: grant.permissionSet.name,
            account: grant.accountName,
          })}{' '}
          (
          {t('requests.grantDetail', {
            accountId: grant.accountId,
            session: formatSessionDuration(grant.permissionSet.sessionDuration),
          })}
          )
        </Typography>
      ))}
    </Box>
  );
}

/**
 * A search field over what the requestables give ("poweruser payments-prod") and the matching groups as radio
 * buttons; groups the person already has or has asked for are shown but cannot be chosen.
 */
export function RequestableChooser(props: {
  requestables: Requestable[];
  selected?: Requestable;
  onSelect(requestable: Requestable): void;
}) {
  const { requestables, selected, onSelect } = props;
  const { t } = useFormat();
  const [query, setQuery] = useState('');
  const shown = requestables.filter(r => matchesRequestable(r, query));

  return (
    <>
      <TextField
        id="aws-access-request-search"
        label={t('requests.dialog.search')}
        helperText={t('requests.dialog.searchHelp')}
        value={query}
        onChange={event => setQuery(event.target.value)}
        fullWidth
        variant="outlined"
        size="small"
        type="search"
      />
      <Box mt={1} maxHeight={280} overflow="auto">
        {shown.length === 0 ? (
          <Typography
            variant="body2"
            color="textSecondary"
            data-testid="no-requestables"
          >
            {t('requests.dialog.noOptions')}
          </Typography>
        ) : (
          <RadioGroup
            aria-label={t('requests.dialog.search')}
            value={selected?.group.entityRef ?? ''}
            onChange={event => {
              const chosen = requestables.find(
                r => r.group.entityRef === event.target.value,
              );
              if (chosen) {
                onSelect(chosen);
              }
            }}
          >
            {shown.map(requestable => (
              <FormControlLabel
                key={requestable.group.entityRef}
                value={requestable.group.entityRef}
                control={<Radio color="primary" />}
                disabled={!!unavailableReason(requestable)}
                label={<RequestableLabel requestable={requestable} />}
                data-testid="requestable-option"
              />
            ))}
          </RadioGroup>
        )}
      </Box>
    </>
  );
}
