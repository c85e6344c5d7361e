import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import LaunchIcon from '@material-ui/icons/Launch';
import type { Grant } from '@aws-access/plugin-aws-access-common';
import { Fragment } from 'react';
import type { AccountGrants } from '../../lib/grants';
import { groupGrantsByAccount } from '../../lib/grants';
import { formatSessionDuration } from '../../lib/time';
import type { SentenceContext } from './GrantSentence';
import { GrantSentence, hasGrantSentence } from './GrantSentence';
import { GrantStateChip } from './GrantStateChip';
import { useFormat } from './useFormat';

const useStyles = makeStyles(theme => ({
  accountRow: {
    backgroundColor: theme.palette.background.default,
  },
  accountName: {
    fontWeight: theme.typography.fontWeightBold as number,
  },
  accountMeta: {
    marginLeft: theme.spacing(2),
    color: theme.palette.text.secondary,
  },
  sentenceCell: {
    paddingTop: 0,
  },
  grantCell: {
    borderBottom: 'none',
  },
}));

/** The header row of one account: its name, id and OU across every column. */
function AccountRow(props: { account: AccountGrants; columns: number }) {
  const { account, columns } = props;
  const classes = useStyles();
  const { t } = useFormat();
  return (
    <TableRow
      className={classes.accountRow}
      data-testid="account-row"
      data-account-id={account.accountId}
    >
      <TableCell colSpan={columns}>
        <Typography component="span" className={classes.accountName}>
          {account.accountName}
        </Typography>
        <Typography
          component="span"
          variant="body2"
          className={classes.accountMeta}
        >
          {t('grants.accountId')}: {account.accountId}
        </Typography>
        {account.accountOu && (
          <Typography
            component="span"
            variant="body2"
            className={classes.accountMeta}
          >
            {t('grants.ou')}: {account.accountOu}
          </Typography>
        )}
      </TableCell>
    </TableRow>
  );
}

/** The launch button when the grant can be used now, else a note that it cannot. */
function LaunchCell(props: { grant: Grant; className?: string }) {
  const { grant, className } = props;
  const { t } = useFormat();
  return (
    <TableCell className={className} align="right">
      {grant.launchUrl ? (
        <Button
          variant="outlined"
          color="primary"
          size="small"
          href={grant.launchUrl}
          target="_blank"
          rel="noopener noreferrer"
          startIcon={<LaunchIcon />}
          aria-label={t('grants.launchAria', {
            account: grant.accountName,
            permissionSet: grant.permissionSet.name,
          })}
          data-testid="grant-launch"
        >
          {t('grants.launch')}
        </Button>
      ) : (
        <Typography variant="caption" color="textSecondary">
          {t('grants.noLaunch')}
        </Typography>
      )}
    </TableCell>
  );
}

/** One grant's row, then its plain sentence on a row of its own when it is not simply active. */
function GrantRows(props: {
  grant: Grant;
  context: SentenceContext;
  showLaunch: boolean;
  columns: number;
}) {
  const { grant, context, showLaunch, columns } = props;
  const classes = useStyles();
  const { via } = useFormat();
  const hasSentence = hasGrantSentence(grant);
  // The sentence row reads as part of the grant's row, so the line between them goes.
  const cellClass = hasSentence ? classes.grantCell : undefined;
  return (
    <>
      <TableRow
        data-testid="grant-row"
        data-account-id={grant.accountId}
        data-permission-set={grant.permissionSet.name}
        data-state={grant.state}
      >
        <TableCell className={cellClass}>{grant.permissionSet.name}</TableCell>
        <TableCell
          className={cellClass}
          title={grant.permissionSet.sessionDuration}
        >
          {formatSessionDuration(grant.permissionSet.sessionDuration)}
        </TableCell>
        <TableCell className={cellClass} data-testid="grant-via">
          {via(grant.via)}
        </TableCell>
        <TableCell className={cellClass}>
          <GrantStateChip state={grant.state} />
        </TableCell>
        {showLaunch && <LaunchCell grant={grant} className={cellClass} />}
      </TableRow>
      {hasSentence && (
        <TableRow data-testid="grant-sentence-row">
          <TableCell colSpan={columns} className={classes.sentenceCell}>
            <GrantSentence grant={grant} context={context} />
          </TableCell>
        </TableRow>
      )}
    </>
  );
}

/**
 * Grants grouped by account: a header row per account (name, id, OU), then per grant its permission set, session
 * length, the paths it comes through with their state, a state chip, a launch button when the grant can be used,
 * and the plain sentence for grants that are not simply active.
 */
export function GrantsTable(props: {
  grants: Grant[];
  context: SentenceContext;
  showLaunch?: boolean;
}) {
  const { grants, context, showLaunch = true } = props;
  const { t } = useFormat();
  const columns = showLaunch ? 5 : 4;

  return (
    <Table
      size="small"
      aria-label={
        context.perspective === 'self'
          ? t('grants.title')
          : t('grants.titleOther')
      }
    >
      <TableHead>
        <TableRow>
          <TableCell>{t('grants.permissionSet')}</TableCell>
          <TableCell>{t('grants.session')}</TableCell>
          <TableCell>{t('grants.via')}</TableCell>
          <TableCell>{t('grants.state')}</TableCell>
          {showLaunch && <TableCell />}
        </TableRow>
      </TableHead>
      <TableBody>
        {groupGrantsByAccount(grants).map(account => (
          <Fragment key={account.accountId}>
            <AccountRow account={account} columns={columns} />
            {account.grants.map(grant => (
              <GrantRows
                key={grant.permissionSet.name}
                grant={grant}
                context={context}
                showLaunch={showLaunch}
                columns={columns}
              />
            ))}
          </Fragment>
        ))}
      </TableBody>
    </Table>
  );
}
