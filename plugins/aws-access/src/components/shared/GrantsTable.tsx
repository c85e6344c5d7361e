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
  const classes = useStyles();
  const { t, via } = useFormat();
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
            {account.grants.map(grant => {
              const hasSentence = hasGrantSentence(grant);
              const cellClass = hasSentence ? classes.grantCell : undefined;
              return (
                <Fragment key={grant.permissionSet.name}>
                  <TableRow
                    data-testid="grant-row"
                    data-account-id={grant.accountId}
                    data-permission-set={grant.permissionSet.name}
                    data-state={grant.state}
                  >
                    <TableCell className={cellClass}>
                      {grant.permissionSet.name}
                    </TableCell>
                    <TableCell
                      className={cellClass}
                      title={grant.permissionSet.sessionDuration}
                    >
                      {formatSessionDuration(
                        grant.permissionSet.sessionDuration,
                      )}
                    </TableCell>
                    <TableCell className={cellClass} data-testid="grant-via">
                      {via(grant.via)}
                    </TableCell>
                    <TableCell className={cellClass}>
                      <GrantStateChip state={grant.state} />
                    </TableCell>
                    {showLaunch && (
                      <TableCell className={cellClass} align="right">
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
                    )}
                  </TableRow>
                  {hasSentence && (
                    <TableRow data-testid="grant-sentence-row">
                      <TableCell
                        colSpan={columns}
                        className={classes.sentenceCell}
                      >
                        <GrantSentence grant={grant} context={context} />
                      </TableCell>
                    </TableRow>
                  )}
                </Fragment>
              );
            })}
          </Fragment>
        ))}
      </TableBody>
    </Table>
  );
}
