import { InfoCard } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import GetAppIcon from '@material-ui/icons/GetApp';
import { useTimeline, useUserAccess, useUserAwsCliConfig } from '../../hooks';
import { describeError } from '../../lib/errors';
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
 * The user's `~/.aws/config` as a download, as *My AWS access* offers one's own. The card shows it only once the
 * user's access was readable (the config's route answers where `GET /users/:ref` does); should the backend still
 * refuse it (403: the permission was withdrawn meanwhile), the button stays disabled under the reason.
 */
function CliConfigDownload(props: { userEntityRef: string }) {
  const { t } = useFormat();
  const { error, downloading, download } = useUserAwsCliConfig(
    props.userEntityRef,
  );
  const refused =
    error !== undefined && describeError(error).kind === 'forbidden';
  return (
    <Box mt={2}>
      <Button
        variant="outlined"
        color="primary"
        size="small"
        startIcon={<GetAppIcon />}
        onClick={() => download()}
        disabled={downloading || refused}
        data-testid="aws-cli-config-download"
      >
        {t('myAccess.cliConfigDownload')}
      </Button>
      {error && (
        <Box mt={1}>
          <AccessErrorPanel error={error} variant="card" />
        </Box>
      )}
    </Box>
  );
}

/**
 * A user's AWS access on their User page: grants by account with state and sentences (written to the person when
 * they look at their own page), the sync banner, their `~/.aws/config` to download and the latest timeline events. Others' access needs
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
        {(loaded.summary?.grants ?? loaded.grants.length) > 0 && (
          <CliConfigDownload userEntityRef={entityRef} />
        )}
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
