import { InfoCard } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import GetAppIcon from '@material-ui/icons/GetApp';
import { useMemo, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { awsAccessApiRef } from '../../api';
import { useGroupAccessPages } from '../../hooks';
import { csvFileName } from '../../lib/csv';
import { downloadText } from '../../lib/download';
import type { AccessMatrix as AccessMatrixModel } from '../../lib/matrix';
import { buildAccessMatrix } from '../../lib/matrix';
import type { AccessFilterValues } from '../../lib/paging';
import { hasFilters } from '../../lib/paging';
import {
  AccessErrorPanel,
  AccessFilters,
  SyncBanner,
  useFormat,
  CardBody,
} from '../shared';
import { AccessMatrix } from './AccessMatrix';

/** The CSV of the whole team (as filtered), streamed by the backend and saved as a file. */
function ExportButton(props: {
  groupEntityRef: string;
  filters: AccessFilterValues;
}) {
  const { groupEntityRef, filters } = props;
  const api = useApi(awsAccessApiRef);
  const { t } = useFormat();
  const [state, exportCsv] = useAsyncFn(async () => {
    const csv = await api.exportGroupAccessCsv(groupEntityRef, filters);
    downloadText(csvFileName(groupEntityRef), csv);
  }, [api, groupEntityRef, filters]);
  return (
    <Button
      size="small"
      startIcon={<GetAppIcon />}
      onClick={() => exportCsv()}
      disabled={state.loading}
      title={state.error?.message}
      data-testid="export-csv"
    >
      {t('teamCard.exportCsv')}
    </Button>
  );
}

type GroupAccessPages = ReturnType<typeof useGroupAccessPages>;

/** A matrix with at least one account column: something to show, filter and export. */
const hasMatrix = (
  matrix: AccessMatrixModel | undefined,
): matrix is AccessMatrixModel => Boolean(matrix && matrix.accounts.length > 0);

/** How many members are shown of how many match, the matrix, and the next page (on scroll or *Load more*). */
function MatrixPages(props: {
  matrix: AccessMatrixModel;
  matchingMembers?: number;
  pages: GroupAccessPages;
}) {
  const { matrix, matchingMembers, pages } = props;
  const { t } = useFormat();
  const loadMore = () => {
    if (pages.hasMore && !pages.loadingMore) pages.loadMore();
  };
  return (
    <>
      <Typography
        variant="body2"
        color="textSecondary"
        data-testid="matrix-count"
      >
        {t('teamCard.showing', {
          shown: String(matrix.rows.length),
          total: String(matchingMembers ?? matrix.rows.length),
        })}
      </Typography>
      <AccessMatrix matrix={matrix} onScrollEnd={loadMore} />
      {pages.hasMore && (
        <Box mt={1}>
          <Button
            size="small"
            variant="outlined"
            onClick={loadMore}
            disabled={pages.loadingMore}
            data-testid="matrix-load-more"
          >
            {t('teamCard.loadMore')}
          </Button>
        </Box>
      )}
      {pages.moreError && (
        <AccessErrorPanel
          error={pages.moreError}
          onRetry={loadMore}
          variant="card"
        />
      )}
    </>
  );
}

/** The card's body once the team is known: the sync banner, the filters, and the matrix or why there is none. */
function TeamAccessBody(props: {
  pages: GroupAccessPages;
  matrix?: AccessMatrixModel;
  filters: AccessFilterValues;
  onFiltersChange: (filters: AccessFilterValues) => void;
  name: string;
}) {
  const { pages, matrix, filters, onFiltersChange, name } = props;
  const { group } = pages;
  const { t } = useFormat();
  const filtered = hasFilters(filters);
  return (
    <CardBody
      data={group}
      loading={pages.loading && !group}
      error={group ? undefined : pages.error}
      onRetry={pages.retry}
    >
      {loaded => (
        <>
          <SyncBanner sync={loaded.sync} />
          {(hasMatrix(matrix) || filtered) && (
            <AccessFilters
              value={filters}
              onChange={onFiltersChange}
              text={['member', 'account']}
            />
          )}
          {hasMatrix(matrix) ? (
            <MatrixPages
              matrix={matrix}
              matchingMembers={loaded.summary?.matchingMembers}
              pages={pages}
            />
          ) : (
            <Typography data-testid="no-grants">
              {filtered ? t('teamCard.noMatch') : t('teamCard.empty', { name })}
            </Typography>
          )}
        </>
      )}
    </CardBody>
  );
}

/**
 * A team's AWS access on its Group page: members × accounts heatmap with pending and revoking members
 * highlighted, filters by member, account and state, and a CSV export for access reviews. Members arrive a page
 * at a time: the next page loads as the matrix scrolls to its end (or with *Load more*). Members see their own
 * teams; others get a "not allowed" note.
 */
export const EntityAwsTeamAccessCard = () => {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const { t } = useFormat();
  const [filters, setFilters] = useState<AccessFilterValues>({});
  const pages = useGroupAccessPages(entityRef, filters);
  const { group } = pages;
  const matrix = useMemo(
    () => (group ? buildAccessMatrix(group) : undefined),
    [group],
  );
  const name =
    group?.group.name ?? entity.metadata.title ?? entity.metadata.name;
  return (
    <InfoCard
      title={t('teamCard.title')}
      subheader={t('teamCard.subheader')}
      action={
        group && hasMatrix(matrix) ? (
          <ExportButton groupEntityRef={entityRef} filters={filters} />
        ) : undefined
      }
    >
      <div data-testid="aws-access-team-card">
        <TeamAccessBody
          pages={pages}
          matrix={matrix}
          filters={filters}
          onFiltersChange={setFilters}
          name={name}
        />
      </div>
    </InfoCard>
  );
};
