import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import type { RequestState } from '@aws-access/plugin-aws-access-common';
import {
  isAwaitingDecision,
  isFinalRequestState,
  isRequestActive,
  isRequestFailed,
  isRequestInFlight,
} from '@aws-access/plugin-aws-access-common';
import { useFormat } from '../shared';

const useStyles = makeStyles(theme => ({
  active: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  inFlight: {
    backgroundColor: theme.palette.info.main,
    color: theme.palette.info.contrastText,
  },
  waiting: {
    backgroundColor: 'transparent',
    border: `1px solid ${theme.palette.info.main}`,
  },
  failed: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  final: {},
}));

/** The state of an access request as a chip ("Waiting for approval", "Granting", "Active", …). */
export function RequestStateChip(props: { state: RequestState }) {
  const { state } = props;
  const classes = useStyles();
  const { t } = useFormat();
  let className = classes.final;
  if (isRequestActive(state)) {
    className = classes.active;
  } else if (isRequestFailed(state)) {
    className = classes.failed;
  } else if (isRequestInFlight(state)) {
    className = classes.inFlight;
  } else if (isAwaitingDecision(state)) {
    className = classes.waiting;
  }
  return (
    <Chip
      size="small"
      label={t(`requestStates.${state}`)}
      className={className}
      variant={isFinalRequestState(state) ? 'outlined' : 'default'}
      data-testid="request-state-chip"
      data-state={state}
    />
  );
}
