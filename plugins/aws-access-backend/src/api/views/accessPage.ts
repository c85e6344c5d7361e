import type {
  AccessPage,
  AccessSummary,
  AccessUser,
  Grant,
  GrantState,
} from '@aws-access/plugin-aws-access-common';
import type {
  AccessIndex,
  Person,
  PersonGrant,
} from '../../snapshot/AccessIndex';
import type { PageRequest, RowKey } from '../pageQuery';
import { encodeCursor } from '../pageQuery';
import type { AccessListCache } from './AccessListCache';
import { accountNameOf, permissionSetNameOf } from './common';

/*
 * One page of an access list. A row is one (person, grant), or a person without any grant while no grant filter
 * is set. Rows are filtered and sorted on the index's own records; only the page's rows become grant DTOs, so a
 * page costs the same whatever the list's length.
 */

/** A page's JSON ends before its grants and people pass this many bytes (with `limit` rows at most). */
export const PAGE_BYTE_BUDGET = 400_000;

/** Most urgent first, as the team matrix highlights them. */
const STATE_RANK: Record<GrantState, number> = {
  revoking: 0,
  stuck: 1,
  pending: 2,
  'unsupported-nesting': 3,
  active: 4,
};
const NO_STATE_RANK = 5;

interface AccessRow {
  person: Person;
  grant?: PersonGrant;
  state?: GrantState;
  accountName: string;
  ou: string;
  permissionSet: string;
}

/** The people of a list with the grants that belong in it (all of them, or one account's). */
export type AccessListEntry = { person: Person; grants: PersonGrant[] };

/** A page: its rows grouped by person in page order, what the whole list holds, and where the page sits. */
export interface AccessPageResult {
  people: Array<{ user: AccessUser; grants: Grant[] }>;
  summary: AccessSummary;
  page: AccessPage;
}

const collator = new Intl.Collator('en');

function compareKeys(a: RowKey, b: RowKey): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const [x, y] = [a[i] ?? '', b[i] ?? ''];
    const order =
      typeof x === 'number' && typeof y === 'number'
        ? x - y
        : collator.compare(String(x), String(y)) ||
          (String(x) < String(y) ? -1 : Number(String(x) > String(y)));
    if (order !== 0) return order;
  }
  return 0;
}

/** The row's sort key; it ends with the row's identity, so no two rows share one. */
function keyOf(row: AccessRow, sort: PageRequest['sort']): RowKey {
  const member = [row.person.displayName, row.person.entityRef];
  const account = [row.accountName, row.grant?.accountId ?? ''];
  const rest = [row.permissionSet, row.grant?.permissionSetArn ?? ''];
  if (sort === 'account') return [...account, ...member, ...rest];
  if (sort === 'state')
    return [
      row.state ? STATE_RANK[row.state] : NO_STATE_RANK,
      ...member,
      ...account,
      ...rest,
    ];
  return [...member, ...account, ...rest];
}

function rowsOf(index: AccessIndex, entries: AccessListEntry[], now: Date) {
  const rows: AccessRow[] = [];
  for (const { person, grants } of entries) {
    if (grants.length === 0)
      rows.push({ person, accountName: '', ou: '', permissionSet: '' });
    for (const grant of grants) {
      rows.push({
        person,
        grant,
        state: index.stateAt(grant, now),
        accountName: accountNameOf(index, grant.accountId),
        ou: index.accountsById.get(grant.accountId)?.ouPath ?? '',
        permissionSet: permissionSetNameOf(index, grant.permissionSetArn),
      });
    }
  }
  return rows;
}

const contains = (value: string | undefined, part: string) =>
  Boolean(value?.toLocaleLowerCase('en-US').includes(part));

function matcher(request: PageRequest): (row: AccessRow) => boolean {
  const lower = (value?: string) => value?.toLocaleLowerCase('en-US');
  const [member, account, ou, permissionSet, q] = [
    request.member,
    request.account,
    request.ou,
    request.permissionSet,
    request.q,
  ].map(lower);
  const states = request.state && new Set<string>(request.state);
  const grantFiltered = Boolean(account || ou || permissionSet || states);
  const memberMatches = (row: AccessRow, part: string) => {
    const { person } = row;
    return [
      person.displayName,
      person.entityRef,
      person.identityUser?.mail,
      person.identityUser?.userPrincipalName,
    ].some(value => contains(value, part));
  };
  const accountMatches = (row: AccessRow, part: string) =>
    row.grant?.accountId === part || contains(row.accountName, part);
  return row => {
    if (!row.grant && grantFiltered) return false;
    if (member && !memberMatches(row, member)) return false;
    if (account && !accountMatches(row, account)) return false;
    if (ou && !contains(row.ou, ou)) return false;
    if (permissionSet && !contains(row.permissionSet, permissionSet))
      return false;
    if (states && !states.has(row.state!)) return false;
    return (
      !q ||
      memberMatches(row, q) ||
      accountMatches(row, q) ||
      contains(row.ou, q) ||
      contains(row.permissionSet, q)
    );
  };
}

function summarize(
  index: AccessIndex,
  all: AccessRow[],
  matching: AccessRow[],
  withAccounts: boolean,
): AccessSummary {
  const states: AccessSummary['states'] = {};
  const accounts = new Map<string, { id: string; name: string; ou?: string }>();
  const ous = new Set<string>();
  const permissionSets = new Set<string>();
  for (const row of matching) {
    if (!row.grant) continue;
    states[row.state!] = (states[row.state!] ?? 0) + 1;
    const id = row.grant.accountId;
    if (withAccounts && !accounts.has(id))
      accounts.set(id, {
        id,
        name: row.accountName,
        ou: index.accountsById.get(id)?.ouPath,
      });
    if (row.ou) ous.add(row.ou);
    permissionSets.add(row.permissionSet);
  }
  const sortedText = (values: Set<string>) =>
    [...values].sort((a, b) => compareKeys([a], [b]));
  return {
    members: new Set(all.map(row => row.person.key)).size,
    grants: all.filter(row => row.grant).length,
    matchingMembers: new Set(matching.map(row => row.person.key)).size,
    matchingGrants: matching.filter(row => row.grant).length,
    states,
    ...(withAccounts && {
      accounts: [...accounts.values()].sort((a, b) =>
        compareKeys([a.name, a.id], [b.name, b.id]),
      ),
    }),
    ous: sortedText(ous),
    permissionSets: sortedText(permissionSets),
  };
}

/** The first row after the cursor's key: a binary search over the sorted rows (keys made on the way). */
function startAfter(
  rows: AccessRow[],
  sort: PageRequest['sort'],
  after: RowKey,
  direction: number,
) {
  let [low, high] = [0, rows.length];
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (direction * compareKeys(keyOf(rows[middle], sort), after) <= 0)
      low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The rows in `compareKeys` order, fast: every distinct text of the keys is ranked once with the collator, then
 * the rows are sorted comparing those ranks as numbers (the collator per comparison made a 200-member team's
 * page take seconds).
 */
function sortRows(
  rows: AccessRow[],
  sort: PageRequest['sort'],
  direction: number,
): AccessRow[] {
  const keys = rows.map(row => keyOf(row, sort));
  const texts = new Set<string>();
  for (const key of keys)
    for (const part of key) if (typeof part === 'string') texts.add(part);
  const ranks = new Map(
    [...texts]
      .sort((a, b) => compareKeys([a], [b]))
      .map((text, rank) => [text, rank]),
  );
  // One flat array of ranks, `width` per row: no allocation per row or per comparison.
  const width = keys[0]?.length ?? 0;
  const ranked = new Float64Array(keys.length * width);
  keys.forEach((key, row) =>
    key.forEach((part, i) => {
      ranked[row * width + i] =
        typeof part === 'number' ? part : ranks.get(part)!;
    }),
  );
  const order = rows.map((_, i) => i);
  order.sort((a, b) => {
    for (let i = 0; i < width; i++) {
      const difference = ranked[a * width + i] - ranked[b * width + i];
      if (difference !== 0) return direction * difference;
    }
    return 0;
  });
  return order.map(i => rows[i]);
}

/** A list filtered and sorted for one request, with its summary: what its pages slice. */
interface SortedAccessList {
  rows: AccessRow[];
  summary: AccessSummary;
  rowCount: number;
  /** Epoch ms: until then every row's state is what it was when the list was built. */
  validUntil: number;
  /** The summary's JSON, made by the first page that sends it (the list does not change while it is kept). */
  summaryText?: string;
  /** Per index, the last page sent of this list as text (see `accessPageText`); it goes when the list goes. */
  keptPages: WeakMap<AccessIndex, KeptPageText>;
}

/** A page's text kept for its list in one index, until a DTO in it would change with the clock. */
interface KeptPageText {
  /** The page's start and limit. */
  at: string;
  text: AccessPageText;
  /** Epoch ms: the last moment every grant on the page is what it was when the text was made. */
  validUntil: number;
}

/** Every row of a list, those matching the request's filters in its order, and the summary of both. */
function sortedList(
  index: AccessIndex,
  entries: AccessListEntry[],
  request: PageRequest,
  now: Date,
  withAccounts: boolean,
): SortedAccessList {
  const all = rowsOf(index, entries, now);
  const matching = all.filter(matcher(request));
  const rows = sortRows(
    matching,
    request.sort,
    request.order === 'desc' ? -1 : 1,
  );
  let validUntil = Infinity;
  for (const row of all)
    if (row.grant)
      validUntil = Math.min(validUntil, index.stateHoldsUntil(row.grant, now));
  return {
    rows,
    summary: summarize(index, all, matching, withAccounts),
    rowCount: all.length,
    validUntil,
    keptPages: new WeakMap(),
  };
}

/**
 * Where a list's sorted rows may be kept: the cache and the list's identity (a group's members, a person, an
 * account's people).
 */
export interface AccessListCaching {
  cache: AccessListCache;
  /** Names the list's entries within the index, e.g. `group:<ref>`, `person:<key>` or `account:<id>`. */
  list: string;
}

/** Per index: the text of what rows read besides their people (see `rowsOf` and `summarize`). */
const indexInputs = new WeakMap<AccessIndex, string>();

/** The clock that splits pending from stuck, and every account's name and OU and permission set's name. */
function indexInputsOf(index: AccessIndex): string {
  let text = indexInputs.get(index);
  if (text === undefined) {
    text = JSON.stringify([
      index.provisioningClock,
      [...index.accountsById].map(([id, a]) => [id, a.name, a.ouPath]),
      [...index.permissionSetsByArn].map(([arn, ps]) => [arn, ps.name]),
    ]);
    indexInputs.set(index, text);
  }
  return text;
}

/**
 * What a list's rows, summary and pages are built from: its people with their grants (a kept list's pages make
 * their grant DTOs and users from these objects) and the index's names and clock.
 */
interface AccessListInputs {
  index: string;
  entries: AccessListEntry[];
}

const texts = new WeakMap<object, string>();
/** An object's JSON, once per object: paths are shared by many grants, records by many lists. */
const textOf = (value: object | undefined) => {
  if (!value) return '';
  let text = texts.get(value);
  if (text === undefined) texts.set(value, (text = JSON.stringify(value)));
  return text;
};

function samePerson(a: Person, b: Person): boolean {
  return (
    a.key === b.key &&
    a.entityRef === b.entityRef &&
    a.displayName === b.displayName &&
    textOf(a.identityUser) === textOf(b.identityUser) &&
    textOf(a.idcUser) === textOf(b.idcUser)
  );
}

function sameGrant(a: PersonGrant, b: PersonGrant): boolean {
  return (
    a.accountId === b.accountId &&
    a.permissionSetArn === b.permissionSetArn &&
    a.baseState === b.baseState &&
    a.since === b.since &&
    a.paths.length === b.paths.length &&
    a.paths.every((path, i) => textOf(path) === textOf(b.paths[i]))
  );
}

/**
 * Whether two lists' inputs are equal, field by field (no digest: a derivation that keeps a person's objects
 * makes this an identity check, and the first difference ends it). Whatever `rowsOf`, `matcher`, `summarize` and
 * a page read of a person or a grant must be compared here.
 */
function sameListInputs(a: AccessListInputs, b: AccessListInputs) {
  if (a.index !== b.index || a.entries.length !== b.entries.length)
    return false;
  return a.entries.every(({ person, grants }, i) => {
    const other = b.entries[i];
    if (person !== other.person && !samePerson(person, other.person))
      return false;
    return (
      grants === other.grants ||
      (grants.length === other.grants.length &&
        grants.every(
          (grant, j) =>
            grant === other.grants[j] || sameGrant(grant, other.grants[j]),
        ))
    );
  });
}

/** The request's sorted list, from the cache when one is given and still holds it. */
function listFor(
  index: AccessIndex,
  entries: () => AccessListEntry[],
  request: PageRequest,
  now: Date,
  options: { withAccounts?: boolean; caching?: AccessListCaching },
): SortedAccessList {
  const withAccounts = Boolean(options.withAccounts);
  // The comparison with a kept list and the build both need the entries: gather them once.
  let gathered: AccessListEntry[] | undefined;
  const list = () => (gathered ??= entries());
  const build = () => sortedList(index, list(), request, now, withAccounts);
  if (!options.caching) return build();
  const { sort, order, member, account, ou, permissionSet, state, q } = request;
  const key = JSON.stringify([
    options.caching.list,
    withAccounts,
    sort,
    order,
    member,
    account,
    ou,
    permissionSet,
    state,
    q,
  ]);
  const inputs = (): AccessListInputs => ({
    index: indexInputsOf(index),
    entries: list(),
  });
  const unchanged = (kept: AccessListInputs) => sameListInputs(kept, inputs());
  return options.caching.cache.get(
    index,
    { key, inputs, unchanged },
    now,
    build,
  );
}

/** The (person, grant) rows of a whole list that match the request's filters, in its order (for exports). */
export function* matchingGrants(
  index: AccessIndex,
  entries: () => AccessListEntry[],
  request: PageRequest,
  now: Date,
  caching?: AccessListCaching,
): Generator<{ person: Person; grant: PersonGrant }> {
  for (const row of listFor(index, entries, request, now, { caching }).rows) {
    if (row.grant) yield { person: row.person, grant: row.grant };
  }
}

/** The page's rows grouped by person, each grant and user with its JSON text. */
interface PageSlice {
  end: number;
  people: Array<{
    user: AccessUser;
    userText: string;
    grants: Grant[];
    grantTexts: string[];
  }>;
}

/** Where the page starts: after the cursor's row, or at the offset. */
function startOf(rows: AccessRow[], request: PageRequest): number {
  return request.after
    ? startAfter(
        rows,
        request.sort,
        request.after,
        request.order === 'desc' ? -1 : 1,
      )
    : Math.min(request.offset ?? 0, rows.length);
}

/**
 * The rows from `start`, at most `limit` and about PAGE_BYTE_BUDGET bytes: each grant and user is serialised
 * once, and the budget counts that very text (the page's body is made of it).
 */
function pageSlice(
  index: AccessIndex,
  rows: AccessRow[],
  start: number,
  limit: number,
  toGrant: (grant: PersonGrant) => Grant,
): PageSlice {
  const people = new Map<string, PageSlice['people'][number]>();
  let [end, bytes] = [start, 0];
  while (end < rows.length && end - start < limit) {
    const row = rows[end];
    const grant = row.grant && toGrant(row.grant);
    const grantText = grant ? JSON.stringify(grant) : '';
    let person = people.get(row.person.key);
    const user = person ? undefined : index.accessUser(row.person);
    const userText = user ? JSON.stringify(user) : '';
    const size = Buffer.byteLength(grantText) + Buffer.byteLength(userText);
    if (end > start && bytes + size > PAGE_BYTE_BUDGET) break;
    bytes += size;
    if (!person) {
      person = { user: user!, userText, grants: [], grantTexts: [] };
      people.set(row.person.key, person);
    }
    if (grant) {
      person.grants.push(grant);
      person.grantTexts.push(grantText);
    }
    end++;
  }
  return { end, people: [...people.values()] };
}

/** Where a page sits in its list, and the cursor and offset of the next one. */
function pageOf(
  rows: AccessRow[],
  request: PageRequest,
  start: number,
  end: number,
): AccessPage {
  const more = end < rows.length;
  return {
    sort: request.sort,
    order: request.order,
    limit: request.limit,
    offset: start,
    returned: end - start,
    total: rows.length,
    ...(more && {
      nextCursor: encodeCursor(
        keyOf(rows[end - 1], request.sort),
        request.fingerprint,
      ),
      nextOffset: end,
    }),
  };
}

/**
 * One page of an access list: `entries` filtered and sorted as `request` says, from its cursor or offset, at most
 * `limit` rows and about PAGE_BYTE_BUDGET bytes; `toGrant` makes the page's grant DTOs. `withAccounts` adds the
 * matching accounts to the summary (the team matrix's columns); `caching` keeps the sorted list for the next
 * pages, so `entries` is only called when the list is built.
 */
export function accessPage(
  index: AccessIndex,
  entries: () => AccessListEntry[],
  request: PageRequest,
  now: Date,
  toGrant: (grant: PersonGrant) => Grant,
  options: { withAccounts?: boolean; caching?: AccessListCaching } = {},
): AccessPageResult {
  const { rows, summary } = listFor(index, entries, request, now, options);
  const start = startOf(rows, request);
  const { end, people } = pageSlice(index, rows, start, request.limit, toGrant);
  return {
    people: people.map(({ user, grants }) => ({ user, grants })),
    summary,
    page: pageOf(rows, request, start, end),
  };
}

/** A page as `accessPage` makes it, its people and summary as the JSON text `JSON.stringify` would give them. */
export interface AccessPageText {
  people: string;
  summary: string;
  page: AccessPage;
}

/**
 * `accessPage` as text for a body: each row is serialised once (the byte budget counts the same text), and the
 * page last sent of a kept list is kept with it for its index, so the page everyone opens (a team's first) is
 * made once rather than per request. `holdsUntil` tells until when `toGrant` makes the same DTO of a grant
 * (epoch ms): a kept page is made again after the first of its grants would change.
 */
export function accessPageText(
  index: AccessIndex,
  entries: () => AccessListEntry[],
  request: PageRequest,
  now: Date,
  grants: {
    toGrant: (grant: PersonGrant) => Grant;
    holdsUntil: (grant: PersonGrant) => number;
  },
  options: { withAccounts?: boolean; caching?: AccessListCaching } = {},
): AccessPageText {
  const list = listFor(index, entries, request, now, options);
  const start = startOf(list.rows, request);
  // The page's content follows from its start and limit once the list (sort, filters, index) is known.
  const at = `${start}/${request.limit}`;
  const kept = list.keptPages.get(index);
  if (kept && kept.at === at && now.getTime() <= kept.validUntil)
    return kept.text;
  const { end, people } = pageSlice(
    index,
    list.rows,
    start,
    request.limit,
    grants.toGrant,
  );
  list.summaryText ??= JSON.stringify(list.summary);
  const text: AccessPageText = {
    people: `[${people
      .map(p => `{"user":${p.userText},"grants":[${p.grantTexts.join(',')}]}`)
      .join(',')}]`,
    summary: list.summaryText,
    page: pageOf(list.rows, request, start, end),
  };
  let validUntil = Infinity;
  for (let row = start; row < end; row++) {
    const { grant } = list.rows[row];
    if (grant) validUntil = Math.min(validUntil, grants.holdsUntil(grant));
  }
  if (options.caching) list.keptPages.set(index, { at, text, validUntil });
  return text;
}
