import {
  Content,
  EmptyState,
  Header,
  Page,
  Progress,
} from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import { useSearchParams } from 'react-router-dom';
import { useRequestables } from '../../hooks';
import { ApprovalQueueCard, MyRequestsCard } from '../AccessRequests';
import { useFormat } from '../shared';

/**
 * The body of the access requests page: *My requests* (with *Request access*) and *To approve*. The
 * `?request=<id>` deep link, which notifications use, opens that request's details in whichever list holds it.
 */
export const AwsAccessRequestsContent = () => {
  const { t } = useFormat();
  const [params] = useSearchParams();
  const openRequestId = params.get('request') ?? undefined;
  const { notConfigured, loading } = useRequestables();

  if (notConfigured) {
    return (
      <div data-testid="requests-not-configured">
        <EmptyState missing="info" title={t('requests.notConfigured')} />
      </div>
    );
  }
  if (loading) {
    return <Progress />;
  }
  return (
    <Grid container spacing={3} direction="column" wrap="nowrap">
      <Grid item>
        <MyRequestsCard openRequestId={openRequestId} />
      </Grid>
      <Grid item>
        <ApprovalQueueCard openRequestId={openRequestId} />
      </Grid>
    </Grid>
  );
};

/** The access requests page with the Backstage page frame, for the legacy frontend system. */
export const AwsAccessRequestsPage = () => {
  const { t } = useFormat();
  return (
    <Page themeId="tool">
      <Header
        title={t('requests.page.title')}
        subtitle={t('requests.page.subtitle')}
      />
      <Content>
        <AwsAccessRequestsContent />
      </Content>
    </Page>
  );
};

/** The access requests page inside the new frontend system's page layout. */
export const AwsAccessRequestsPageBody = () => (
  <Content>
    <AwsAccessRequestsContent />
  </Content>
);
