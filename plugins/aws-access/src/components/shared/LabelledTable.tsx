import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import type { ReactNode } from 'react';

/**
 * A small table of items: its accessible label, the column headings, and per item a row (with the data
 * attributes tests and people's tools find it by) of one cell per column.
 */
export function LabelledTable<T>(props: {
  label: string;
  columns: string[];
  rows: T[];
  rowKey: (row: T) => string;
  /** `data-*` attributes of the row, `data-testid` included. */
  rowData: (row: T) => Record<`data-${string}`, string>;
  cells: (row: T) => ReactNode[];
}) {
  const { label, columns, rows, rowKey, rowData, cells } = props;
  return (
    <Table size="small" aria-label={label}>
      <TableHead>
        <TableRow>
          {columns.map(column => (
            <TableCell key={column}>{column}</TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(row => (
          <TableRow key={rowKey(row)} {...rowData(row)}>
            {cells(row).map((cell, index) => (
              <TableCell key={index}>{cell}</TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
