import type {
  Grant,
  GroupAccess,
  ReviewAccess,
  ReviewItem,
} from '@aws-access/plugin-aws-access-common';

/**
 * A review item's access as the grants of the team matrix: the reviewed group is the grant's first path, the
 * member's other paths to the same access follow it.
 */
function accessAsGrant(item: ReviewItem, access: ReviewAccess): Grant {
  return {
    accountId: access.accountId,
    accountName: access.accountName,
    permissionSet: access.permissionSet,
    state: access.state,
    via: [
      {
        type: 'group',
        name: item.group.name,
        entityRef: item.group.entityRef,
        state: access.state,
      },
      ...access.alsoVia,
    ],
  };
}

/** A group's review items as the members of the team matrix (members × accounts, from the items alone). */
export function reviewMatrixMembers(
  items: ReviewItem[],
): Pick<GroupAccess, 'members'> {
  return {
    members: items.map(item => ({
      user: item.member,
      grants: item.access.map(access => accessAsGrant(item, access)),
    })),
  };
}

/** The pending items of a group that the caller may decide (what *Keep all pending* keeps). */
export function decidablePending(items: ReviewItem[]): ReviewItem[] {
  return items.filter(item => item.state === 'pending' && item.actions.decide);
}

/**
 * Entity refs from what a person typed: comma- or newline-separated refs or bare names, bare names taken as
 * `<kind>:default/<name lower-cased>` (the catalog's spelling of Entra group names).
 */
export function parseEntityRefs(
  text: string,
  kind: 'group' | 'user',
): string[] {
  return text
    .split(/[,\n]/)
    .map(part => part.trim())
    .filter(part => part.length > 0)
    .map(part => toEntityRef(part, kind));
}

/** One entity ref from a ref or a bare name (see {@link parseEntityRefs}). */
export function toEntityRef(text: string, kind: 'group' | 'user'): string {
  const value = text.trim();
  if (value.includes(':')) {
    return value;
  }
  const name = value.includes('/') ? value : `default/${value.toLowerCase()}`;
  return `${kind}:${name}`;
}

/** The end of a local calendar day (`2026-12-31` → 23:59:59 local time) as an ISO timestamp. */
export function endOfLocalDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year, month - 1, date, 23, 59, 59).toISOString();
}
