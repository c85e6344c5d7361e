import type { GrantState } from './states';

/**
 * The order of a paged access list: by member (then account), by account (then member), or by state (most
 * urgent first: revoking, stuck, pending, unsupported-nesting, active; then member and account).
 *
 * @public
 */
export type AccessPageSort = 'member' | 'account' | 'state';

/** The sorts a paged access list accepts. @public */
export const accessPageSorts: readonly AccessPageSort[] = [
  'member',
  'account',
  'state',
];

/** Rows of a page when the request names no `limit`. @public */
export const ACCESS_PAGE_DEFAULT_LIMIT = 200;

/** The most rows one page may ask for (`limit`). @public */
export const ACCESS_PAGE_MAX_LIMIT = 500;

/**
 * Paging, sorting and filtering of the access lists (`GET /me`, `/users/:ref`, `/groups/:ref`, `/accounts/:id`).
 * A row is one (person, grant); a person without any grant is one row of its own while no grant filter is set.
 * Filters are case-insensitive substrings; `state` is a list, `q` searches member, account, OU and permission set.
 *
 * @public
 */
export interface AccessPageQuery {
  /** Rows per page, 1 to 500 (default 200); a page also ends before its JSON passes about 400 KB. */
  limit?: number;
  /** Continue after the page that answered this cursor (`page.nextCursor`); not with `offset`. */
  cursor?: string;
  /** Skip this many rows (for jumping to a page); not with `cursor`. */
  offset?: number;
  sort?: AccessPageSort;
  order?: 'asc' | 'desc';
  /** Display name, entity ref, email or user principal name contains this. */
  member?: string;
  /** Account id is this, or the account's name contains it. */
  account?: string;
  /** The account's organizational unit path contains this. */
  ou?: string;
  /** The permission set's name contains this. */
  permissionSet?: string;
  /** Only grants in one of these states. */
  state?: GrantState[];
  /** Any of member, account (name or id), OU or permission set contains this. */
  q?: string;
}

/** Where a page sits in its list. @public */
export interface AccessPage {
  sort: AccessPageSort;
  order: 'asc' | 'desc';
  limit: number;
  /** Rows before this page. */
  offset: number;
  /** Rows in this page. */
  returned: number;
  /** Rows that match the filters, in all pages. */
  total: number;
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
  /** The next page's `offset`; absent on the last page. */
  nextOffset?: number;
}

/** What the whole filtered list holds, whichever page is served. @public */
export interface AccessSummary {
  /** People in the list before filters (a group's members, an account's people, 1 on a user's page). */
  members: number;
  /** Grants in the list before filters. */
  grants: number;
  /** People with a row that matches the filters. */
  matchingMembers: number;
  /** Grants that match the filters. */
  matchingGrants: number;
  /** Matching grants by state. */
  states: Partial<Record<GrantState, number>>;
  /** Accounts of the matching grants, by name: the team matrix's columns (group pages only). */
  accounts?: Array<{ id: string; name: string; ou?: string }>;
  /** Organizational units of the matching grants' accounts, sorted. */
  ous: string[];
  /** Permission set names of the matching grants, sorted. */
  permissionSets: string[];
}
