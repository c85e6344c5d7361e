import { InfoCard } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTimeline, useUserAccess } from '../../hooks';
import {
  AccessErrorPanel,
  AccessTimeline,
  GrantsTable,
  SyncBanner,
  useFormat,
  CardBody,
} from '../shared';

/** Timeline events shown on the card; the page shows them all. */
const TIMELINE_LIMIT = 5;

/**
 * A user's AWS access on their User page: grants by account with state and sentences (written to the person when
 * they look at their own page), the sync banner and the latest timeline events. Others' access needs
 * `aws-access.user.read`; without it the card says so.
 */
export const EntityAwsAccessCard = () => {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const { t } = useFormat();
  const { access, isSelf, loading, error, retry } = useUserAccess(entityRef);
  const timeline = useTimeline(access ? entityRef : undefined);
  const name =
    access?.user.displayName ?? entity.metadata.title ?? entity.metadata.name;

  const renderAccess = (loaded: NonNullable<typeof access>) => {
    const job = loaded.sync.provisioning;
    const context = {
      perspective: isSelf ? ('self' as const) : ('other' as const),
      name,
      nextCycleAt: job.nextCycleAt,
      quarantineReason:
        job.status.toLowerCase() === 'quarantine'
          ? job.quarantineReason ?? job.status
          : undefined,
    };
    return (
      <>
        <SyncBanner sync={loaded.sync} />
        <Box mt={2}>
          {loaded.grants.length === 0 ? (
            <Typography data-testid="no-grants">
              {isSelf ? t('userCard.emptySelf') : t('userCard.empty', { name })}
            </Typography>
          ) : (
            <GrantsTable grants={loaded.grants} context={context} />
          )}
        </Box>
        {(timeline.timeline || timeline.error) && (
          <Box mt={2}>
            <Typography variant="subtitle2">
              {t('myAccess.timelineTitle')}
            </Typography>
            {timeline.timeline && (
              <AccessTimeline
                timeline={timeline.timeline}
                limit={TIMELINE_LIMIT}
              />
            )}
            {timeline.error && (
              <AccessErrorPanel
                error={timeline.error}
                onRetry={timeline.retry}
                variant="card"
              />
            )}
          </Box>
        )}
      </>
    );
  };

  return (
    <InfoCard title={t('userCard.title')}>
      <div data-testid="aws-access-user-card">
        <CardBody data={access} loading={loading} error={error} onRetry={retry}>
          {renderAccess}
        </CardBody>
      </div>
    </InfoCard>
  );
};
