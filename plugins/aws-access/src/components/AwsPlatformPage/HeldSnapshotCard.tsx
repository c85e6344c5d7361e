import { InfoCard } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { HeldSnapshot } from '@aws-access/plugin-aws-access-common';
import { formatDateTime } from '../../lib/time';
import { useFormat } from '../shared';

/**
 * A snapshot the mass-delete brake held back: why, the counts before and after, and "Approve" for those allowed.
 */
export function HeldSnapshotCard(props: {
  held: HeldSnapshot;
  canApprove: boolean;
  onApprove: () => void;
  approving: boolean;
}) {
  const { held, canApprove, onApprove, approving } = props;
  const { t } = useFormat();
  const keys = [
    ...new Set([
      ...Object.keys(held.previousCounts),
      ...Object.keys(held.counts),
    ]),
  ].sort();

  return (
    <InfoCard title={t('platform.heldTitle')}>
      <div data-testid="held-snapshot">
        <Alert severity="warning">
          {t('platform.heldDescription', { time: formatDateTime(held.heldAt) })}
        </Alert>
        <List dense>
          {held.reasons.map((reason, index) => (
            <ListItem key={index} data-testid="held-reason">
              <ListItemText primary={reason} />
            </ListItem>
          ))}
        </List>
        {keys.map(key => (
          <Typography key={key} variant="body2">
            {t('platform.heldCounts', {
              what: key,
              previous: String(held.previousCounts[key] ?? 0),
              next: String(held.counts[key] ?? 0),
            })}
          </Typography>
        ))}
        {canApprove && (
          <Button
            variant="contained"
            color="primary"
            onClick={onApprove}
            disabled={approving}
            data-testid="approve-held-snapshot"
          >
            {t('platform.approve')}
          </Button>
        )}
      </div>
    </InfoCard>
  );
}
