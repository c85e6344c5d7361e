import {
  Content,
  EmptyState,
  Header,
  Page,
  Progress,
} from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import Grid from '@material-ui/core/Grid';
import { useSearchParams } from 'react-router-dom';
import { awsAccessReviewManagePermission } from '@aws-access/plugin-aws-access-common';
import { useReviewCampaigns } from '../../hooks';
import { MyReviews, ReviewCampaignsCard } from '../AccessReviews';
import { CardBody, useFormat } from '../shared';

/**
 * The body of the reviews page: the platform team's campaigns (with `aws-access.review.manage`), then the
 * signed-in reviewer's open items, by campaign and group. Hidden behind a note when reviews are not configured.
 * The `?campaign=<id>` link, which notifications use, focuses that campaign in both.
 */
export const AwsAccessReviewsContent = () => {
  const { t } = useFormat();
  const [params] = useSearchParams();
  const focus = params.get('campaign') ?? undefined;
  const mine = useReviewCampaigns('reviewer');
  const manage = usePermission({ permission: awsAccessReviewManagePermission });

  if (mine.notConfigured) {
    return (
      <div data-testid="reviews-not-configured">
        <EmptyState missing="info" title={t('reviews.page.notConfigured')} />
      </div>
    );
  }
  if (manage.loading) {
    return <Progress />;
  }
  return (
    <Grid container spacing={3} direction="column" wrap="nowrap">
      {manage.allowed && (
        <Grid item>
          <ReviewCampaignsCard focus={focus} />
        </Grid>
      )}
      <Grid item>
        <CardBody
          data={mine.campaigns}
          loading={mine.loading}
          error={mine.error}
          onRetry={mine.retry}
        >
          {campaigns => <MyReviews campaigns={campaigns} focus={focus} />}
        </CardBody>
      </Grid>
    </Grid>
  );
};

/** The reviews page with the Backstage page frame, for the legacy frontend system. */
export const AwsAccessReviewsPage = () => {
  const { t } = useFormat();
  return (
    <Page themeId="tool">
      <Header
        title={t('reviews.page.title')}
        subtitle={t('reviews.page.subtitle')}
      />
      <Content>
        <AwsAccessReviewsContent />
      </Content>
    </Page>
  );
};

/** The reviews page inside the new frontend system's page layout. */
export const AwsAccessReviewsPageBody = () => (
  <Content>
    <AwsAccessReviewsContent />
  </Content>
);
