import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type {
  ReviewAccess,
  ReviewItem,
} from '@aws-access/plugin-aws-access-common';
import { formatDateTime, parseIsoDuration } from '../../lib/time';
import { GrantStateChip, useFormat } from '../shared';
import { ReviewStateChip } from './ReviewStateChip';

/** `DeveloperReadOnly on payments-dev (4 hours sessions)`. */
function useGrantLabel() {
  const { t, duration } = useFormat();
  return (access: Pick<ReviewAccess, 'permissionSet' | 'accountName'>) => {
    const seconds = parseIsoDuration(access.permissionSet.sessionDuration);
    return t('reviews.item.grant', {
      permissionSet: access.permissionSet.name,
      account: access.accountName,
      session:
        seconds === undefined
          ? access.permissionSet.sessionDuration
          : duration(seconds),
    });
  };
}

/** The person, their catalog teams, and who delegated the item, when someone did. */
export function PersonCell(props: { item: ReviewItem }) {
  const { item } = props;
  const { t } = useFormat();
  return (
    <>
      <Typography variant="body2">{item.member.displayName}</Typography>
      {item.teams.length > 0 && (
        <Typography variant="caption" color="textSecondary" display="block">
          {item.teams.map(team => team.name).join(', ')}
        </Typography>
      )}
      {item.delegatedBy && (
        <Typography variant="caption" display="block">
          {t('reviews.item.delegated', { by: item.delegatedBy })}
        </Typography>
      )}
    </>
  );
}

/** The out-of-sync grants not already listed (with their state) as access through the reviewed group. */
function outOfSyncElsewhere(item: ReviewItem) {
  const listed = new Set(
    item.access.map(a => `${a.accountId}/${a.permissionSet.name}`),
  );
  return item.outOfSync.filter(
    grant => !listed.has(`${grant.accountId}/${grant.permissionSet.name}`),
  );
}

/**
 * What the membership gives in AWS now (accounts × permission sets with session lengths, state when not active),
 * what else gives the same access, and what AWS holds that Entra no longer grants (revoking or stuck).
 */
export function AccessCell(props: { item: ReviewItem }) {
  const { item } = props;
  const { t, pathLabel, stateLabel } = useFormat();
  const grantLabel = useGrantLabel();
  return (
    <Box data-testid="review-access">
      {item.access.length === 0 && (
        <Typography variant="body2">{t('reviews.item.noAccess')}</Typography>
      )}
      {item.access.map(access => (
        <Box
          key={`${access.accountId}/${access.permissionSet.name}`}
          data-testid="review-access-grant"
          data-account-id={access.accountId}
          data-state={access.state}
        >
          <Typography variant="body2" component="span">
            {grantLabel(access)}{' '}
          </Typography>
          {access.state !== 'active' && <GrantStateChip state={access.state} />}
          {access.alsoVia.length > 0 && (
            <Typography
              variant="caption"
              display="block"
              data-testid="review-also-via"
            >
              {t('reviews.item.alsoVia', {
                paths: access.alsoVia.map(pathLabel).join(', '),
              })}
            </Typography>
          )}
        </Box>
      ))}
      {outOfSyncElsewhere(item).map(grant => (
        <Typography
          key={`${grant.accountId}/${grant.permissionSet.name}`}
          variant="caption"
          color="error"
          display="block"
          data-testid="review-out-of-sync"
          data-state={grant.state}
        >
          {t('reviews.item.outOfSync', {
            permissionSet: grant.permissionSet.name,
            account: grant.accountName,
            state: stateLabel(grant.state),
          })}
        </Typography>
      ))}
    </Box>
  );
}

/** How the member got it: requested on … approved by …, or a standing membership (since …). */
export function OriginCell(props: { item: ReviewItem }) {
  const { origin } = props.item;
  const { t } = useFormat();
  if (origin.kind === 'standing') {
    return (
      <Typography
        variant="body2"
        data-testid="review-origin"
        data-kind="standing"
      >
        {origin.since
          ? t('reviews.item.standingSince', {
              since: formatDateTime(origin.since),
            })
          : t('reviews.item.standing')}
      </Typography>
    );
  }
  const approvers = origin.approvedByNames ?? origin.approvedBy;
  return (
    <Typography variant="body2" data-testid="review-origin" data-kind="request">
      {t('reviews.item.requested', {
        requestedAt: formatDateTime(origin.requestedAt),
        approvers: approvers.join(', '),
        approvedAt: origin.approvedAt
          ? t('reviews.item.approvedAt', {
              at: formatDateTime(origin.approvedAt),
            })
          : '',
      })}
      {origin.expiresAt &&
        `; ${t('reviews.item.expires', {
          at: formatDateTime(origin.expiresAt),
        })}`}
    </Typography>
  );
}

/** The item's state, who decided and why, when AWS showed the removal, and a failed removal attempt. */
export function StateCell(props: { item: ReviewItem }) {
  const { item } = props;
  const { t } = useFormat();
  return (
    <>
      <ReviewStateChip state={item.state} />
      {item.decision && item.decidedAt && (
        <Typography
          variant="caption"
          display="block"
          data-testid="review-decided"
        >
          {t('reviews.item.decidedBy', {
            decision: t(`reviews.decisions.${item.decision}`),
            by: item.decidedByName ?? item.decidedBy ?? '',
            at: formatDateTime(item.decidedAt),
          })}
          {item.note && `: “${item.note}”`}
        </Typography>
      )}
      {item.removedAt && (
        <Typography
          variant="caption"
          display="block"
          data-testid="review-removed-at"
        >
          {t('reviews.item.removedAt', { at: formatDateTime(item.removedAt) })}
        </Typography>
      )}
      {item.error && (
        <Typography variant="caption" color="error" display="block">
          {t('reviews.item.error', { error: item.error })}
        </Typography>
      )}
    </>
  );
}
