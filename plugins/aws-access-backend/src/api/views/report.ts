import type { Grant, ReportRow } from '@aws-access/plugin-aws-access-common';
import type { AccessIndex, Person } from '../../snapshot/AccessIndex';
import { toGrant } from './userAccess';

/** One report row: a person's grant with its paths in words. */
export function reportRow(person: Person, g: Grant): ReportRow {
  return {
    userEntityRef: person.entityRef,
    userName: person.displayName,
    accountId: g.accountId,
    accountName: g.accountName,
    permissionSet: g.permissionSet.name,
    sessionDuration: g.permissionSet.sessionDuration,
    via: g.via.map(v => `${v.name} (${v.state})`).join('; '),
    state: g.state,
  };
}

/**
 * `GET /report`: every (user, account, permission set, via, state) row the caller may see: `shows` decides per
 * person and account (the people they may read, and everyone on the accounts they own).
 */
export function reportRows(
  index: AccessIndex,
  now: Date,
  shows: (person: Person, accountId: string) => boolean,
): ReportRow[] {
  const rows: ReportRow[] = [];
  for (const person of index.persons) {
    for (const grant of person.grants) {
      if (!shows(person, grant.accountId)) continue;
      rows.push(reportRow(person, toGrant(index, grant, now)));
    }
  }
  return rows.sort(
    (a, b) =>
      a.userName.localeCompare(b.userName, 'en') ||
      a.accountName.localeCompare(b.accountName) ||
      a.permissionSet.localeCompare(b.permissionSet),
  );
}
