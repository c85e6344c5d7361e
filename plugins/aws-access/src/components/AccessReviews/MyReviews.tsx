import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { ReviewCampaign } from '@aws-access/plugin-aws-access-common';
import { useReviewAction, useReviewItems } from '../../hooks';
import { formatDateTime } from '../../lib/time';
import { ActionErrorAlert } from '../AccessRequests/ActionErrorAlert';
import { CardBody, useFormat } from '../shared';
import { ReviewGroupCard } from './ReviewGroupCard';

/**
 * One open campaign's items for the signed-in reviewer, one card per group, read in one call; a decision,
 * bulk keep or delegation reloads it, and a refusal shows in the backend's words.
 */
function CampaignReview(props: {
  campaign: ReviewCampaign;
  focused?: boolean;
}) {
  const { campaign, focused } = props;
  const { t } = useFormat();
  const items = useReviewItems(campaign.id, 'me');
  const action = useReviewAction(campaign.id, items.retry);
  // The items response carries the campaign again, with the progress after the last decision.
  const shown = items.page?.campaign ?? campaign;
  const onAction = (next: Parameters<typeof action.run>[0]) =>
    action.run(next).catch(() => undefined);
  return (
    <Box
      data-testid="review-campaign"
      data-campaign-id={campaign.id}
      data-focused={focused ? 'true' : undefined}
      mb={3}
    >
      <Typography variant="h6" gutterBottom>
        {t('reviews.mine.campaign', {
          name: shown.name,
          due: formatDateTime(shown.dueAt),
          decided: String(shown.myProgress.decided),
          total: String(shown.myProgress.total),
        })}
      </Typography>
      {action.error && <ActionErrorAlert error={action.error} />}
      <CardBody
        data={items.page}
        loading={items.loading}
        error={items.error}
        onRetry={items.retry}
      >
        {page => (
          <Grid container spacing={3} direction="column" wrap="nowrap">
            {page.groups.map(group => (
              <Grid item key={group.group.entityRef}>
                <ReviewGroupCard
                  campaign={page.campaign}
                  group={group}
                  acting={action.running}
                  onAction={onAction}
                />
              </Grid>
            ))}
          </Grid>
        )}
      </CardBody>
    </Box>
  );
}

/**
 * The signed-in person's open review items: every open campaign with items for them, grouped by group. The
 * campaign a link names (`?campaign=<id>`, as notifications link) comes first, at the top of their items; a link
 * to a campaign with nothing open for them says so.
 */
export function MyReviews(props: {
  campaigns: ReviewCampaign[];
  focus?: string;
}) {
  const { focus } = props;
  const { t } = useFormat();
  const open = props.campaigns.filter(
    campaign => campaign.state === 'open' && campaign.myProgress.total > 0,
  );
  const focused = open.find(campaign => campaign.id === focus);
  const missing = focus && !focused && (
    <Alert severity="info" data-testid="review-focus-missing">
      {t('reviews.mine.focusMissing')}
    </Alert>
  );
  if (open.length === 0) {
    return (
      <>
        {missing}
        <Typography variant="body1" data-testid="no-reviews">
          {t('reviews.mine.empty')}
        </Typography>
      </>
    );
  }
  const ordered = focused
    ? [focused, ...open.filter(campaign => campaign !== focused)]
    : open;
  return (
    <div data-testid="my-reviews">
      {missing}
      {ordered.map(campaign => (
        <CampaignReview
          key={campaign.id}
          campaign={campaign}
          focused={campaign === focused}
        />
      ))}
    </div>
  );
}
