import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import type { GrantState } from '@aws-access/plugin-aws-access-common';
import { isNestedOnly } from '@aws-access/plugin-aws-access-common';
import { useFormat } from './useFormat';

const useStyles = makeStyles(theme => ({
  active: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  pending: {
    backgroundColor: theme.palette.info.main,
    color: theme.palette.info.contrastText,
  },
  stuck: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  revoking: {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  nested: {
    backgroundColor: 'transparent',
    color: theme.palette.text.primary,
    border: `1px dashed ${theme.palette.warning.dark}`,
  },
}));

/** The state of a grant as a coloured chip ("Active", "Pending", "Stuck", "Being removed", "Never provisioned"). */
export function GrantStateChip(props: { state: GrantState }) {
  const { state } = props;
  const classes = useStyles();
  const { stateLabel } = useFormat();
  const className = isNestedOnly(state) ? classes.nested : classes[state];
  return (
    <Chip
      size="small"
      label={stateLabel(state)}
      className={className}
      data-testid="grant-state-chip"
      data-state={state}
    />
  );
}
