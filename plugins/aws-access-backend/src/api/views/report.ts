import type { ReportRow } from '@aws-access/plugin-aws-access-common';
import type { AccessIndex, Person } from '../../snapshot/AccessIndex';
import { toGrant } from './userAccess';

/** `GET /report`: every (user, account, permission set, via, state) row of the people the caller may see. */
export function reportRows(
  index: AccessIndex,
  now: Date,
  isVisible: (person: Person) => boolean,
): ReportRow[] {
  const rows: ReportRow[] = [];
  for (const person of index.persons) {
    if (!isVisible(person)) continue;
    for (const grant of person.grants) {
      const g = toGrant(index, grant, now);
      rows.push({
        userEntityRef: person.entityRef,
        userName: person.displayName,
        accountId: g.accountId,
        accountName: g.accountName,
        permissionSet: g.permissionSet.name,
        sessionDuration: g.permissionSet.sessionDuration,
        via: g.via.map(v => `${v.name} (${v.state})`).join('; '),
        state: g.state,
      });
    }
  }
  return rows.sort(
    (a, b) =>
      a.userName.localeCompare(b.userName, 'en') ||
      a.accountName.localeCompare(b.accountName) ||
      a.permissionSet.localeCompare(b.permissionSet),
  );
}
