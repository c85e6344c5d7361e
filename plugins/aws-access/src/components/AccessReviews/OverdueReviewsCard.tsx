import { InfoCard } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { useOverdueReviewItems } from '../../hooks';
import { describeError } from '../../lib/errors';
import { formatDateTime } from '../../lib/time';
import { CardBody, LabelledTable, useFormat } from '../shared';
import { ReviewStateChip } from './ReviewStateChip';

/**
 * Review items nobody decided by their campaign's due date (`GET /reviews/overdue`), for the platform board.
 * Hidden when reviews are not configured or the viewer may not manage them.
 */
export function OverdueReviewsCard() {
  const { t } = useFormat();
  const overdue = useOverdueReviewItems();
  if (
    overdue.notConfigured ||
    (overdue.error && describeError(overdue.error).kind === 'forbidden')
  ) {
    return null;
  }
  return (
    <InfoCard title={t('reviews.overdue.title')}>
      <div data-testid="overdue-reviews">
        <CardBody
          data={overdue.items}
          loading={overdue.loading}
          error={overdue.error}
          onRetry={overdue.retry}
        >
          {items =>
            items.length === 0 ? (
              <Typography variant="body2" data-testid="no-overdue-reviews">
                {t('reviews.overdue.empty')}
              </Typography>
            ) : (
              <LabelledTable
                label={t('reviews.overdue.title')}
                columns={[
                  t('reviews.overdue.campaign'),
                  t('reviews.overdue.group'),
                  t('reviews.overdue.member'),
                  t('reviews.overdue.reviewers'),
                  t('reviews.overdue.state'),
                ]}
                rows={items}
                rowKey={item => `${item.campaign.id}/${item.itemId}`}
                rowData={item => ({
                  'data-testid': 'overdue-review-item',
                  'data-item-id': item.itemId,
                  'data-member': item.member.entityRef,
                })}
                cells={item => [
                  t('reviews.overdue.campaignDue', {
                    name: item.campaign.name,
                    due: formatDateTime(item.campaign.dueAt),
                  }),
                  item.group.name,
                  item.member.displayName,
                  item.reviewerSource === 'platform'
                    ? t('reviews.campaigns.platformReviewer')
                    : item.reviewers.join(', '),
                  <ReviewStateChip state={item.state} />,
                ]}
              />
            )
          }
        </CardBody>
      </div>
    </InfoCard>
  );
}
