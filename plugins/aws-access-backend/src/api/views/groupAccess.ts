import type { GroupAccess } from '@aws-access/plugin-aws-access-common';
import { entraGroupEntityRef } from '@aws-access/plugin-aws-access-common';
import type { AccessIndex, Person } from '../../snapshot/AccessIndex';
import type { IdentityGroup } from '../../snapshot/model';
import type { PageRequest } from '../pageQuery';
import type { AccessListCache } from './AccessListCache';
import type {
  AccessListCaching,
  AccessListEntry,
  AccessPageText,
} from './accessPage';
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

/** Per index, each group's head (the group and its assignments): it follows from the index alone. */
const heads = new WeakMap<AccessIndex, Map<string, string>>();

/**
 * The group and its assignments as the start of a JSON object (no closing brace), once per index and group: a
 * group on 1,000 accounts sorts them.
 */
function headText(index: AccessIndex, group: IdentityGroup): string {
  let groups = heads.get(index);
  if (!groups) heads.set(index, (groups = new Map()));
  let text = groups.get(group.id);
  if (text !== undefined) return text;
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
  text = JSON.stringify(head).slice(0, -1);
  groups.set(group.id, text);
  return text;
}

/**
 * The body last sent for a kept page: its bytes, and the parts besides the page's kept text they were made of
 * (the head is the index's, the sync summary changes with the clock, the page's position with the request). It
 * goes with the page's text.
 */
const keptBodies = new WeakMap<
  AccessPageText,
  { head: string; sync: string; page: string; bytes: Buffer }
>();

/**
 * `GET /groups/:ref` as the bytes of its JSON body: what a group is assigned, and one page of its members'
 * effective access (sub-teams included) with a summary of them all; `cache` keeps the sorted rows, the page last
 * sent and its body for the next requests. The bytes are what `JSON.stringify` makes of the `GroupAccess`, put
 * together from pieces that are JSON already: a 200-member team's page (170 kB) is made, encoded and (see the
 * route) hashed for its ETag once, not per request.
 */
export function groupAccessBody(
  index: AccessIndex,
  group: IdentityGroup,
  now: Date,
  staleAfterMs: number,
  request: PageRequest,
  cache?: AccessListCache,
): Buffer {
  const text = accessPageText(
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
  const sync: GroupAccess['sync'] = syncSummary(index, now, staleAfterMs);
  const parts = {
    head: headText(index, group),
    sync: JSON.stringify(sync),
    page: JSON.stringify(text.page),
  };
  const kept = keptBodies.get(text);
  if (
    kept &&
    kept.head === parts.head &&
    kept.sync === parts.sync &&
    kept.page === parts.page
  )
    return kept.bytes;
  // GroupAccess's keys in their order; the page's pieces are JSON already.
  const bytes = Buffer.from(
    [
      parts.head,
      `"members":${text.people}`,
      `"sync":${parts.sync}`,
      `"summary":${text.summary}`,
      `"page":${parts.page}}`,
    ].join(','),
  );
  if (cache) keptBodies.set(text, { ...parts, bytes });
  return bytes;
}
