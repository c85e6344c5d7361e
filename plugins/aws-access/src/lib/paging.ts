import type {
  AccessPageQuery,
  GroupAccess,
} from '@aws-access/plugin-aws-access-common';

/** The filters an access list offers: the backend's paging query without the paging. */
export type AccessFilterValues = Pick<
  AccessPageQuery,
  'q' | 'member' | 'account' | 'ou' | 'permissionSet' | 'state'
>;

/** True when some filter is set. */
export function hasFilters(filters: AccessFilterValues): boolean {
  return Object.values(filters).some(
    value =>
      value !== undefined &&
      value !== '' &&
      !(Array.isArray(value) && value.length === 0),
  );
}

/**
 * Pages of one group's list read so far as one answer: members in page order, a member whose rows span two pages
 * once with all of them; the summary and page of the latest page.
 */
export function mergeGroupPages(pages: GroupAccess[]): GroupAccess {
  const members = new Map<string, GroupAccess['members'][number]>();
  for (const page of pages) {
    for (const member of page.members) {
      const known = members.get(member.user.entityRef);
      if (known) known.grants.push(...member.grants);
      else
        members.set(member.user.entityRef, {
          user: member.user,
          grants: [...member.grants],
        });
    }
  }
  const last = pages[pages.length - 1];
  return {
    ...pages[0],
    members: [...members.values()],
    summary: last.summary ?? pages[0].summary,
    page: last.page,
  };
}
