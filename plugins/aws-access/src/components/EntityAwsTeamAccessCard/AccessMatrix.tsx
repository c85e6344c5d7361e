import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { Theme } from '@material-ui/core/styles';
import { GrantState } from '@aws-access/plugin-aws-access-common';
import type { UIEvent } from 'react';
import { alpha, makeStyles } from '@material-ui/core/styles';
import type {
  AccessMatrix as Matrix,
  CellHighlight,
  MatrixCell,
} from '../../lib/matrix';
import type { PermissionSetStrength } from '../../lib/ranking';
import { GrantStateChip, useFormat } from '../shared';

/** Background opacity of the primary colour per strength: the stronger, the darker. */
const INTENSITY: Record<PermissionSetStrength, number> = {
  0: 0.12,
  1: 0.3,
  2: 0.55,
  3: 0.85,
};

function strengthStyle(theme: Theme, strength: PermissionSetStrength) {
  return {
    backgroundColor: alpha(theme.palette.primary.main, INTENSITY[strength]),
    color:
      strength >= 2
        ? theme.palette.primary.contrastText
        : theme.palette.text.primary,
  };
}

/** How close to the end of the rows a scroll asks for the next page. */
const SCROLL_END_PX = 200;

const useStyles = makeStyles(theme => ({
  scroller: {
    maxHeight: 640,
  },
  member: {
    whiteSpace: 'nowrap',
    position: 'sticky',
    left: 0,
    backgroundColor: theme.palette.background.paper,
  },
  memberChip: {
    marginLeft: theme.spacing(1),
  },
  cell: {
    textAlign: 'center',
    whiteSpace: 'nowrap',
    border: `1px solid ${theme.palette.divider}`,
    fontSize: theme.typography.body2.fontSize,
  },
  strength0: strengthStyle(theme, 0),
  strength1: strengthStyle(theme, 1),
  strength2: strengthStyle(theme, 2),
  strength3: strengthStyle(theme, 3),
  pending: {
    outline: `3px dashed ${theme.palette.info.main}`,
    outlineOffset: -3,
  },
  stuck: {
    outline: `3px dashed ${theme.palette.error.main}`,
    outlineOffset: -3,
  },
  revoking: {
    backgroundImage: `repeating-linear-gradient(45deg, ${alpha(
      theme.palette.error.main,
      0.55,
    )} 0, ${alpha(
      theme.palette.error.main,
      0.55,
    )} 4px, transparent 4px, transparent 10px)`,
  },
  nested: {
    outline: `2px dotted ${theme.palette.warning.dark}`,
    outlineOffset: -2,
  },
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    marginTop: theme.spacing(2),
    gap: theme.spacing(1),
  },
  swatch: {
    display: 'inline-block',
    padding: theme.spacing(0.5, 1),
    border: `1px solid ${theme.palette.divider}`,
    fontSize: theme.typography.caption.fontSize,
  },
}));

type Classes = ReturnType<typeof useStyles>;

const HIGHLIGHT_CLASS: Record<CellHighlight, keyof Classes> = {
  [GrantState.pending]: 'pending',
  [GrantState.stuck]: 'stuck',
  [GrantState.revoking]: 'revoking',
  [GrantState.unsupportedNesting]: 'nested',
};

function cellClassName(classes: Classes, cell: MatrixCell): string {
  const names = [
    classes.cell,
    classes[`strength${cell.strength}` as keyof Classes],
  ];
  if (cell.highlight) {
    names.push(classes[HIGHLIGHT_CLASS[cell.highlight]]);
  }
  return names.join(' ');
}

type MatrixRow = Matrix['rows'][number];
type MatrixAccount = Matrix['accounts'][number];

/** One member × account cell: the strongest permission set, its strength and state, every grant in the title. */
function MatrixCellView(props: {
  row: MatrixRow;
  account: MatrixAccount;
  cell: MatrixCell | undefined;
  classes: Classes;
}) {
  const { row, account, cell, classes } = props;
  const { t, stateLabel } = useFormat();
  if (!cell) {
    return (
      <TableCell
        className={classes.cell}
        data-testid="matrix-cell"
        data-member={row.user.entityRef}
        data-account-id={account.id}
        data-state=""
        aria-label={t('teamCard.cellEmptyAria', {
          member: row.user.displayName,
          account: account.name,
        })}
      />
    );
  }
  const state = cell.highlight ?? cell.shown.state;
  return (
    <TableCell
      className={cellClassName(classes, cell)}
      data-testid="matrix-cell"
      data-member={row.user.entityRef}
      data-account-id={account.id}
      data-permission-set={cell.shown.permissionSet.name}
      data-strength={cell.strength}
      data-state={state}
      aria-label={t('teamCard.cellAria', {
        member: row.user.displayName,
        account: account.name,
        permissionSet: cell.shown.permissionSet.name,
        state: stateLabel(state),
      })}
      title={cell.grants
        .map(grant => `${grant.permissionSet.name}: ${stateLabel(grant.state)}`)
        .join('\n')}
    >
      {cell.shown.permissionSet.name}
    </TableCell>
  );
}

/** A member's row: their name (with a state chip when a grant is pending, stuck, revoking or nested) and cells. */
function MatrixMemberRow(props: {
  row: MatrixRow;
  accounts: MatrixAccount[];
  classes: Classes;
}) {
  const { row, accounts, classes } = props;
  return (
    <TableRow
      data-testid="matrix-row"
      data-member={row.user.entityRef}
      data-highlight={row.highlight ?? ''}
    >
      <TableCell component="th" scope="row" className={classes.member}>
        {row.user.displayName}
        {row.highlight && (
          <span className={classes.memberChip}>
            <GrantStateChip state={row.highlight} />
          </span>
        )}
      </TableCell>
      {row.cells.map((cell, index) => (
        <MatrixCellView
          key={accounts[index].id}
          row={row}
          account={accounts[index]}
          cell={cell}
          classes={classes}
        />
      ))}
    </TableRow>
  );
}

/** What the colours and outlines mean. */
function MatrixLegend(props: { classes: Classes }) {
  const { classes } = props;
  const { t } = useFormat();
  const swatches: Array<[keyof Classes, string]> = [
    ['strength3', t('teamCard.legendAdmin')],
    ['strength2', t('teamCard.legendPowerUser')],
    ['strength1', t('teamCard.legendReadOnly')],
    ['strength0', t('teamCard.legendOther')],
    ['pending', t('teamCard.legendPending')],
    ['revoking', t('teamCard.legendRevoking')],
    ['nested', t('teamCard.legendNested')],
  ];
  return (
    <Box className={classes.legend} data-testid="matrix-legend">
      <Typography variant="caption">{t('teamCard.legendTitle')}:</Typography>
      {swatches.map(([name, label]) => (
        <span key={name} className={`${classes.swatch} ${classes[name]}`}>
          {label}
        </span>
      ))}
    </Box>
  );
}

/**
 * The team's members × accounts as a heatmap: each cell names the strongest permission set the member holds on
 * the account, coloured by strength; pending/stuck cells are outlined, revoking ones hatched, nested-only ones
 * dotted. Members with such grants carry a state chip. A legend explains the encoding.
 */
export function AccessMatrix(props: {
  matrix: Matrix;
  /** Called when the rows are scrolled to (near) their end: the next page is wanted. */
  onScrollEnd?: () => void;
}) {
  const { matrix, onScrollEnd } = props;
  const classes = useStyles();
  const { t } = useFormat();
  const onScroll = (event: UIEvent<HTMLDivElement>) => {
    const { scrollTop, clientHeight, scrollHeight } = event.currentTarget;
    if (scrollTop + clientHeight >= scrollHeight - SCROLL_END_PX)
      onScrollEnd?.();
  };

  return (
    <>
      <TableContainer
        className={classes.scroller}
        onScroll={onScroll}
        data-testid="matrix-scroller"
      >
        <Table size="small" stickyHeader data-testid="access-matrix">
          <TableHead>
            <TableRow>
              <TableCell className={classes.member}>
                {t('teamCard.member')}
              </TableCell>
              {matrix.accounts.map(account => (
                <TableCell
                  key={account.id}
                  className={classes.cell}
                  title={account.id}
                >
                  {account.name}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {matrix.rows.map(row => (
              <MatrixMemberRow
                key={row.user.entityRef}
                row={row}
                accounts={matrix.accounts}
                classes={classes}
              />
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      <MatrixLegend classes={classes} />
    </>
  );
}
