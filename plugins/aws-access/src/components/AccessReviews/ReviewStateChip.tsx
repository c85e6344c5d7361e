import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import type { ReviewItemState } from '@aws-access/plugin-aws-access-common';
import { useFormat } from '../shared';

const useStyles = makeStyles(theme => ({
  pending: {
    backgroundColor: 'transparent',
    border: `1px solid ${theme.palette.info.main}`,
  },
  kept: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  removing: {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  removed: {},
}));

/** A review item's state: to decide, kept, being removed (AWS still shows it), removed (AWS shows it gone). */
export function ReviewStateChip(props: { state: ReviewItemState }) {
  const { state } = props;
  const classes = useStyles();
  const { t } = useFormat();
  return (
    <Chip
      size="small"
      label={t(`reviews.states.${state}`)}
      className={classes[state]}
      variant={state === 'removed' ? 'outlined' : 'default'}
      data-testid="review-state-chip"
      data-state={state}
    />
  );
}
