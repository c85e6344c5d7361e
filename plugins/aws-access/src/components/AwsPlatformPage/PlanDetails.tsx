import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import type {
  AccountCompliance,
  ApplyResult,
  AssignmentCall,
  OnboardingPlan,
} from '@aws-access/plugin-aws-access-common';
import { countOutcomes } from '../../lib/onboarding';
import { useFormat } from '../shared';
import { usePairLabel } from './BaselineSummary';

const useStyles = makeStyles(theme => ({
  code: {
    fontFamily: 'monospace',
    wordBreak: 'break-all',
  },
  delete: {
    color: theme.palette.error.main,
  },
}));

/**
 * The exact calls of a plan, one row each: operation, what it assigns, target, permission set ARN and principal,
 * as the backend will send them to IAM Identity Center.
 */
export function PlanCallsTable(props: { calls: AssignmentCall[] }) {
  const { t } = useFormat();
  const classes = useStyles();
  return (
    <Table size="small" aria-label={t('onboarding.plan.callsTitle')}>
      <TableHead>
        <TableRow>
          <TableCell>{t('onboarding.plan.operation')}</TableCell>
          <TableCell>{t('onboarding.plan.description')}</TableCell>
          <TableCell>{t('onboarding.plan.target')}</TableCell>
          <TableCell>{t('onboarding.plan.permissionSetArn')}</TableCell>
          <TableCell>{t('onboarding.plan.principal')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.calls.map(call => (
          <TableRow
            key={`${call.operation}|${call.input.PermissionSetArn}|${call.input.PrincipalType}|${call.input.PrincipalId}`}
            data-testid="onboarding-plan-call"
            data-operation={call.operation}
          >
            <TableCell
              className={
                call.operation === 'DeleteAccountAssignment'
                  ? classes.delete
                  : undefined
              }
            >
              {call.operation}
            </TableCell>
            <TableCell>{call.description}</TableCell>
            <TableCell className={classes.code}>
              {call.input.TargetId} ({call.input.TargetType})
            </TableCell>
            <TableCell className={classes.code}>
              {call.input.PermissionSetArn}
            </TableCell>
            <TableCell className={classes.code}>
              {call.input.PrincipalType} {call.input.PrincipalId}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Required pairs the backend could not plan, with its reason (group not provisioned, unknown permission set). */
export function BlockedPairs(props: { blocked: OnboardingPlan['blocked'] }) {
  const { t } = useFormat();
  const pairLabel = usePairLabel();
  return (
    <Alert severity="warning" data-testid="onboarding-plan-blocked-list">
      <AlertTitle>{t('onboarding.plan.blockedTitle')}</AlertTitle>
      <List dense disablePadding>
        {props.blocked.map((pair, index) => (
          <ListItem
            key={index}
            disableGutters
            data-testid="onboarding-plan-blocked"
          >
            <ListItemText
              primary={t('onboarding.plan.blocked', {
                pair: pairLabel(pair),
                reason: pair.reason,
              })}
            />
          </ListItem>
        ))}
      </List>
    </Alert>
  );
}

/**
 * What applying did, call by call: succeeded, failed with the reason, or skipped (already in place), with
 * attempts and the AWS request id; then whether the account complies now.
 */
export function ApplyResults(props: {
  result: ApplyResult;
  accountName: string;
  complianceAfter?: AccountCompliance;
}) {
  const { result, accountName, complianceAfter } = props;
  const { t } = useFormat();
  const counts = countOutcomes(result.results);
  const severity = counts.failed > 0 ? 'error' : 'success';
  return (
    <div data-testid="onboarding-results">
      <Alert severity={severity} data-testid="onboarding-result-summary">
        <AlertTitle>{t('onboarding.plan.resultsTitle')}</AlertTitle>
        {t('onboarding.plan.summary', {
          succeeded: String(counts.succeeded),
          failed: String(counts.failed),
          skipped: String(counts.skipped),
        })}
      </Alert>
      <List dense>
        {result.results.map((callResult, index) => {
          const reason = callResult.reason ?? t('common.unknown');
          const outcome =
            callResult.outcome === 'succeeded'
              ? t('onboarding.plan.outcome.succeeded')
              : t(`onboarding.plan.outcome.${callResult.outcome}`, {
                  reason,
                });
          const details = [
            outcome,
            t('onboarding.plan.attempts', {
              attempts: String(callResult.attempts),
            }),
            ...(callResult.requestId
              ? [t('onboarding.plan.requestId', { id: callResult.requestId })]
              : []),
          ].join(' · ');
          return (
            <ListItem
              key={index}
              disableGutters
              data-testid="onboarding-result"
              data-outcome={callResult.outcome}
              data-operation={callResult.call.operation}
            >
              <ListItemText
                primary={`${callResult.call.operation}: ${callResult.call.description}`}
                secondary={details}
                secondaryTypographyProps={{
                  color:
                    callResult.outcome === 'failed' ? 'error' : 'textSecondary',
                }}
              />
            </ListItem>
          );
        })}
      </List>
      {complianceAfter && (
        <Typography
          variant="body2"
          data-testid="onboarding-compliance-after"
          data-compliant={String(complianceAfter.compliant)}
        >
          {complianceAfter.compliant
            ? t('onboarding.plan.nowCompliant', { account: accountName })
            : t('onboarding.plan.stillNonCompliant', { account: accountName })}
        </Typography>
      )}
    </div>
  );
}
