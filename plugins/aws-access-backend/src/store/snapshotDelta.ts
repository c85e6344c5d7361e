import type { Sliced } from '../snapshot/slices';
import { jsonPieces } from './slicedJson';

/*
 * A snapshot as the change from an earlier one, so a steady sync that changed 1 % of the people writes about 1 % of
 * the snapshot. Generic over the snapshot's shape: the top object and its members (`identity`, `aws`,
 * `gapsFirstSeen`, …) are compared member by member; every array down to there (users, groups, assignments,
 * accounts, findings, …) element by element. An array's patch says where each element of the new array comes from:
 * a run of the base array (so unchanged records cost a few bytes whatever their order), the base's record of the
 * same natural id with a patch (a group that gained a member), or a new record. Applying the patch to the base gives
 * the new snapshot with the same members in the same order, so its JSON text is the committed one's (the store
 * checks that by its SHA-256).
 */

type Json = unknown;
type JsonObject = Record<string, Json>;

/**
 * A run of the base array's elements, `[start, count]`, elements that are new, `{ v: [...] }`, or the base's element
 * `i` with a patch, `{ i, d }`.
 */
export type ArrayOp =
  | [number, number]
  | { v: Json[] }
  | { i: number; d: Patch };

export type Patch =
  /** The value is replaced (or added). */
  | { '=': Json }
  /** Members changed (`m`), removed (`r`), and the order of the members when it is not the base's plus new ones. */
  | { m: Record<string, Patch>; r?: string[]; k?: string[] }
  /** The array, built from runs of the base array, patched base records and new elements. */
  | { a: ArrayOp[] };

/** Objects this shallow are compared member by member; deeper values are compared and stored whole. */
const MEMBER_DEPTH = 2;
/** Arrays this shallow are compared element by element. */
const ARRAY_DEPTH = 3;
/** A changed record is compared as if it sat here: its lists (a group's members) element by element, its objects whole. */
const RECORD_DEPTH = MEMBER_DEPTH - 1;

const isObject = (value: Json): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/*
 * Members are listed, looked up and ordered a step per member: one object can be a map of 100,000 gap ages, whose
 * passes at once block for tens of milliseconds each.
 */

/** The members JSON.stringify writes, in its order. */
function* jsonKeys(object: JsonObject): Sliced<string[]> {
  const keys: string[] = [];
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (
      value !== undefined &&
      typeof value !== 'function' &&
      typeof value !== 'symbol'
    )
      keys.push(key);
    yield;
  }
  return keys;
}

function* setOf(keys: readonly string[]): Sliced<Set<string>> {
  const set = new Set<string>();
  for (const key of keys) {
    set.add(key);
    yield;
  }
  return set;
}

const text = (value: Json) => JSON.stringify(value) ?? 'null';

/** Where next's JSON text goes piece by piece while it is compared; undefined where nobody needs it. */
type Emit = ((piece: string) => void) | undefined;

/**
 * The patch that turns `base` into `next`, or undefined when their JSON is the same. With `emit`, next's JSON text
 * is handed over on the way (the pieces concatenate to JSON.stringify(next)), made of the texts the records are
 * compared by: the store's content checksum then needs no second stringify of every record.
 */
export function diffJson(
  base: Json,
  next: Json,
  emit?: (piece: string) => void,
): Sliced<Patch | undefined> {
  return diffValue(base, next, 0, false, emit);
}

/** `inRecord`: within a changed record, whose lists are not patched record by record again. */
function* diffValue(
  base: Json,
  next: Json,
  depth: number,
  inRecord: boolean,
  emit: Emit,
): Sliced<Patch | undefined> {
  if (base === next) {
    if (emit) yield* jsonPieces(next, emit);
    return undefined;
  }
  if (isObject(base) && isObject(next) && depth < MEMBER_DEPTH)
    return yield* diffObject(base, next, depth, inRecord, emit);
  if (Array.isArray(base) && Array.isArray(next) && depth < ARRAY_DEPTH)
    return yield* diffArray(base, next, !inRecord, emit);
  const nextText = text(next);
  emit?.(nextText);
  return text(base) === nextText ? undefined : { '=': next };
}

function* diffObject(
  base: JsonObject,
  next: JsonObject,
  depth: number,
  inRecord: boolean,
  emit: Emit,
): Sliced<Patch | undefined> {
  const baseKeys = yield* jsonKeys(base);
  const nextKeys = yield* jsonKeys(next);
  const inNext = yield* setOf(nextKeys);
  const m: Record<string, Patch> = {};
  let changed = false;
  emit?.('{');
  for (const [n, key] of nextKeys.entries()) {
    emit?.(`${n > 0 ? ',' : ''}${JSON.stringify(key)}:`);
    let patch: Patch | undefined;
    if (key in base && base[key] !== undefined)
      patch = yield* diffValue(base[key], next[key], depth + 1, inRecord, emit);
    else {
      if (emit) yield* jsonPieces(next[key], emit);
      patch = { '=': next[key] };
    }
    if (patch) {
      m[key] = patch;
      changed = true;
    }
    yield;
  }
  emit?.('}');
  const r: string[] = [];
  for (const key of baseKeys) {
    if (!inNext.has(key)) r.push(key);
    yield;
  }
  const order = yield* memberOrder(baseKeys, r, Object.keys(m));
  let reordered = order.length !== nextKeys.length;
  for (let i = 0; !reordered && i < order.length; i++) {
    reordered = order[i] !== nextKeys[i];
    yield;
  }
  if (!changed && r.length === 0 && !reordered) return undefined;
  return {
    m,
    ...(r.length > 0 && { r }),
    ...(reordered && { k: nextKeys }),
  };
}

/** The members' order after a patch without `k`: the base's kept members, then the added ones in patch order. */
function* memberOrder(
  baseKeys: string[],
  removed: string[],
  patched: string[],
): Sliced<string[]> {
  const gone = yield* setOf(removed);
  const order: string[] = [];
  for (const key of baseKeys) {
    if (!gone.has(key)) order.push(key);
    yield;
  }
  const kept = yield* setOf(order);
  for (const key of patched) {
    if (!kept.has(key)) order.push(key);
    yield;
  }
  return order;
}

/** A record's natural id (`id`, or `arn` for permission sets), by which a changed record is patched. */
function naturalId(value: Json): string | undefined {
  if (!isObject(value)) return undefined;
  const id = value.id ?? value.arn;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Runs of the base array and new elements. With `byId`, a record that changed but keeps its natural id is stored as
 * a patch of the base record (a group that gained a member: the member, not the group's whole member list).
 */
function* diffArray(
  base: Json[],
  next: Json[],
  byId: boolean,
  emit: Emit,
): Sliced<Patch | undefined> {
  const baseTexts: string[] = [];
  const firstAt = new Map<string, number>();
  const idAt = new Map<string, number>();
  for (let i = 0; i < base.length; i++) {
    const t = text(base[i]);
    baseTexts.push(t);
    if (!firstAt.has(t)) firstAt.set(t, i);
    const id = byId ? naturalId(base[i]) : undefined;
    if (id !== undefined && !idAt.has(id)) idAt.set(id, i);
    yield;
  }
  const ops: ArrayOp[] = [];
  let run: [number, number] | undefined;
  let added: { v: Json[] } | undefined;
  emit?.('[');
  for (const [n, element] of next.entries()) {
    if (n > 0) emit?.(',');
    const end = run ? run[0] + run[1] : -1;
    if (run && end < base.length && element === base[end]) {
      emit?.(baseTexts[end]);
      run[1]++;
      yield;
      continue;
    }
    const t = text(element);
    emit?.(t);
    if (run && end < base.length && baseTexts[end] === t) {
      run[1]++;
      yield;
      continue;
    }
    const at = firstAt.get(t);
    if (at !== undefined) {
      added = undefined;
      ops.push((run = [at, 1]));
      yield;
      continue;
    }
    run = undefined;
    const id = byId ? naturalId(element) : undefined;
    const was = id === undefined ? undefined : idAt.get(id);
    const patch =
      was === undefined
        ? undefined
        : yield* diffObject(
            base[was] as JsonObject,
            element as JsonObject,
            RECORD_DEPTH,
            true,
            undefined,
          );
    if (patch && text(patch).length < t.length) {
      added = undefined;
      ops.push({ i: was!, d: patch });
    } else {
      if (!added) ops.push((added = { v: [] }));
      added.v.push(element);
    }
    yield;
  }
  emit?.(']');
  const same =
    next.length === base.length &&
    (ops.length === 0 ||
      (ops.length === 1 &&
        Array.isArray(ops[0]) &&
        ops[0][0] === 0 &&
        ops[0][1] === base.length));
  return same ? undefined : { a: ops };
}

/**
 * `base` with the patch applied. The result shares unchanged records with `base` (snapshots are never changed in
 * place); `base` itself is left as it was.
 */
export function applyPatch(base: Json, patch: Patch | undefined): Sliced<Json> {
  return applyValue(base, patch);
}

function* applyValue(base: Json, patch: Patch | undefined): Sliced<Json> {
  if (!patch) return base;
  if ('=' in patch) return patch['='];
  if ('m' in patch) {
    if (!isObject(base)) throw new Error('a member patch on a non-object');
    const order =
      patch.k ??
      (yield* memberOrder(
        yield* jsonKeys(base),
        patch.r ?? [],
        Object.keys(patch.m),
      ));
    const result: JsonObject = {};
    for (const key of order) {
      const value =
        key in patch.m ? yield* applyValue(base[key], patch.m[key]) : base[key];
      if (key === '__proto__')
        Object.defineProperty(result, key, {
          value,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      else result[key] = value;
      yield;
    }
    return result;
  }
  if (!Array.isArray(base)) throw new Error('an array patch on a non-array');
  const result: Json[] = [];
  for (const op of patch.a) {
    if (Array.isArray(op)) {
      const [start, count] = op;
      if (start < 0 || start + count > base.length)
        throw new Error('a run beyond the base array');
      for (let i = start; i < start + count; i++) {
        result.push(base[i]);
        yield;
      }
    } else if ('v' in op) {
      for (const element of op.v) result.push(element);
      yield;
    } else {
      if (!(op.i >= 0 && op.i < base.length))
        throw new Error('a patched element beyond the base array');
      result.push(yield* applyValue(base[op.i], op.d));
      yield;
    }
  }
  return result;
}
