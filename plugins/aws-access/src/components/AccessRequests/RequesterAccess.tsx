import { Progress } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type { AccessRequest } from '@aws-access/plugin-aws-access-common';
import { useUserAccess } from '../../hooks';
import { AccessErrorPanel, GrantsTable, useFormat } from '../shared';

/**
 * The requester's current AWS access, for an approver deciding a request (read with the approver's own
 * permissions: without `aws-access.user.read` for that person it says so instead).
 */
export function RequesterAccess(props: { request: AccessRequest }) {
  const { request } = props;
  const { t } = useFormat();
  const { access, loading, error, retry } = useUserAccess(request.requester);
  const name = request.requesterName ?? request.requester;

  let body: JSX.Element | null = null;
  if (access) {
    body =
      access.grants.length === 0 ? (
        <Typography variant="body2">
          {t('requests.details.currentAccessNone', { name })}
        </Typography>
      ) : (
        <GrantsTable
          grants={access.grants}
          context={{ perspective: 'other', name }}
          showLaunch={false}
        />
      );
  } else if (error) {
    body = <AccessErrorPanel error={error} onRetry={retry} variant="card" />;
  } else if (loading) {
    body = <Progress />;
  }
  return (
    <div data-testid="requester-access">
      <Typography variant="subtitle2" gutterBottom>
        {t('requests.details.currentAccess', { name })}
      </Typography>
      {body}
    </div>
  );
}
