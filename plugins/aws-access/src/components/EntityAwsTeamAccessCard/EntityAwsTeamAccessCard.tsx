import { InfoCard } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import GetAppIcon from '@material-ui/icons/GetApp';
import { useMemo } from 'react';
import { useGroupAccess } from '../../hooks';
import { csvFileName, groupAccessToCsv } from '../../lib/csv';
import { downloadText } from '../../lib/download';
import { buildAccessMatrix } from '../../lib/matrix';
import { SyncBanner, useFormat, CardBody } from '../shared';
import { AccessMatrix } from './AccessMatrix';

/**
 * A team's AWS access on its Group page: members × accounts heatmap with pending and revoking members
 * highlighted, and a CSV export for access reviews. Members see their own teams; others get a "not allowed" note.
 */
export const EntityAwsTeamAccessCard = () => {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const { t } = useFormat();
  const { group, loading, error, retry } = useGroupAccess(entityRef);
  const matrix = useMemo(
    () => (group ? buildAccessMatrix(group) : undefined),
    [group],
  );
  const name =
    group?.group.name ?? entity.metadata.title ?? entity.metadata.name;
  const hasAccess = Boolean(matrix && matrix.accounts.length > 0);

  const body = (
    <CardBody data={group} loading={loading} error={error} onRetry={retry}>
      {loaded => (
        <>
          <SyncBanner sync={loaded.sync} />
          {hasAccess && matrix ? (
            <AccessMatrix matrix={matrix} />
          ) : (
            <Typography data-testid="no-grants">
              {t('teamCard.empty', { name })}
            </Typography>
          )}
        </>
      )}
    </CardBody>
  );

  const exportButton =
    group && hasAccess ? (
      <Button
        size="small"
        startIcon={<GetAppIcon />}
        onClick={() =>
          downloadText(
            csvFileName(group.group.entityRef),
            groupAccessToCsv(group),
          )
        }
        data-testid="export-csv"
      >
        {t('teamCard.exportCsv')}
      </Button>
    ) : undefined;

  return (
    <InfoCard
      title={t('teamCard.title')}
      subheader={t('teamCard.subheader')}
      action={exportButton}
    >
      <div data-testid="aws-access-team-card">{body}</div>
    </InfoCard>
  );
};
