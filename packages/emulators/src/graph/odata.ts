import type { EmulatorRequest } from '../http';
import { fromBase64Url, hexFrom, toBase64Url } from '../ids';
import { badRequest, unsupportedQuery } from './errors';
import type { Filter } from './filter';
import { parseFilter } from './filter';

/*
 * OData query options as Graph applies them to directory collections: $select (with default property sets),
 * $filter, $top (default 100, max 999), $count + ConsistencyLevel, $orderby, $search, and paging through absolute
 * https `@odata.nextLink`s whose `$skiptoken` is URL-safe.
 */

export interface ODataQuery {
  select?: string[];
  filter?: Filter;
  filterText?: string;
  top?: number;
  count: boolean;
  orderby?: { property: string; descending: boolean };
  search?: string;
  expand?: string;
  skiptoken?: string;
  /** ConsistencyLevel: eventual */
  eventual: boolean;
  params: URLSearchParams;
}

export function parseQuery(request: EmulatorRequest): ODataQuery {
  const params = request.url.searchParams;
  const get = (name: string) =>
    params.get(name) ?? params.get(name.replace('$', '')) ?? undefined;
  const top = get('$top');
  let parsedTop: number | undefined;
  if (top !== undefined) {
    parsedTop = Number(top);
    if (!Number.isInteger(parsedTop) || parsedTop < 1 || parsedTop > 999) {
      throw badRequest(
        `Invalid page size specified: '${top}'. Must be between 1 and 999 inclusive.`,
        'Request_BadRequest',
      );
    }
  }
  const filterText = get('$filter');
  const orderby = get('$orderby');
  const count = get('$count');
  const select = get('$select');
  return {
    ...(select !== undefined && {
      select: select
        .split(',')
        .map(s => s.trim())
        .filter(Boolean),
    }),
    ...(filterText !== undefined && {
      filter: parseFilter(filterText),
      filterText,
    }),
    ...(parsedTop !== undefined && { top: parsedTop }),
    count: count === 'true',
    ...(orderby !== undefined && {
      orderby: {
        property: orderby.trim().split(/\s+/)[0],
        descending: /\sdesc$/i.test(orderby.trim()),
      },
    }),
    ...(get('$search') !== undefined && { search: get('$search') }),
    ...(get('$expand') !== undefined && { expand: get('$expand') }),
    ...(params.get('$skiptoken') !== null && {
      skiptoken: params.get('$skiptoken')!,
    }),
    eventual:
      String(request.headers.consistencylevel ?? '').toLowerCase() ===
      'eventual',
    params,
  };
}

/** Directory queries that need advanced mode fail without ConsistencyLevel: eventual and $count=true. */
export function requireAdvancedIfNeeded(
  query: ODataQuery,
  options: { orderbyBasic?: string[] } = {},
): void {
  const advanced = query.eventual && query.count;
  if (advanced) return;
  const feature = query.filter?.advancedFeatures[0];
  if (feature) throw unsupportedQuery(`Operator '${feature}'`);
  if (query.search !== undefined)
    throw badRequest(
      "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
    );
  if (
    query.orderby &&
    !(options.orderbyBasic ?? []).includes(query.orderby.property.toLowerCase())
  ) {
    throw unsupportedQuery(`Sorting by '${query.orderby.property}'`);
  }
}

/** Keeps `id` plus the selected (or default) properties, matching names case-insensitively. */
export function project(
  item: Record<string, unknown>,
  select: string[] | undefined,
  defaults: readonly string[],
  keep: readonly string[] = [],
): Record<string, unknown> {
  const wanted = select ?? defaults;
  const out: Record<string, unknown> = {};
  for (const key of keep) if (key in item) out[key] = item[key];
  const lookup = new Map(Object.keys(item).map(k => [k.toLowerCase(), k]));
  for (const name of ['id', ...wanted]) {
    const key = lookup.get(name.toLowerCase());
    if (key !== undefined) out[key] = item[key];
  }
  return out;
}

/** Rejects $select names the type does not have (Graph: "Could not find a property named …"). */
export function checkSelect(
  select: string[] | undefined,
  known: readonly string[],
  typeName: string,
): void {
  if (!select) return;
  const lower = new Set(known.map(k => k.toLowerCase()));
  for (const name of select) {
    if (!lower.has(name.toLowerCase())) {
      throw badRequest(
        `Could not find a property named '${name}' on type 'microsoft.graph.${typeName}'.`,
      );
    }
  }
}

/** `$search="displayName:foo"` (and `OR`/`AND` of such terms): tokenized prefix match like Entra's search. */
export function searchPredicate(
  search: string | undefined,
): ((item: Record<string, unknown>) => boolean) | undefined {
  if (search === undefined) return undefined;
  const clauses = search.split(/\s+(AND|OR)\s+/);
  const terms: { property: string; value: string }[] = [];
  const joins: string[] = [];
  clauses.forEach((clause, i) => {
    if (i % 2 === 1) {
      joins.push(clause);
      return;
    }
    const m = /^"([^:"]+):([^"]*)"$/.exec(clause.trim());
    if (!m)
      throw badRequest(
        `Syntax error: character '${
          clause.trim()[0] ?? ''
        }' is not valid at position 0 in '${search}'.`,
      );
    terms.push({ property: m[1], value: m[2].toLowerCase() });
  });
  const match = (
    item: Record<string, unknown>,
    term: { property: string; value: string },
  ) => {
    const key = Object.keys(item).find(
      k => k.toLowerCase() === term.property.toLowerCase(),
    );
    const value = key ? item[key] : undefined;
    return (
      typeof value === 'string' &&
      value
        .toLowerCase()
        .split(/[\s._@-]+/)
        .some(word => word.startsWith(term.value))
    );
  };
  return item => {
    let result = match(item, terms[0]);
    joins.forEach((join, i) => {
      result =
        join === 'AND'
          ? result && match(item, terms[i + 1])
          : result || match(item, terms[i + 1]);
    });
    return result;
  };
}

/** The page of `items` this request asks for, with an absolute nextLink when more remain. */
export function pageOf<T>(
  request: EmulatorRequest,
  query: ODataQuery,
  items: readonly T[],
  defaultTop: number,
): { page: T[]; nextLink?: string } {
  const base = baseQuery(request);
  const offset =
    query.skiptoken === undefined
      ? 0
      : decodeSkipToken(query.skiptoken, base.signature);
  const size = query.top ?? defaultTop;
  const page = items.slice(offset, offset + size);
  if (offset + size >= items.length) return { page };
  const token = encodeSkipToken(offset + size, base.signature);
  const separator = base.query ? '&' : '';
  return {
    page,
    nextLink: `${request.origin}${request.url.pathname}?${base.query}${separator}$skiptoken=${token}`,
  };
}

/** The request's query string without `$skiptoken`, kept as the client sent it (and a signature of it). */
function baseQuery(request: EmulatorRequest): {
  query: string;
  signature: string;
} {
  const raw = request.rawUrl.includes('?')
    ? request.rawUrl.slice(request.rawUrl.indexOf('?') + 1)
    : '';
  const parts = raw
    .split('&')
    .filter(p => p && !/^(\$|%24)skiptoken=/i.test(p));
  const query = parts.join('&');
  return {
    query,
    signature: hexFrom(
      8,
      request.url.pathname,
      [...new URLSearchParams(query)].sort().join('&'),
    ),
  };
}

function encodeSkipToken(offset: number, signature: string): string {
  return toBase64Url(
    `${offset}.${hexFrom(8, 'skip', signature, String(offset))}`,
  );
}

function decodeSkipToken(token: string, signature: string): number {
  const text = fromBase64Url(token);
  const m = text ? /^(\d+)\.([0-9a-f]{8})$/.exec(text) : null;
  if (!m || hexFrom(8, 'skip', signature, m[1]) !== m[2]) {
    throw badRequest(`Invalid $skiptoken '${token}'.`, 'Request_BadRequest');
  }
  return Number(m[1]);
}

export function sortBy<T extends Record<string, unknown>>(
  items: T[],
  orderby: ODataQuery['orderby'],
): T[] {
  if (!orderby) return items;
  const key = orderby.property;
  const get = (item: T) => {
    const k = Object.keys(item).find(
      name => name.toLowerCase() === key.toLowerCase(),
    );
    const value = k ? item[k] : undefined;
    return typeof value === 'string'
      ? value.toLowerCase()
      : (value as number | undefined);
  };
  return [...items].sort((a, b) => {
    const x = get(a);
    const y = get(b);
    return orderby.descending ? -compareValues(x, y) : compareValues(x, y);
  });
}

/** Undefined sorts last. */
function compareValues(
  x: string | number | undefined,
  y: string | number | undefined,
): number {
  if (x === y) return 0;
  if (x === undefined) return 1;
  if (y === undefined) return -1;
  return x < y ? -1 : 1;
}
