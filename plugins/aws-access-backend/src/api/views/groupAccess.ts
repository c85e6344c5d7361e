import type { GroupAccess } from '@aws-access/plugin-aws-access-common';
import { entraGroupEntityRef } from '@aws-access/plugin-aws-access-common';
import type { AccessIndex, Person } from '../../snapshot/AccessIndex';
import type { IdentityGroup } from '../../snapshot/model';
import { accountNameOf, permissionSetRef, syncSummary } from './common';
import { toGrant } from './userAccess';

/** `GET /groups/:ref`: what a group is assigned, and every member's effective access (sub-teams included). */
export function groupAccess(
  index: AccessIndex,
  group: IdentityGroup,
  now: Date,
  staleAfterMs: number,
): GroupAccess {
  const idcGroup = index.idcGroupByIdentityGroupId.get(group.id);
  const assignments = index
    .assignmentsOf('GROUP', idcGroup?.id)
    .map(a => ({
      accountId: a.accountId,
      accountName: accountNameOf(index, a.accountId),
      permissionSet: permissionSetRef(index, a.permissionSetArn),
    }))
    .sort(
      (a, b) =>
        a.accountName.localeCompare(b.accountName) ||
        a.permissionSet.name.localeCompare(b.permissionSet.name),
    );
  const members = index
    .transitiveUserIds(group)
    .map(id => index.personByKey(id))
    .filter((p): p is Person => Boolean(p))
    .sort((a, b) => a.displayName.localeCompare(b.displayName, 'en'))
    .map(person => ({
      user: index.accessUser(person),
      grants: person.grants.map(g => toGrant(index, g, now)),
    }));
  return {
    group: {
      entityRef: entraGroupEntityRef(group),
      name: group.displayName,
      entraId: group.id,
      assignedToApp: index.scopedGroupIds.has(group.id),
      identityCenterGroupId: idcGroup?.id,
    },
    assignments,
    members,
    sync: syncSummary(index, now, staleAfterMs),
  };
}
