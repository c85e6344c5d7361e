import type { GroupAccess } from '@aws-access/plugin-aws-access-common';
import { entraGroupEntityRef } from '@aws-access/plugin-aws-access-common';
import type { AccessIndex, Person } from '../../snapshot/AccessIndex';
import type { IdentityGroup } from '../../snapshot/model';
import type { PageRequest } from '../pageQuery';
import type { AccessListCache } from './AccessListCache';
import type { AccessListCaching, AccessListEntry } from './accessPage';
import { accessPage } from './accessPage';
import { accountNameOf, permissionSetRef, syncSummary } from './common';
import { toGrant } from './userAccess';

/** A group's members (sub-teams included) with all their grants. */
export function membersOf(
  index: AccessIndex,
  group: IdentityGroup,
): AccessListEntry[] {
  return index
    .transitiveUserIds(group)
    .map(id => index.personByKey(id))
    .filter((p): p is Person => Boolean(p))
    .map(person => ({ person, grants: person.grants }));
}

/** Where a group's member rows are kept between pages (and the export). */
export function groupListCaching(
  cache: AccessListCache,
  group: IdentityGroup,
): AccessListCaching {
  return { cache, list: `group:${group.id}` };
}

/**
 * `GET /groups/:ref`: what a group is assigned, and one page of its members' effective access (sub-teams
 * included) with a summary of them all; `cache` keeps the sorted rows for the next pages.
 */
export function groupAccess(
  index: AccessIndex,
  group: IdentityGroup,
  now: Date,
  staleAfterMs: number,
  request: PageRequest,
  cache?: AccessListCache,
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
  const { people, summary, page } = accessPage(
    index,
    () => membersOf(index, group),
    request,
    now,
    grant => toGrant(index, grant, now),
    { withAccounts: true, caching: cache && groupListCaching(cache, group) },
  );
  return {
    group: {
      entityRef: entraGroupEntityRef(group),
      name: group.displayName,
      entraId: group.id,
      assignedToApp: index.scopedGroupIds.has(group.id),
      identityCenterGroupId: idcGroup?.id,
    },
    assignments,
    members: people,
    sync: syncSummary(index, now, staleAfterMs),
    summary,
    page,
  };
}
