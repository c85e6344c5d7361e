import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CheckCircleOutlineIcon from '@material-ui/icons/CheckCircleOutline';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';
import type {
  AccountCompliance,
  BaselinePair,
} from '@aws-access/plugin-aws-access-common';
import { useState } from 'react';
import { orderAccounts } from '../../lib/onboarding';
import { useFormat } from '../shared';
import { usePairLabel } from './BaselineSummary';

const useStyles = makeStyles(theme => ({
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    marginTop: theme.spacing(0.5),
  },
}));

function NoneText() {
  const { t } = useFormat();
  return (
    <Typography variant="body2" color="textSecondary">
      {t('onboarding.none')}
    </Typography>
  );
}

/** The account's name, id and OU path, with the "new" and "no assignments" chips. */
function AccountCell(props: { row: AccountCompliance }) {
  const { row } = props;
  const { account } = row;
  const { t } = useFormat();
  const classes = useStyles();
  return (
    <TableCell>
      <Typography variant="body2">{account.name}</Typography>
      <Typography variant="caption" color="textSecondary" display="block">
        {account.id} · {account.ouPath}
      </Typography>
      <div className={classes.chips}>
        {row.isNew && (
          <Chip
            size="small"
            color="primary"
            label={t('onboarding.isNew')}
            data-testid="onboarding-new-chip"
          />
        )}
        {row.unassigned && (
          <Chip
            size="small"
            variant="outlined"
            label={t('onboarding.unassigned')}
            data-testid="onboarding-unassigned-chip"
          />
        )}
      </div>
    </TableCell>
  );
}

function ComplianceChip(props: { compliant: boolean }) {
  const { compliant } = props;
  const { t } = useFormat();
  return (
    <Chip
      size="small"
      variant={compliant ? 'outlined' : 'default'}
      color={compliant ? 'default' : 'secondary'}
      icon={compliant ? <CheckCircleOutlineIcon /> : <ErrorOutlineIcon />}
      label={
        compliant ? t('onboarding.compliant') : t('onboarding.nonCompliant')
      }
      data-testid="onboarding-compliant-chip"
      data-compliant={String(compliant)}
    />
  );
}

/** One line per pair (missing or forbidden ones), or "none". */
function PairsCell(props: {
  pairs: Array<BaselinePair & { principalType?: 'GROUP' | 'USER' }>;
  testId: string;
  color?: 'error';
}) {
  const { pairs, testId, color } = props;
  const pairLabel = usePairLabel();
  return (
    <TableCell>
      {pairs.length === 0 ? (
        <NoneText />
      ) : (
        pairs.map(pair => (
          <Typography
            key={`${pair.principalType ?? ''}|${pair.group}|${
              pair.permissionSet
            }`}
            variant="body2"
            color={color}
            data-testid={testId}
          >
            {pairLabel(pair)}
          </Typography>
        ))
      )}
    </TableCell>
  );
}

function ComplianceRow(props: {
  row: AccountCompliance;
  onReview: (row: AccountCompliance) => void;
}) {
  const { row, onReview } = props;
  const { account } = row;
  const { t } = useFormat();
  return (
    <TableRow
      data-testid={`onboarding-row-${account.id}`}
      data-account-id={account.id}
      data-compliant={String(row.compliant)}
    >
      <AccountCell row={row} />
      <TableCell>
        <ComplianceChip compliant={row.compliant} />
      </TableCell>
      <PairsCell pairs={row.missing} testId="onboarding-missing" />
      <PairsCell
        pairs={row.forbidden}
        testId="onboarding-forbidden"
        color="error"
      />
      <TableCell data-testid="onboarding-matched-rules">
        {row.rules.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            {t('onboarding.noRule')}
          </Typography>
        ) : (
          <Typography variant="body2">{row.rules.join(', ')}</Typography>
        )}
      </TableCell>
      <TableCell align="right">
        <Button
          variant={row.compliant ? 'text' : 'outlined'}
          color="primary"
          size="small"
          onClick={() => onReview(row)}
          aria-label={t('onboarding.reviewPlanAria', { account: account.name })}
          data-testid="onboarding-review-plan"
        >
          {t('onboarding.reviewPlan')}
        </Button>
      </TableCell>
    </TableRow>
  );
}

function ComplianceHead() {
  const { t } = useFormat();
  return (
    <TableHead>
      <TableRow>
        <TableCell>{t('onboarding.columns.account')}</TableCell>
        <TableCell>{t('onboarding.columns.compliance')}</TableCell>
        <TableCell>{t('onboarding.columns.missing')}</TableCell>
        <TableCell>{t('onboarding.columns.forbidden')}</TableCell>
        <TableCell>{t('onboarding.columns.rules')}</TableCell>
        <TableCell align="right">{t('onboarding.columns.actions')}</TableCell>
      </TableRow>
    </TableHead>
  );
}

/**
 * Every account against the baseline, non-compliant first: compliance, new and no-assignment chips, missing and
 * forbidden pairs, the rules that apply, and "Review plan". A switch narrows the table to non-compliant accounts.
 */
export function ComplianceTable(props: {
  accounts: AccountCompliance[];
  onReview: (row: AccountCompliance) => void;
}) {
  const { accounts, onReview } = props;
  const { t } = useFormat();
  const [onlyNonCompliant, setOnlyNonCompliant] = useState(false);
  const rows = orderAccounts(accounts, { onlyNonCompliant });
  const nonCompliant = accounts.filter(row => !row.compliant).length;

  if (accounts.length === 0) {
    return (
      <Box mt={2}>
        <Typography
          variant="body2"
          color="textSecondary"
          data-testid="onboarding-no-accounts"
        >
          {t('onboarding.noAccounts')}
        </Typography>
      </Box>
    );
  }

  return (
    <Box mt={2}>
      <FormControlLabel
        control={
          <Switch
            color="primary"
            checked={onlyNonCompliant}
            onChange={event => setOnlyNonCompliant(event.target.checked)}
          />
        }
        label={t('onboarding.onlyNonCompliant', {
          total: String(nonCompliant),
        })}
        data-testid="onboarding-filter"
      />
      {rows.length === 0 ? (
        <Typography
          variant="body2"
          color="textSecondary"
          data-testid="onboarding-all-compliant"
        >
          {t('onboarding.allCompliant')}
        </Typography>
      ) : (
        <Table
          size="small"
          aria-label={t('onboarding.title')}
          data-testid="onboarding-table"
        >
          <ComplianceHead />
          <TableBody>
            {rows.map(row => (
              <ComplianceRow
                key={row.account.id}
                row={row}
                onReview={onReview}
              />
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
}
