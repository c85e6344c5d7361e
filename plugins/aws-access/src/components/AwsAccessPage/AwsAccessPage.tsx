import { Content, Header, Page, Progress } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import Grid from '@material-ui/core/Grid';
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
import { hasFilters } from '../../lib/paging';
import { MyRequestsCard } from '../AccessRequests';
import { AccessErrorPanel, SyncBanner, useFormat } from '../shared';
import { CliConfigCard } from './CliConfigCard';
import {
  MyGrantsCard,
  useGrantPaging,
  MyTimelineCard,
  ProvisionSection,
} from './MyAccessSections';

/**
 * The body of "My AWS access": sync banner, grants by account with launch buttons and sentences (a page at a
 * time, filtered by the backend), links to the Entra My Apps tile and the access portal, the `~/.aws/config`
 * download and the "what happened" timeline.
 * Used inside the new frontend system's page layout and by the legacy {@link AwsAccessPage}.
 */
export const MyAwsAccessContent = () => {
  const paging = useGrantPaging();
  const { access, loading, error, retry } = useMyAccess(paging.query);
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
    (access.summary
      ? (access.summary.states.pending ?? 0) +
          (access.summary.states.stuck ?? 0) >
        0
      : hasUnprovisionedGrants(access.grants));
  // Profiles exist only for active grants: without any (filters aside), the config would hold none.
  const filtered = hasFilters(paging.filters);
  const activeGrants = access.summary
    ? access.summary.states.active ?? 0
    : access.grants.filter(grant => isActive(grant.state)).length;
  const grantCount = access.summary?.grants ?? access.grants.length;

  return (
    <Grid container spacing={3} direction="column" wrap="nowrap">
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
        <MyGrantsCard access={access} paging={paging} loading={loading} />
      </Grid>
      {(filtered || activeGrants > 0) && (
        <Grid item>
          <CliConfigCard grants={grantCount} />
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
