import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import TablePagination from '@material-ui/core/TablePagination';
import Typography from '@material-ui/core/Typography';
import type {
  ProvisionResult,
  UserAccess,
  UserTimeline,
} from '@aws-access/plugin-aws-access-common';
import { useCallback, useMemo, useState } from 'react';
import type { AccessFilterValues } from '../../lib/paging';
import { hasFilters } from '../../lib/paging';
import type { SentenceContext } from '../shared';
import {
  AccessErrorPanel,
  AccessFilters,
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

/** Grants per page of *My AWS access*, and the choices offered. */
const ROWS_PER_PAGE = [25, 50, 100];

/** Filters and pagination appear from this many grants on: below, one short table says it all. */
const PAGED_FROM_GRANTS = 10;

/** Which page of their grants the person looks at, and through which filters. */
export function useGrantPaging() {
  const [filters, setFiltersState] = useState<AccessFilterValues>({});
  const [page, setPage] = useState(0);
  const [rowsPerPage, setRowsPerPageState] = useState(ROWS_PER_PAGE[1]);
  const query = useMemo(
    () => ({ ...filters, limit: rowsPerPage, offset: page * rowsPerPage }),
    [filters, page, rowsPerPage],
  );
  const setFilters = useCallback((next: AccessFilterValues) => {
    setFiltersState(next);
    setPage(0);
  }, []);
  const setRowsPerPage = useCallback((next: number) => {
    setRowsPerPageState(next);
    setPage(0);
  }, []);
  return {
    query,
    filters,
    setFilters,
    page,
    setPage,
    rowsPerPage,
    setRowsPerPage,
  };
}

/** The paging state {@link useGrantPaging} keeps. */
export type GrantPaging = ReturnType<typeof useGrantPaging>;

/**
 * The grants by account, with the Entra My Apps tile and the access portal linked in the header. A power user's
 * grants come a page at a time, searchable and filterable by account, OU, permission set and state.
 */
export function MyGrantsCard(props: {
  access: UserAccess;
  paging?: GrantPaging;
  /** A page or filter is being read: the grants shown are the previous answer's until it comes. */
  loading?: boolean;
}) {
  const { access, paging, loading } = props;
  const { t } = useFormat();
  const summary = access.summary;
  const filtered = paging ? hasFilters(paging.filters) : false;
  const paged = Boolean(
    paging && summary && (summary.grants >= PAGED_FROM_GRANTS || filtered),
  );
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
  const empty = filtered ? (
    <Typography data-testid="no-grants">{t('myAccess.noMatch')}</Typography>
  ) : (
    <div data-testid="no-grants">
      <EmptyState
        missing="data"
        title={t('myAccess.emptyTitle')}
        description={t('myAccess.emptyDescription')}
      />
    </div>
  );
  return (
    <InfoCard title={t('grants.title')} subheader={subheader}>
      {paged && paging && summary && (
        <AccessFilters
          value={paging.filters}
          onChange={paging.setFilters}
          text={['q', 'account']}
          ous={summary.ous}
          permissionSets={summary.permissionSets}
        />
      )}
      {loading && <LinearProgress data-testid="grants-loading" />}
      {access.grants.length === 0 ? (
        empty
      ) : (
        <GrantsTable
          grants={access.grants}
          context={selfSentenceContext(access)}
        />
      )}
      {paged && paging && summary && (
        <TablePagination
          component="div"
          count={summary.matchingGrants}
          page={paging.page}
          onPageChange={(_event, page) => paging.setPage(page)}
          rowsPerPage={paging.rowsPerPage}
          rowsPerPageOptions={ROWS_PER_PAGE}
          onRowsPerPageChange={event =>
            paging.setRowsPerPage(Number(event.target.value))
          }
          data-testid="grants-pagination"
        />
      )}
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
