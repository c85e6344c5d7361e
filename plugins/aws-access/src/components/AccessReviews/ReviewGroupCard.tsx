import { InfoCard } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import type {
  ReviewCampaign,
  ReviewGroupItems,
} from '@aws-access/plugin-aws-access-common';
import { useMemo, useState } from 'react';
import type { ReviewAction } from '../../hooks';
import { buildAccessMatrix } from '../../lib/matrix';
import { decidablePending, reviewMatrixMembers } from '../../lib/reviews';
import { formatDateTime } from '../../lib/time';
import { AccessMatrix } from '../EntityAwsTeamAccessCard/AccessMatrix';
import { CardSection, LabelledTable, useFormat } from '../shared';
import {
  AccessCell,
  OriginCell,
  PersonCell,
  StateCell,
} from './ReviewItemCells';
import { ReviewItemActions } from './ReviewItemActions';
import { ReviewNoteDialog } from './ReviewNoteDialog';

/** *Keep all pending*: one decision for every pending member of the group the caller may decide. */
function KeepAllButton(props: {
  group: ReviewGroupItems;
  disabled?: boolean;
  onAction(action: ReviewAction): void;
}) {
  const { group, disabled, onAction } = props;
  const { t } = useFormat();
  const [open, setOpen] = useState(false);
  const count = decidablePending(group.items).length;
  if (count === 0) {
    return null;
  }
  const names = { group: group.group.name, count };
  return (
    <>
      <Button
        size="small"
        variant="outlined"
        color="primary"
        disabled={disabled}
        onClick={() => setOpen(true)}
      >
        {t('reviews.group.keepAll', names)}
      </Button>
      {open && (
        <ReviewNoteDialog
          title={t('reviews.group.keepAllTitle', names)}
          description={t('reviews.group.keepAllDescription', names)}
          confirmLabel={t('reviews.decisions.keep')}
          onClose={() => setOpen(false)}
          onConfirm={note => {
            setOpen(false);
            onAction({
              kind: 'keep-group',
              group: group.group.entityRef,
              note,
            });
          }}
        />
      )}
    </>
  );
}

/** Why these people review the group (governance.md §3): its policy's approvers, its Entra owners, or the platform team. */
function ReviewerReason(props: { group: ReviewGroupItems }) {
  const { group } = props;
  const { t } = useFormat();
  return (
    <Typography
      variant="body2"
      paragraph
      data-testid="review-reason"
      data-source={group.reviewerSource}
    >
      {t(`reviews.group.reason.${group.reviewerSource}`, {
        group: group.group.name,
      })}
    </Typography>
  );
}

/** Per member: their team, access, other paths to it, how they got it, state and decision. */
function ReviewItemsTable(props: {
  group: ReviewGroupItems;
  acting?: boolean;
  onAction(action: ReviewAction): void;
}) {
  const { group, acting, onAction } = props;
  const { t } = useFormat();
  return (
    <LabelledTable
      label={group.group.name}
      columns={[
        t('reviews.item.person'),
        t('reviews.item.access'),
        t('reviews.item.origin'),
        t('reviews.item.state'),
        t('reviews.item.decision'),
      ]}
      rows={group.items}
      rowKey={item => item.id}
      rowData={item => ({
        'data-testid': 'review-item',
        'data-item-id': item.id,
        'data-member': item.member.entityRef,
        'data-state': item.state,
      })}
      cells={item => [
        <PersonCell item={item} />,
        <AccessCell item={item} />,
        <OriginCell item={item} />,
        <StateCell item={item} />,
        <ReviewItemActions item={item} disabled={acting} onAction={onAction} />,
      ]}
    />
  );
}

/** Members through nested groups: named, never reviewed here. */
function NestedMembersNote(props: { group: ReviewGroupItems }) {
  const { nestedMembers } = props.group;
  const { t } = useFormat();
  if (nestedMembers.length === 0) {
    return null;
  }
  return (
    <Typography variant="caption" display="block" data-testid="review-nested">
      {t('reviews.group.nested', {
        count: nestedMembers.length,
        names: nestedMembers
          .map(nested => `${nested.user.displayName} (${nested.through.name})`)
          .join(', '),
      })}
    </Typography>
  );
}

/**
 * One group of a campaign for its reviewer: why they review it, the members × accounts matrix of what the
 * memberships give now (as on the team page), then the items; *Keep all pending* for the group. Everything comes
 * from the one items response.
 */
export function ReviewGroupCard(props: {
  campaign: ReviewCampaign;
  group: ReviewGroupItems;
  acting?: boolean;
  onAction(action: ReviewAction): void;
}) {
  const { campaign, group, acting, onAction } = props;
  const { t } = useFormat();
  const matrix = useMemo(
    () => buildAccessMatrix(reviewMatrixMembers(group.items)),
    [group.items],
  );
  const decided = group.items.filter(item => item.state !== 'pending').length;
  const groupName = group.group.name;
  return (
    <InfoCard
      title={groupName}
      subheader={t('reviews.group.subheader', {
        campaign: campaign.name,
        due: formatDateTime(campaign.dueAt),
        decided: String(decided),
        total: String(group.items.length),
      })}
      action={
        <KeepAllButton group={group} disabled={acting} onAction={onAction} />
      }
    >
      <div data-testid="review-group" data-group={group.group.entityRef}>
        <ReviewerReason group={group} />
        <CardSection
          title={t('reviews.group.matrixTitle', { group: groupName })}
        >
          {matrix.accounts.length > 0 ? (
            <AccessMatrix matrix={matrix} />
          ) : (
            <Typography variant="body2">
              {t('reviews.group.noAccess', { group: groupName })}
            </Typography>
          )}
        </CardSection>
        <CardSection title={t('reviews.group.itemsTitle')}>
          <ReviewItemsTable group={group} acting={acting} onAction={onAction} />
        </CardSection>
        <NestedMembersNote group={group} />
      </div>
    </InfoCard>
  );
}
