import {
  CodeSnippet,
  Content,
  EmptyState,
  Header,
  InfoCard,
  Link,
  Page,
  Progress,
} from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import {
  awsAccessProvisionSelfPermission,
  isActive,
} from '@aws-access/plugin-aws-access-common';
import { useCallback } from 'react';
import {
  useMyAccess,
  useProvision,
  useStaleReason,
  useTimeline,
} from '../../hooks';
import { hasUnprovisionedGrants } from '../../lib/grants';
import { MyRequestsCard } from '../AccessRequests';
import {
  AccessErrorPanel,
  AccessTimeline,
  GrantsTable,
  ProvisionResultAlert,
  SyncBanner,
  useFormat,
} from '../shared';

/**
 * The body of "My AWS access": sync banner, grants by account with launch buttons and sentences, links to the
 * Entra My Apps tile and the access portal, the `~/.aws/config` block and the "what happened" timeline.
 * Used inside the new frontend system's page layout and by the legacy {@link AwsAccessPage}.
 */
export const MyAwsAccessContent = () => {
  const { t } = useFormat();
  const { access, loading, error, retry } = useMyAccess();
  const timeline = useTimeline('me');
  const staleReason = useStaleReason(access?.sync.stale ?? false);
  const { allowed: canProvision } = usePermission({
    permission: awsAccessProvisionSelfPermission,
  });
  const retryTimeline = timeline.retry;
  const reload = useCallback(() => {
    retry();
    retryTimeline();
  }, [retry, retryTimeline]);
  const {
    provision,
    result,
    provisioning,
    error: provisionError,
  } = useProvision(reload);

  if (!access) {
    if (error) {
      return <AccessErrorPanel error={error} onRetry={retry} subject="me" />;
    }
    return loading ? <Progress /> : null;
  }

  const provisioningJob = access.sync.provisioning;
  const context = {
    perspective: 'self' as const,
    nextCycleAt: provisioningJob.nextCycleAt,
    quarantineReason:
      provisioningJob.status.toLowerCase() === 'quarantine'
        ? provisioningJob.quarantineReason ?? provisioningJob.status
        : undefined,
  };
  // Without an identity source there is nothing to provision: Identity Center already is what is intended.
  const showProvision =
    canProvision &&
    access.sync.identitySource !== 'none' &&
    hasUnprovisionedGrants(access.grants);
  // The backend always writes the [sso-session] block; profiles exist only for active grants.
  const hasActiveGrants = access.grants.some(grant => isActive(grant.state));

  return (
    <Grid container spacing={3} direction="column" wrap="nowrap">
      {loading && <LinearProgress />}
      <Grid item>
        <SyncBanner sync={access.sync} lastRunError={staleReason} />
      </Grid>
      {(showProvision || result || provisionError) && (
        <Grid item>
          {showProvision && (
            <Box display="flex" alignItems="center" mb={1}>
              <Button
                variant="contained"
                color="primary"
                onClick={() => provision()}
                disabled={provisioning}
                data-testid="request-provisioning"
              >
                {t('myAccess.requestProvisioning')}
              </Button>
              <Box ml={2}>
                <Typography variant="body2" color="textSecondary">
                  {t('myAccess.requestProvisioningHint')}
                </Typography>
              </Box>
            </Box>
          )}
          {result && <ProvisionResultAlert result={result} />}
          {provisionError && (
            <AccessErrorPanel error={provisionError} variant="card" />
          )}
        </Grid>
      )}
      <Grid item>
        <MyRequestsCard onChange={reload} />
      </Grid>
      <Grid item>
        <InfoCard
          title={t('grants.title')}
          subheader={
            <Box display="flex" flexWrap="wrap">
              {access.myAppsUrl && (
                <Box mr={3}>
                  <Link
                    to={access.myAppsUrl}
                    target="_blank"
                    rel="noopener noreferrer"
                    data-testid="my-apps-link"
                  >
                    {t('myAccess.myAppsLink')}
                  </Link>
                </Box>
              )}
              <Link
                to={access.accessPortalUrl}
                target="_blank"
                rel="noopener noreferrer"
                data-testid="access-portal-link"
              >
                {t('myAccess.accessPortalLink')}
              </Link>
            </Box>
          }
        >
          {access.grants.length === 0 ? (
            <div data-testid="no-grants">
              <EmptyState
                missing="data"
                title={t('myAccess.emptyTitle')}
                description={t('myAccess.emptyDescription')}
              />
            </div>
          ) : (
            <GrantsTable grants={access.grants} context={context} />
          )}
        </InfoCard>
      </Grid>
      {access.awsCliConfig && hasActiveGrants && (
        <Grid item>
          <InfoCard title={t('myAccess.cliConfigTitle')}>
            <Typography variant="body2" paragraph>
              {t('myAccess.cliConfigHint')}
            </Typography>
            <div data-testid="aws-cli-config">
              <CodeSnippet
                text={access.awsCliConfig}
                language="ini"
                showCopyCodeButton
              />
            </div>
          </InfoCard>
        </Grid>
      )}
      <Grid item>
        <InfoCard title={t('myAccess.timelineTitle')}>
          {timeline.timeline && <AccessTimeline timeline={timeline.timeline} />}
          {timeline.error && (
            <AccessErrorPanel
              error={timeline.error}
              onRetry={timeline.retry}
              variant="card"
            />
          )}
          {!timeline.timeline && !timeline.error && timeline.loading && (
            <Progress />
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
};

/** "My AWS access" with the Backstage page frame, for the legacy frontend system. */
export const AwsAccessPage = () => {
  const { t } = useFormat();
  return (
    <Page themeId="tool">
      <Header title={t('myAccess.title')} subtitle={t('myAccess.subtitle')} />
      <Content>
        <MyAwsAccessContent />
      </Content>
    </Page>
  );
};

/** "My AWS access" inside the new frontend system's page layout (which draws the header). */
export const AwsAccessPageBody = () => (
  <Content>
    <MyAwsAccessContent />
  </Content>
);
