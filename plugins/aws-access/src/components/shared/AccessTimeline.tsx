import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { UserTimeline } from '@aws-access/plugin-aws-access-common';
import { formatDateTime, secondsBetween } from '../../lib/time';
import { useFormat } from './useFormat';

const useStyles = makeStyles(theme => ({
  source: {
    marginRight: theme.spacing(1),
    minWidth: theme.spacing(8),
  },
  offset: {
    marginLeft: theme.spacing(1),
    color: theme.palette.text.secondary,
  },
}));

/**
 * "What happened": a person's joiner/mover/leaver events in time order (Entra change, SCIM provisioning, seen in
 * AWS), each with its time and its offset from the first event, then how long changes took to reach AWS.
 */
export function AccessTimeline(props: {
  timeline: UserTimeline;
  limit?: number;
}) {
  const { timeline, limit } = props;
  const classes = useStyles();
  const { t, duration } = useFormat();
  const events = [...timeline.events].sort((a, b) => a.at.localeCompare(b.at));
  const shown = limit ? events.slice(-limit) : events;
  const first = events[0]?.at;

  if (events.length === 0) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        data-testid="timeline-empty"
      >
        {t('timeline.empty')}
      </Typography>
    );
  }

  return (
    <>
      <List dense data-testid="timeline">
        {shown.map((event, index) => {
          const offset = first ? secondsBetween(first, event.at) : 0;
          return (
            <ListItem
              key={`${event.at}-${index}`}
              data-testid="timeline-event"
              data-source={event.source}
            >
              <Chip
                size="small"
                variant="outlined"
                className={classes.source}
                label={t(`timeline.source.${event.source}`)}
              />
              <ListItemText
                primary={event.message}
                secondary={
                  <>
                    {formatDateTime(event.at)}
                    {offset > 0 && (
                      <span className={classes.offset}>
                        {t('timeline.offset', { offset: duration(offset) })}
                      </span>
                    )}
                  </>
                }
              />
            </ListItem>
          );
        })}
      </List>
      {timeline.provisioningDelays.map((delay, index) => (
        <Typography
          key={index}
          variant="body2"
          color="textSecondary"
          data-testid="timeline-delay"
        >
          {t('timeline.delay', {
            change: delay.change,
            duration: duration(delay.seconds),
          })}
        </Typography>
      ))}
    </>
  );
}
