import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { ReviewCampaign } from '@aws-access/plugin-aws-access-common';
import { Fragment, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { awsAccessApiRef } from '../../api';
import { useCreateReviewCampaign, useReviewCampaigns } from '../../hooks';
import { downloadText } from '../../lib/download';
import { formatDateTime } from '../../lib/time';
import { ActionErrorAlert } from '../AccessRequests/ActionErrorAlert';
import { CardBody, LabelledTable, useFormat } from '../shared';
import { CampaignReviewers, ProgressBar } from './CampaignProgress';
import { CreateCampaignDialog } from './CreateCampaignDialog';

/** The evidence export (`GET /reviews/:id/evidence`) as CSV or JSON, saved as a file in the browser. */
function EvidenceButtons(props: { campaign: ReviewCampaign }) {
  const { campaign } = props;
  const { t } = useFormat();
  const api = useApi(awsAccessApiRef);
  const [state, exportAs] = useAsyncFn(
    async (format: 'csv' | 'json') => {
      const text = await api.exportReviewEvidence({
        campaignId: campaign.id,
        format,
      });
      downloadText(
        `aws-access-review-${campaign.id}.${format}`,
        text,
        format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json',
      );
    },
    [api, campaign.id],
  );
  return (
    <Box display="flex" style={{ gap: 8 }}>
      {(['csv', 'json'] as const).map(format => (
        <Button
          key={format}
          size="small"
          variant="outlined"
          disabled={state.loading}
          aria-label={t('reviews.campaigns.exportAria', {
            name: campaign.name,
            format: format.toUpperCase(),
          })}
          onClick={() => exportAs(format).catch(() => undefined)}
        >
          {format === 'csv'
            ? t('reviews.campaigns.exportCsv')
            : t('reviews.campaigns.exportJson')}
        </Button>
      ))}
      {state.error && <ActionErrorAlert error={state.error} />}
    </Box>
  );
}

/**
 * The campaigns table: name, due date, state, progress with per-reviewer details, overdue items, evidence. The
 * focused campaign (a link's `?campaign=<id>`) starts with its details open.
 */
function CampaignTable(props: { campaigns: ReviewCampaign[]; focus?: string }) {
  const { t } = useFormat();
  const [openId, setOpenId] = useState<string | undefined>(props.focus);
  const open = props.campaigns.find(campaign => campaign.id === openId);
  return (
    <>
      <LabelledTable
        label={t('reviews.campaigns.title')}
        columns={[
          t('reviews.campaigns.name'),
          t('reviews.campaigns.due'),
          t('reviews.campaigns.state'),
          t('reviews.campaigns.progress'),
          t('reviews.campaigns.overdue'),
          t('reviews.campaigns.evidence'),
        ]}
        rows={props.campaigns}
        rowKey={campaign => campaign.id}
        rowData={campaign => ({
          'data-testid': 'review-campaign-row',
          'data-campaign-id': campaign.id,
          'data-state': campaign.state,
          ...(campaign.id === props.focus && { 'data-focused': 'true' }),
        })}
        cells={campaign => [
          <Fragment>
            <Typography variant="body2">{campaign.name}</Typography>
            <Button
              size="small"
              onClick={() =>
                setOpenId(openId === campaign.id ? undefined : campaign.id)
              }
              aria-expanded={openId === campaign.id}
            >
              {t('reviews.campaigns.details')}
            </Button>
          </Fragment>,
          formatDateTime(campaign.dueAt),
          campaign.closedAt
            ? t('reviews.campaigns.closed', {
                at: formatDateTime(campaign.closedAt),
              })
            : t('reviews.campaigns.open'),
          <ProgressBar name={campaign.name} progress={campaign.progress} />,
          campaign.overdueItems,
          <EvidenceButtons campaign={campaign} />,
        ]}
      />
      {open && (
        <Box mt={2} data-testid="campaign-reviewers">
          <Typography variant="subtitle2">
            {`${open.name}: ${t('reviews.campaigns.details')}`}
          </Typography>
          <CampaignReviewers campaign={open} />
        </Box>
      )}
    </>
  );
}

/**
 * The platform team's review campaigns (`GET /reviews?role=all`): *Start a campaign*, then every campaign with its
 * progress (per reviewer on demand; `focus` names one to open), overdue items and the evidence export for
 * auditors.
 */
export function ReviewCampaignsCard(props: { focus?: string }) {
  const { t } = useFormat();
  const list = useReviewCampaigns('all');
  const [creatingOpen, setCreatingOpen] = useState(false);
  const creation = useCreateReviewCampaign(() => {
    setCreatingOpen(false);
    list.retry();
  });
  return (
    <InfoCard
      title={t('reviews.campaigns.title')}
      action={
        <Button
          color="primary"
          variant="contained"
          onClick={() => setCreatingOpen(true)}
        >
          {t('reviews.campaigns.start')}
        </Button>
      }
    >
      <div data-testid="review-campaigns">
        {creation.created && (
          <Alert severity="success" data-testid="campaign-created">
            {t('reviews.campaigns.created', {
              name: creation.created.name,
              count: creation.created.progress.total,
            })}
          </Alert>
        )}
        <CardBody
          data={list.campaigns}
          loading={list.loading}
          error={list.error}
          onRetry={list.retry}
        >
          {campaigns =>
            campaigns.length === 0 ? (
              <Typography variant="body2" data-testid="no-campaigns">
                {t('reviews.campaigns.empty')}
              </Typography>
            ) : (
              <CampaignTable campaigns={campaigns} focus={props.focus} />
            )
          }
        </CardBody>
      </div>
      {creatingOpen && (
        <CreateCampaignDialog
          creating={creation.creating}
          error={creation.error}
          onCreate={campaign =>
            creation.create(campaign).catch(() => undefined)
          }
          onClose={() => setCreatingOpen(false)}
        />
      )}
    </InfoCard>
  );
}
