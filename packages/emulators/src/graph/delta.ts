import { jsonReply } from '../http';
import { fromBase64Url, toBase64Url } from '../ids';
import type { World } from '../state/World';
import type { GraphContext, RouteDef } from './context';
import { badRequest, GraphError } from './errors';
import { parseFilter } from './filter';
import { checkSelect, project } from './odata';
import {
  GROUP_DEFAULT,
  GROUP_PROPERTIES,
  groupResource,
  USER_DEFAULT,
  USER_PROPERTIES,
  userResource,
} from './resources';

/*
 * Delta queries on /users/delta and /groups/delta. The first call enumerates everything (paged by nextLinks,
 * ending in a deltaLink); a deltaLink returns only what changed since: changed objects, `@removed` objects, and
 * for groups `members@delta` with `@removed` for members taken out. `$deltatoken=latest` returns just a deltaLink.
 * Tokens are positions in the directory's change journal; after a reset (or POST /_emulator/graph/delta/expire)
 * they are answered with 410 like expired sync state.
 */

interface DeltaState {
  /** users | groups */
  k: 'users' | 'groups';
  /** journal generation */
  g: string;
  /** changes after this sequence number (-1: initial enumeration) */
  s: number;
  /** up to this sequence number */
  u: number;
  /** offset into this round's items */
  o: number;
  sel?: string;
  f?: string;
}

const encode = (state: DeltaState) => toBase64Url(JSON.stringify(state));

function decode(
  token: string,
  kind: DeltaState['k'],
  generation: string,
): DeltaState {
  let state: DeltaState | undefined;
  try {
    state = JSON.parse(fromBase64Url(token) ?? '');
  } catch {
    state = undefined;
  }
  if (!state || state.k !== kind || typeof state.s !== 'number') {
    throw new GraphError(
      410,
      'resyncRequired',
      'The delta token is not valid for this resource; restart the synchronization from the beginning.',
    );
  }
  if (state.g !== generation) {
    throw new GraphError(
      410,
      'syncStateNotFound',
      'The sync state generation is not found. The delta token is expired and data must be synchronized again.',
    );
  }
  return state;
}

/**
 * The page size of a delta round: the `Prefer: odata.maxpagesize` asked for, capped by Graph's own limit (200
 * objects), and whether the preference was honoured (only then does Graph answer `Preference-Applied`).
 */
function pageSize(ctx: GraphContext): { size: number; applied?: string } {
  const prefer = String(ctx.request.headers.prefer ?? '');
  const m = /odata\.maxpagesize=(\d+)/i.exec(prefer);
  const { graphDefaultPageSize, graphMaxDeltaPageSize } = ctx.world.settings;
  if (!m)
    return { size: Math.min(graphMaxDeltaPageSize, graphDefaultPageSize) };
  const asked = Math.max(1, Number(m[1]));
  return asked <= graphMaxDeltaPageSize
    ? { size: asked, applied: `odata.maxpagesize=${asked}` }
    : { size: graphMaxDeltaPageSize };
}

function handler(kind: DeltaState['k']) {
  return (ctx: GraphContext) => {
    const { world, query } = ctx;
    const { journal } = world.entra;
    const params = query.params;
    const deltaToken =
      params.get('$deltatoken') ?? params.get('$deltaToken') ?? undefined;
    const link = (name: 'deltatoken' | 'skiptoken', state: DeltaState) =>
      `${ctx.request.origin}/v1.0/${kind}/delta?$${name}=${encode(state)}`;
    const context = `${ctx.request.origin}/v1.0/$metadata#${kind}`;

    if (deltaToken?.toLowerCase() === 'latest') {
      return jsonReply(200, {
        '@odata.context': context,
        '@odata.deltaLink': link('deltatoken', {
          k: kind,
          g: journal.generation,
          s: journal.seq,
          u: journal.seq,
          o: 0,
        }),
        value: [],
      });
    }
    let state: DeltaState;
    if (deltaToken !== undefined) {
      const previous = decode(deltaToken, kind, journal.generation);
      state = { ...previous, s: previous.s, u: journal.seq, o: 0 };
    } else if (query.skiptoken !== undefined) {
      state = decode(query.skiptoken, kind, journal.generation);
    } else {
      checkSelect(
        query.select,
        kind === 'users' ? USER_PROPERTIES : GROUP_PROPERTIES,
        kind === 'users' ? 'user' : 'group',
      );
      if (query.top !== undefined || query.orderby || query.expand)
        throw badRequest(
          `$top, $orderby and $expand are not supported on ${kind} delta queries.`,
        );
      if (query.filterText && !query.filter?.idsOnly)
        throw badRequest(
          "Delta queries support only $filter=id eq '…' (up to 50 ids).",
        );
      state = {
        k: kind,
        g: journal.generation,
        s: -1,
        u: journal.seq,
        o: 0,
        ...(query.select && { sel: query.select.join(',') }),
        ...(query.filterText && { f: query.filterText }),
      };
    }

    const items = roundItems(ctx, state);
    const { size, applied } = pageSize(ctx);
    const page = items.slice(state.o, state.o + size);
    const body: Record<string, unknown> = { '@odata.context': context };
    if (state.o + size < items.length)
      body['@odata.nextLink'] = link('skiptoken', {
        ...state,
        o: state.o + size,
      });
    else
      body['@odata.deltaLink'] = link('deltatoken', {
        ...state,
        s: state.u,
        o: 0,
      });
    body.value = page;
    return jsonReply(
      200,
      body,
      applied ? { 'preference-applied': applied } : {},
    );
  };
}

const rounds = new WeakMap<World, Map<string, Record<string, unknown>[]>>();

/**
 * The items of one delta round, computed on its first page and reused for the next ones: a round is fixed by
 * its journal range, so 100,000 users page in linear time.
 */
function roundItems(
  ctx: GraphContext,
  state: DeltaState,
): Record<string, unknown>[] {
  let cache = rounds.get(ctx.world);
  if (!cache) rounds.set(ctx.world, (cache = new Map()));
  const key = JSON.stringify({ ...state, o: 0 });
  let items = cache.get(key);
  if (!items) {
    items =
      state.k === 'users' ? userItems(ctx, state) : groupItems(ctx, state);
    if (cache.size >= 20) cache.delete(cache.keys().next().value!);
    cache.set(key, items);
  }
  return items;
}

function idFilter(state: DeltaState): Set<string> | undefined {
  return state.f ? new Set(parseFilter(state.f).idsOnly) : undefined;
}

/** Ids changed in (s, u], in journal order, with the net member changes of each group. */
function changes(ctx: GraphContext, state: DeltaState) {
  const changed = new Map<
    string,
    Map<string, { type: 'user' | 'group'; removed: boolean }>
  >();
  for (const entry of ctx.world.entra.journal.between(
    state.k === 'users' ? 'user' : 'group',
    state.s,
    state.u,
  )) {
    let members = changed.get(entry.id);
    if (!members) changed.set(entry.id, (members = new Map()));
    if (entry.member)
      members.set(entry.member.id, {
        type: entry.member.type,
        removed: entry.member.removed,
      });
  }
  return changed;
}

function userItems(
  ctx: GraphContext,
  state: DeltaState,
): Record<string, unknown>[] {
  const select = state.sel?.split(',');
  const ids = idFilter(state);
  const { entra } = ctx.world;
  if (state.s < 0) {
    return entra
      .liveUsers()
      .filter(u => !ids || ids.has(u.id))
      .map(u => project(userResource(u), select, USER_DEFAULT));
  }
  const out: Record<string, unknown>[] = [];
  for (const id of changes(ctx, state).keys()) {
    if (ids && !ids.has(id)) continue;
    const user = entra.users.get(id);
    if (!user) out.push({ id, '@removed': { reason: 'deleted' } });
    else if (user.deletedMs !== undefined)
      out.push({ id, '@removed': { reason: 'changed' } });
    else out.push(project(userResource(user), select, USER_DEFAULT));
  }
  return out;
}

type MemberChange = { id: string; type: 'user' | 'group'; removed: boolean };

const memberRef = (m: MemberChange) => ({
  '@odata.type': `#microsoft.graph.${m.type}`,
  id: m.id,
  ...(m.removed && { '@removed': { reason: 'deleted' } }),
});

function chunked<T>(items: T[], size: number): T[][] {
  if (size <= 0 || items.length === 0) return items.length ? [items] : [];
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(items.slice(i, i + size));
  return out;
}

/**
 * Graph's way with large groups: the members in chunks, additions and removals in chunks of their own, the group
 * repeated once per chunk with only its id except the last, which carries the properties (so a reader meets the
 * members before the group). The chunks go out in waves (every group's first chunk, then every second chunk…),
 * so one group's chunks land on different pages.
 */
function scatterChunks(
  groups: { resource: Record<string, unknown>; members?: MemberChange[] }[],
  chunkSize: number,
): Record<string, unknown>[] {
  const waves: Record<string, unknown>[][] = [];
  for (const { resource, members } of groups) {
    const chunks = members
      ? [
          ...chunked(
            members.filter(m => !m.removed),
            chunkSize,
          ),
          ...chunked(
            members.filter(m => m.removed),
            chunkSize,
          ),
        ]
      : [];
    if (chunks.length <= 1) {
      (waves[0] ??= []).push(
        chunks.length
          ? { ...resource, 'members@delta': chunks[0].map(memberRef) }
          : resource,
      );
      continue;
    }
    chunks.forEach((chunk, i) => {
      const head = i === chunks.length - 1 ? resource : { id: resource.id };
      (waves[i] ??= []).push({
        ...head,
        'members@delta': chunk.map(memberRef),
      });
    });
  }
  return waves.flat();
}

function groupItems(
  ctx: GraphContext,
  state: DeltaState,
): Record<string, unknown>[] {
  const select = state.sel?.split(',');
  const withMembers =
    !select || select.some(s => s.toLowerCase() === 'members');
  const ids = idFilter(state);
  const { entra, domain } = ctx.world;
  const render = (groupId: string, members: MemberChange[] | undefined) => {
    const group = entra.groups.get(groupId);
    if (!group)
      return { resource: { id: groupId, '@removed': { reason: 'deleted' } } };
    const resource = project(
      groupResource(group, domain),
      select?.filter(s => s.toLowerCase() !== 'members'),
      GROUP_DEFAULT,
    );
    return { resource, members: withMembers ? members : undefined };
  };
  const chunkSize = ctx.world.settings.graphDeltaMembersChunkSize;
  if (state.s < 0) {
    return scatterChunks(
      entra.groups
        .values()
        .filter(g => !ids || ids.has(g.id))
        .map(g =>
          render(
            g.id,
            entra.directMembers(g.id).map(m => ({ ...m, removed: false })),
          ),
        ),
      chunkSize,
    );
  }
  const out: ReturnType<typeof render>[] = [];
  for (const [id, members] of changes(ctx, state)) {
    if (ids && !ids.has(id)) continue;
    out.push(
      render(
        id,
        [...members].map(([memberId, m]) => ({ id: memberId, ...m })),
      ),
    );
  }
  return scatterChunks(out, chunkSize);
}

export const deltaRoutes: RouteDef[] = [
  { method: 'GET', pattern: '/v1.0/users/delta', handler: handler('users') },
  { method: 'GET', pattern: '/v1.0/groups/delta', handler: handler('groups') },
];
