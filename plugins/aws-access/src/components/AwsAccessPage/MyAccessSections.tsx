import {
  CodeSnippet,
  EmptyState,
  InfoCard,
  Link,
  Progress,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type {
  ProvisionResult,
  UserAccess,
  UserTimeline,
} from '@aws-access/plugin-aws-access-common';
import type { SentenceContext } from '../shared';
import {
  AccessErrorPanel,
  AccessTimeline,
  GrantsTable,
  ProvisionResultAlert,
  useFormat,
} from '../shared';

/** The grants' sentences speak to the person themselves, with the provisioning job's next cycle or quarantine. */
export function selfSentenceContext(access: UserAccess): SentenceContext {
  const provisioningJob = access.sync.provisioning;
  return {
    perspective: 'self',
    nextCycleAt: provisioningJob.nextCycleAt,
    quarantineReason:
      provisioningJob.status.toLowerCase() === 'quarantine'
        ? provisioningJob.quarantineReason ?? provisioningJob.status
        : undefined,
  };
}

/** *Request provisioning* (when allowed and useful), then the outcome of the last request or its error. */
export function ProvisionSection(props: {
  show: boolean;
  onProvision(): void;
  provisioning: boolean;
  result?: ProvisionResult;
  error?: Error;
}) {
  const { show, onProvision, provisioning, result, error } = props;
  const { t } = useFormat();
  if (!show && !result && !error) {
    return null;
  }
  return (
    <Grid item>
      {show && (
        <Box display="flex" alignItems="center" mb={1}>
          <Button
            variant="contained"
            color="primary"
            onClick={() => onProvision()}
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
      {error && <AccessErrorPanel error={error} variant="card" />}
    </Grid>
  );
}

/** A link that opens in a new tab without handing it this page. */
function ExternalLink(props: { to: string; testId: string; label: string }) {
  return (
    <Link
      to={props.to}
      target="_blank"
      rel="noopener noreferrer"
      data-testid={props.testId}
    >
      {props.label}
    </Link>
  );
}

/** The grants by account, with the Entra My Apps tile and the access portal linked in the header. */
export function MyGrantsCard(props: { access: UserAccess }) {
  const { access } = props;
  const { t } = useFormat();
  const subheader = (
    <Box display="flex" flexWrap="wrap">
      {access.myAppsUrl && (
        <Box mr={3}>
          <ExternalLink
            to={access.myAppsUrl}
            testId="my-apps-link"
            label={t('myAccess.myAppsLink')}
          />
        </Box>
      )}
      <ExternalLink
        to={access.accessPortalUrl}
        testId="access-portal-link"
        label={t('myAccess.accessPortalLink')}
      />
    </Box>
  );
  return (
    <InfoCard title={t('grants.title')} subheader={subheader}>
      {access.grants.length === 0 ? (
        <div data-testid="no-grants">
          <EmptyState
            missing="data"
            title={t('myAccess.emptyTitle')}
            description={t('myAccess.emptyDescription')}
          />
        </div>
      ) : (
        <GrantsTable
          grants={access.grants}
          context={selfSentenceContext(access)}
        />
      )}
    </InfoCard>
  );
}

/** The `~/.aws/config` block to copy. */
export function CliConfigCard(props: { config: string }) {
  const { t } = useFormat();
  return (
    <InfoCard title={t('myAccess.cliConfigTitle')}>
      <Typography variant="body2" paragraph>
        {t('myAccess.cliConfigHint')}
      </Typography>
      <div data-testid="aws-cli-config">
        <CodeSnippet text={props.config} language="ini" showCopyCodeButton />
      </div>
    </InfoCard>
  );
}

/** "What happened": the timeline once read (kept while a refresh fails), its error with a retry, or progress. */
export function MyTimelineCard(props: {
  timeline?: UserTimeline;
  loading: boolean;
  error?: Error;
  retry(): void;
}) {
  const { timeline, loading, error, retry } = props;
  const { t } = useFormat();
  return (
    <InfoCard title={t('myAccess.timelineTitle')}>
      {timeline && <AccessTimeline timeline={timeline} />}
      {error && (
        <AccessErrorPanel error={error} onRetry={retry} variant="card" />
      )}
      {!timeline && !error && loading && <Progress />}
    </InfoCard>
  );
}
