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

/** The access report as CSV (RFC 4180, CRLF line ends). */
export function reportToCsv(rows: ReportRow[]): string {
  const lines = [COLUMNS.map(([, header]) => header).join(',')];
  for (const row of rows) {
    lines.push(
      COLUMNS.map(([key]) => csvCell(String(row[key] ?? ''))).join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
