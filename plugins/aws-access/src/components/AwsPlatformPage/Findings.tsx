import { InfoCard } from '@backstage/core-components';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type {
  AwsAccount,
  LintFinding,
} from '@aws-access/plugin-aws-access-common';
import { useFormat } from '../shared';

/** Accounts nobody can sign in to through Identity Center. */
export function AccountsWithoutAssignments(props: { accounts: AwsAccount[] }) {
  const { t } = useFormat();
  return (
    <InfoCard title={t('platform.accountsWithoutAssignments')}>
      <div data-testid="accounts-without-assignments">
        {props.accounts.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            {t('platform.listEmpty')}
          </Typography>
        ) : (
          <List dense>
            {props.accounts.map(account => (
              <ListItem key={account.id} data-testid="unassigned-account">
                <ListItemText
                  primary={`${account.name} (${account.id})`}
                  secondary={account.ouPath}
                />
              </ListItem>
            ))}
          </List>
        )}
      </div>
    </InfoCard>
  );
}

/**
 * Lint: admin sessions longer than PT4H, user-level assignments, unassigned or failed sets, and emails several
 * people share (identity matching never guesses between them).
 */
export function LintFindings(props: { findings: LintFinding[] }) {
  const { t } = useFormat();
  return (
    <InfoCard title={t('platform.lintTitle')}>
      <div data-testid="lint-findings">
        {props.findings.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            {t('platform.listEmpty')}
          </Typography>
        ) : (
          props.findings.map((finding, index) => (
            <Alert
              key={index}
              severity={finding.severity}
              data-testid="lint-finding"
              data-code={finding.code}
            >
              {finding.message}
            </Alert>
          ))
        )}
      </div>
    </InfoCard>
  );
}
