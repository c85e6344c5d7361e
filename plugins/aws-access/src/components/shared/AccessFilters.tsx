import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import type { GrantState } from '@aws-access/plugin-aws-access-common';
import { grantStates } from '@aws-access/plugin-aws-access-common';
import { useEffect, useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import type { AccessFilterValues } from '../../lib/paging';
import { useFormat } from './useFormat';

type TextFilter = 'q' | 'member' | 'account';
type ChoiceFilter = 'ou' | 'permissionSet';

const useStyles = makeStyles(theme => ({
  bar: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  field: { minWidth: 180 },
}));

/** A text filter, sent once typing pauses (300 ms) rather than per key. */
function TextFilterField(props: {
  name: TextFilter;
  value?: string;
  onChange(name: TextFilter, value: string | undefined): void;
}) {
  const { name, value, onChange } = props;
  const { t } = useFormat();
  const classes = useStyles();
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  useDebounce(
    () => {
      if (text.trim() !== (value ?? ''))
        onChange(name, text.trim() || undefined);
    },
    300,
    [text],
  );
  return (
    <TextField
      className={classes.field}
      size="small"
      variant="outlined"
      label={t(name === 'q' ? 'filters.search' : `filters.${name}`)}
      placeholder={name === 'q' ? t('filters.searchHint') : undefined}
      value={text}
      onChange={event => setText(event.target.value)}
      inputProps={{ 'data-testid': `filter-${name}` }}
    />
  );
}

/** A choice among the values the list holds (its summary's OUs or permission sets). */
function ChoiceFilterField(props: {
  name: ChoiceFilter | 'state';
  value?: string;
  choices: Array<{ value: string; label: string }>;
  onChange(value: string | undefined): void;
}) {
  const { name, value, choices, onChange } = props;
  const { t } = useFormat();
  const classes = useStyles();
  return (
    <TextField
      select
      className={classes.field}
      size="small"
      variant="outlined"
      label={t(`filters.${name}`)}
      value={value ?? ''}
      onChange={event => onChange(event.target.value || undefined)}
      SelectProps={{
        SelectDisplayProps: { 'data-testid': `filter-${name}` } as object,
      }}
    >
      <MenuItem value="">{t('filters.any')}</MenuItem>
      {choices.map(choice => (
        <MenuItem key={choice.value} value={choice.value}>
          {choice.label}
        </MenuItem>
      ))}
    </TextField>
  );
}

/**
 * The filters of an access list: free text (`q`), member and account as text, OU and permission set among the
 * list's own values, and the grant state. Each change calls `onChange` with every filter's new value.
 */
export function AccessFilters(props: {
  value: AccessFilterValues;
  onChange(value: AccessFilterValues): void;
  text: TextFilter[];
  ous?: string[];
  permissionSets?: string[];
}) {
  const { value, onChange, text, ous, permissionSets } = props;
  const classes = useStyles();
  const { stateLabel } = useFormat();
  const asChoices = (values: string[]) =>
    values.map(v => ({ value: v, label: v }));
  return (
    <Box className={classes.bar} data-testid="access-filters">
      {text.map(name => (
        <TextFilterField
          key={name}
          name={name}
          value={value[name]}
          onChange={(field, next) => onChange({ ...value, [field]: next })}
        />
      ))}
      {ous && (
        <ChoiceFilterField
          name="ou"
          value={value.ou}
          choices={asChoices(ous)}
          onChange={ou => onChange({ ...value, ou })}
        />
      )}
      {permissionSets && (
        <ChoiceFilterField
          name="permissionSet"
          value={value.permissionSet}
          choices={asChoices(permissionSets)}
          onChange={permissionSet => onChange({ ...value, permissionSet })}
        />
      )}
      <ChoiceFilterField
        name="state"
        value={value.state?.[0]}
        choices={grantStates.map(state => ({
          value: state,
          label: stateLabel(state),
        }))}
        onChange={state =>
          onChange({
            ...value,
            state: state ? [state as GrantState] : undefined,
          })
        }
      />
    </Box>
  );
}
