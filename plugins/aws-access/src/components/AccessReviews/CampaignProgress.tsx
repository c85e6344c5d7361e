import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import type {
  ReviewCampaign,
  ReviewProgress,
} from '@aws-access/plugin-aws-access-common';
import { useReviewCampaign } from '../../hooks';
import { CardBody, LabelledTable, useFormat } from '../shared';

/** `3 of 5 decided (2 kept, 1 being removed, 0 removed)` over a bar. */
export function ProgressBar(props: { name: string; progress: ReviewProgress }) {
  const { name, progress } = props;
  const { t } = useFormat();
  const percent =
    progress.total === 0 ? 100 : (100 * progress.decided) / progress.total;
  return (
    <Box minWidth={200}>
      <LinearProgress
        variant="determinate"
        value={percent}
        aria-label={t('reviews.campaigns.progressAria', {
          name,
          decided: String(progress.decided),
          total: String(progress.total),
        })}
      />
      <Typography variant="caption" data-testid="campaign-progress">
        {t('reviews.campaigns.progressText', {
          decided: String(progress.decided),
          total: String(progress.total),
          kept: String(progress.kept),
          removing: String(progress.removing),
          removed: String(progress.removed),
        })}
      </Typography>
    </Box>
  );
}

/** One campaign's progress per reviewer (`GET /reviews/:id`), read when the platform team opens it. */
export function CampaignReviewers(props: { campaign: ReviewCampaign }) {
  const { t } = useFormat();
  const { campaign, loading, error, retry } = useReviewCampaign(
    props.campaign.id,
  );
  return (
    <CardBody data={campaign} loading={loading} error={error} onRetry={retry}>
      {loaded => (
        <LabelledTable
          label={t('reviews.campaigns.details')}
          columns={[
            t('reviews.campaigns.reviewer'),
            t('reviews.campaigns.progress'),
          ]}
          rows={loaded.reviewers ?? []}
          rowKey={row => row.reviewer}
          rowData={row => ({
            'data-testid': 'campaign-reviewer',
            'data-reviewer': row.reviewer,
          })}
          cells={row => [
            row.reviewer === 'platform'
              ? t('reviews.campaigns.platformReviewer')
              : row.reviewerName ?? row.reviewer,
            <ProgressBar
              name={row.reviewerName ?? row.reviewer}
              progress={row.progress}
            />,
          ]}
        />
      )}
    </CardBody>
  );
}
