import { Content, Header, Page, Progress } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
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
import { AccessErrorPanel, SyncBanner, useFormat } from '../shared';
import {
  CliConfigCard,
  MyGrantsCard,
  MyTimelineCard,
  ProvisionSection,
} from './MyAccessSections';

/**
 * The body of "My AWS access": sync banner, grants by account with launch buttons and sentences, links to the
 * Entra My Apps tile and the access portal, the `~/.aws/config` block and the "what happened" timeline.
 * Used inside the new frontend system's page layout and by the legacy {@link AwsAccessPage}.
 */
export const MyAwsAccessContent = () => {
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
      <ProvisionSection
        show={showProvision}
        onProvision={() => provision()}
        provisioning={provisioning}
        result={result}
        error={provisionError}
      />
      <Grid item>
        <MyRequestsCard onChange={reload} />
      </Grid>
      <Grid item>
        <MyGrantsCard access={access} />
      </Grid>
      {access.awsCliConfig && hasActiveGrants && (
        <Grid item>
          <CliConfigCard config={access.awsCliConfig} />
        </Grid>
      )}
      <Grid item>
        <MyTimelineCard {...timeline} />
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
