import type { GroupAccess } from '@aws-access/plugin-aws-access-common';
import { entraGroupEntityRef } from '@aws-access/plugin-aws-access-common';
import type { AccessIndex, Person } from '../../snapshot/AccessIndex';
import type { IdentityGroup } from '../../snapshot/model';
import type { PageRequest } from '../pageQuery';
import type { AccessListCache } from './AccessListCache';
import type { AccessListCaching, AccessListEntry } from './accessPage';
import { accessPageText } from './accessPage';
import { accountNameOf, permissionSetRef, syncSummary } from './common';
import { grantHoldsUntil, toGrant } from './userAccess';

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
 * `GET /groups/:ref` as its JSON body: what a group is assigned, and one page of its members' effective access
 * (sub-teams included) with a summary of them all; `cache` keeps the sorted rows and the page last sent for the
 * next requests. The text is what `JSON.stringify` makes of the `GroupAccess`, put together from pieces that are
 * JSON already (a 200-member team's page is made once, not per request).
 */
export function groupAccessJson(
  index: AccessIndex,
  group: IdentityGroup,
  now: Date,
  staleAfterMs: number,
  request: PageRequest,
  cache?: AccessListCache,
): string {
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
  const { people, summary, page } = accessPageText(
    index,
    () => membersOf(index, group),
    request,
    now,
    {
      toGrant: grant => toGrant(index, grant, now),
      holdsUntil: grant => grantHoldsUntil(index, grant, now),
    },
    { withAccounts: true, caching: cache && groupListCaching(cache, group) },
  );
  const head: Pick<GroupAccess, 'group' | 'assignments'> = {
    group: {
      entityRef: entraGroupEntityRef(group),
      name: group.displayName,
      entraId: group.id,
      assignedToApp: index.scopedGroupIds.has(group.id),
      identityCenterGroupId: idcGroup?.id,
    },
    assignments,
  };
  const sync: GroupAccess['sync'] = syncSummary(index, now, staleAfterMs);
  // GroupAccess's keys in their order; the page's pieces are JSON already.
  return [
    JSON.stringify(head).slice(0, -1),
    `"members":${people}`,
    `"sync":${JSON.stringify(sync)}`,
    `"summary":${summary}`,
    `"page":${JSON.stringify(page)}}`,
  ].join(',');
}
