import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { awsAccessApiRef } from '../../api';
import { describeError } from '../../lib/errors';
import { AccessErrorPanel, useFormat } from '../shared';

/**
 * The access request policy lint (`GET /governance/lint`): admin groups without `maxDuration`, groups nobody can
 * approve, auto-approve on admin permission sets, selectors that match nothing. Hidden when not configured.
 */
export function GovernanceLintCard() {
  const { t } = useFormat();
  const api = useApi(awsAccessApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getGovernanceLint(),
    [api],
  );
  if (error && describeError(error).kind === 'not-found') {
    return null;
  }
  let body: JSX.Element | null = null;
  if (value) {
    body =
      value.findings.length === 0 ? (
        <Typography variant="body2" data-testid="no-lint-findings">
          {t('requests.lint.empty')}
        </Typography>
      ) : (
        <List dense aria-label={t('requests.lint.title')}>
          {value.findings.map((finding, index) => (
            <ListItem
              key={index}
              data-testid="governance-lint-finding"
              data-code={finding.code}
            >
              <ListItemText
                primary={
                  <Alert
                    severity={
                      finding.severity === 'error' ? 'error' : 'warning'
                    }
                  >
                    {finding.message}
                  </Alert>
                }
                secondary={finding.policy ?? finding.group}
              />
            </ListItem>
          ))}
        </List>
      );
  } else if (error) {
    body = <AccessErrorPanel error={error} onRetry={retry} variant="card" />;
  } else if (loading) {
    body = <Progress />;
  }
  return <InfoCard title={t('requests.lint.title')}>{body}</InfoCard>;
}
