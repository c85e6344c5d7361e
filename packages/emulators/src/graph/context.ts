import type { EmulatorRequest, Reply } from '../http';
import { jsonReply, textReply } from '../http';
import type { EmulatorRuntime } from '../runtime';
import type { World } from '../state/World';
import { badRequest } from './errors';
import type { ODataQuery } from './odata';
import {
  checkSelect,
  pageOf,
  project,
  requireAdvancedIfNeeded,
  searchPredicate,
  sortBy,
} from './odata';

/** What a Graph route handler gets. */
export interface GraphContext {
  request: EmulatorRequest;
  runtime: EmulatorRuntime;
  world: World;
  params: Record<string, string>;
  query: ODataQuery;
  /** OData cast segment (`/members/microsoft.graph.user`). */
  cast?: 'user' | 'group';
  /** A trailing `/$count` segment. */
  countOnly: boolean;
  /** The calling app (appid claim of the token). */
  appId: string;
}

export type GraphHandler = (ctx: GraphContext) => Reply | Promise<Reply>;

export interface RouteDef {
  method: 'GET' | 'POST' | 'DELETE';
  /** `/v1.0/users/{id}/memberOf`; `{…}` matches one path segment. */
  pattern: string;
  /** Application permissions (token `roles`) of which the caller needs one; absent = the read permissions. */
  requires?: readonly string[];
  handler: GraphHandler;
}

export function contextUrl(ctx: GraphContext, entitySet: string): string {
  const select = ctx.query.select ? `(${ctx.query.select.join(',')})` : '';
  return `${ctx.request.origin}/v1.0/$metadata#${entitySet}${select}`;
}

export function single(
  ctx: GraphContext,
  entitySet: string,
  body: Record<string, unknown>,
): Reply {
  return jsonReply(200, {
    '@odata.context': `${contextUrl(ctx, entitySet)}/$entity`,
    ...body,
  });
}

interface CollectionOptions {
  /** Entity set for `@odata.context` (`users`, `directoryObjects`). */
  entitySet: string;
  /** Default properties per `@odata.type` (or for plain collections under ''). */
  defaults: Record<string, readonly string[]>;
  /** Properties $select may name; omit to skip the check. */
  known?: { names: readonly string[]; typeName: string };
  /** Directory collections enforce advanced query rules; audit logs do not. */
  directory: boolean;
  orderbyBasic?: string[];
  /** Raw items are cached per World version (big tenants page through the same filtered list). */
  cacheKey?: string;
}

const caches = new WeakMap<
  World,
  Map<string, { version: string; items: Record<string, unknown>[] }>
>();

function version(world: World): string {
  return `${world.entra.users.version}:${world.entra.groups.version}:${world.entra.journal.seq}`;
}

/** Filters, searches, sorts, counts, pages and projects a collection the way Graph does. */
export function collection(
  ctx: GraphContext,
  source: () => Record<string, unknown>[],
  options: CollectionOptions,
): Reply {
  const { query } = ctx;
  if (options.known)
    checkSelect(query.select, options.known.names, options.known.typeName);
  if (options.directory)
    requireAdvancedIfNeeded(query, { orderbyBasic: options.orderbyBasic });
  const compute = () => {
    let items = source();
    if (ctx.cast)
      items = items.filter(
        i => i['@odata.type'] === `#microsoft.graph.${ctx.cast}`,
      );
    if (query.filter) items = items.filter(i => query.filter!.test(i));
    const search = searchPredicate(query.search);
    if (search) items = items.filter(search);
    return sortBy(items, query.orderby);
  };
  let items: Record<string, unknown>[];
  if (options.cacheKey) {
    const key = [
      options.cacheKey,
      ctx.request.url.pathname,
      query.filterText,
      query.search,
      query.orderby?.property,
      query.orderby?.descending,
      ctx.cast,
    ].join('|');
    let cache = caches.get(ctx.world);
    if (!cache) caches.set(ctx.world, (cache = new Map()));
    const v = version(ctx.world);
    const hit = cache.get(key);
    if (hit && hit.version === v) items = hit.items;
    else {
      items = compute();
      if (cache.size > 50) cache.clear();
      cache.set(key, { version: v, items });
    }
  } else {
    items = compute();
  }

  if (ctx.countOnly) {
    if (!query.eventual) throw badRequest('$count is not currently supported.');
    return textReply(200, String(items.length));
  }
  const { page, nextLink } = pageOf(
    ctx.request,
    query,
    items,
    ctx.world.settings.graphDefaultPageSize,
  );
  const value = page.map(item => {
    const type =
      typeof item['@odata.type'] === 'string'
        ? (item['@odata.type'] as string)
        : '';
    return project(
      item,
      query.select,
      options.defaults[type] ?? options.defaults[''] ?? [],
      type ? ['@odata.type'] : [],
    );
  });
  const body: Record<string, unknown> = {
    '@odata.context': contextUrl(ctx, options.entitySet),
  };
  if (query.count && query.eventual) body['@odata.count'] = items.length;
  if (nextLink) body['@odata.nextLink'] = nextLink;
  body.value = value;
  return jsonReply(200, body);
}
