import type { GroupAccess } from '@aws-access/plugin-aws-access-common';

const FORMULA_PREFIXES = ['=', '+', '-', '@', '\t', '\r'];

/**
 * One CSV cell: quoted, inner quotes doubled, and a leading `'` added when the value would start with a character
 * a spreadsheet treats as a formula (`= + - @`, tab, carriage return), so exported names cannot run formulas.
 */
export function escapeCsvCell(value: string): string {
  const safe = FORMULA_PREFIXES.some(prefix => value.startsWith(prefix))
    ? `'${value}`
    : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** RFC 4180 CSV (CRLF line ends) with every cell escaped. */
export function toCsv(header: string[], rows: string[][]): string {
  return [header, ...rows]
    .map(row => row.map(escapeCsvCell).join(','))
    .join('\r\n')
    .concat('\r\n');
}

/** The columns of a team access export, the same as the backend's report rows. */
export const TEAM_CSV_HEADER = [
  'user',
  'userEntityRef',
  'accountId',
  'accountName',
  'permissionSet',
  'sessionDuration',
  'via',
  'state',
];

/** Every (member, account, permission set) of a group as CSV, for access reviews. */
export function groupAccessToCsv(group: GroupAccess): string {
  const rows: string[][] = [];
  const members = [...group.members].sort((a, b) =>
    a.user.displayName.localeCompare(b.user.displayName),
  );
  for (const member of members) {
    const grants = [...member.grants].sort(
      (a, b) =>
        a.accountName.localeCompare(b.accountName) ||
        a.permissionSet.name.localeCompare(b.permissionSet.name),
    );
    for (const grant of grants) {
      rows.push([
        member.user.displayName,
        member.user.entityRef,
        grant.accountId,
        grant.accountName,
        grant.permissionSet.name,
        grant.permissionSet.sessionDuration,
        grant.via.map(path => `${path.name} (${path.state})`).join('; '),
        grant.state,
      ]);
    }
  }
  return toCsv(TEAM_CSV_HEADER, rows);
}

/** A file name for a group's export: `team-access-<group name>.csv`, safe characters only. */
export function csvFileName(groupEntityRef: string): string {
  const name = groupEntityRef
    .replace(/^.*\//, '')
    .replace(/[^a-zA-Z0-9._-]+/g, '_');
  return `team-access-${name || 'group'}.csv`;
}
