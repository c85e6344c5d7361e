import type { ReportRow } from '@aws-access/plugin-aws-access-common';

const COLUMNS: Array<[keyof ReportRow, string]> = [
  ['userName', 'user'],
  ['userEntityRef', 'user_ref'],
  ['accountName', 'account'],
  ['accountId', 'account_id'],
  ['permissionSet', 'permission_set'],
  ['sessionDuration', 'session_duration'],
  ['via', 'via'],
  ['state', 'state'],
];

/**
 * One CSV cell. Values a spreadsheet would run as a formula (=, +, -, @, tab, CR) get a leading quote, and
 * every cell is quoted, so hostile names stay text (OWASP CSV injection).
 */
export function csvCell(value: string): string {
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${text.replace(/"/g, '""')}"`;
}

/** The report's header line, with its CRLF. */
export const REPORT_CSV_HEADER = `${COLUMNS.map(([, header]) => header).join(
  ',',
)}\r\n`;

/** One report row as a CSV line, with its CRLF. */
export function reportCsvLine(row: ReportRow): string {
  return `${COLUMNS.map(([key]) => csvCell(String(row[key] ?? ''))).join(
    ',',
  )}\r\n`;
}

/** The access report as CSV (RFC 4180, CRLF line ends). */
export function reportToCsv(rows: ReportRow[]): string {
  return REPORT_CSV_HEADER + rows.map(reportCsvLine).join('');
}
