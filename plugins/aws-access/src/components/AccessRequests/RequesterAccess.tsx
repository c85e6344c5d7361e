import { Progress } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type { AccessRequest } from '@aws-access/plugin-aws-access-common';
import { useAccessRequest } from '../../hooks';
import { AccessErrorPanel, GrantsTable, useFormat } from '../shared';

/**
 * The requester's current AWS access, for an approver deciding a request: the backend adds it to
 * `GET /requests/:id` for the people who decide the request (no `aws-access.user.read` needed).
 */
export function RequesterAccess(props: { request: AccessRequest }) {
  const { request } = props;
  const { t } = useFormat();
  const {
    request: full,
    loading,
    error,
    retry,
  } = useAccessRequest(request.id, request.state);
  const grants = full?.requesterGrants;
  const name = request.requesterName ?? request.requester;

  let body: JSX.Element | null = null;
  if (grants) {
    body =
      grants.length === 0 ? (
        <Typography variant="body2">
          {t('requests.details.currentAccessNone', { name })}
        </Typography>
      ) : (
        <GrantsTable
          grants={grants}
          context={{ perspective: 'other', name }}
          showLaunch={false}
        />
      );
  } else if (full) {
    body = (
      <Typography variant="body2" data-testid="requester-access-hidden">
        {t('requests.details.currentAccessHidden', { name })}
      </Typography>
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
