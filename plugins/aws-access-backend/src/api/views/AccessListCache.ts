import type { AccessIndex } from '../../snapshot/AccessIndex';

/** What a cached list must say about itself: how many rows it holds, and until when its states hold. */
export interface CacheableList {
  rowCount: number;
  /** Epoch ms: the last moment the list is still what a fresh build would give. */
  validUntil: number;
}

/** Which list is asked for, and how to tell whether a kept one was built from the same inputs. */
export interface CachedListRequest<I> {
  /** The list with its sort and filters: one entry each. */
  key: string;
  /** What the list is built from in the given index; kept with the list. */
  inputs: () => I;
  /** Whether the inputs a kept list was built from (in an earlier index) are this index's: the same list. */
  unchanged: (kept: I) => boolean;
}

/** Lists kept at most; each is one (list, sort, filters) of the served index. */
export const ACCESS_LIST_CACHE_MAX_LISTS = 64;
/** Rows kept at most over all lists (a row is a reference to a person and one grant, about 100 bytes). */
export const ACCESS_LIST_CACHE_MAX_ROWS = 500_000;

interface Entry {
  list: CacheableList;
  inputs: unknown;
  /** The index the entry was built for or last found unchanged in (its serial: an entry must not pin an index). */
  index: number;
}

const serials = new WeakMap<AccessIndex, number>();
let lastSerial = 0;

function serialOf(index: AccessIndex): number {
  let serial = serials.get(index);
  if (serial === undefined) {
    serial = ++lastSerial;
    serials.set(index, serial);
  }
  return serial;
}

/**
 * The sorted and filtered rows of the access lists the served index answered lately, so that the next page of a
 * long list (a 200-member team holds tens of thousands of grants) is a slice instead of a rebuild and a sort.
 * A new snapshot version keeps an entry whose inputs did not change: the Entra refresh and targeted refreshes
 * commit often, and each touches a few people, so most teams' lists stay as they were. An entry is dropped once
 * a state in it would change with the clock (a pending gap turning stuck), and the least recently used go first
 * past the bounds.
 */
export class AccessListCache {
  readonly #lists = new Map<string, Entry>();
  #rows = 0;

  constructor(
    private readonly limits = {
      maxLists: ACCESS_LIST_CACHE_MAX_LISTS,
      maxRows: ACCESS_LIST_CACHE_MAX_ROWS,
    },
  ) {}

  /** The list `request` names in this index, built by `build` unless a still valid one is kept. */
  get<T extends CacheableList, I>(
    index: AccessIndex,
    request: CachedListRequest<I>,
    now: Date,
    build: () => T,
  ): T {
    const serial = serialOf(index);
    const kept = this.#lists.get(request.key);
    if (kept) {
      this.#delete(request.key, kept);
      // Comparing the inputs is a pass over the list's people: once per list and index, not per page.
      const unchanged =
        kept.index === serial || request.unchanged(kept.inputs as I);
      if (unchanged && now.getTime() <= kept.list.validUntil) {
        this.#keep(request.key, { ...kept, index: serial });
        return kept.list as T;
      }
    }
    const list = build();
    if (list.rowCount <= this.limits.maxRows) {
      this.#keep(request.key, {
        list,
        inputs: request.inputs(),
        index: serial,
      });
      this.#evict();
    }
    return list;
  }

  /** How many lists are kept (for tests and diagnostics). */
  get size(): number {
    return this.#lists.size;
  }

  #keep(key: string, entry: Entry) {
    this.#lists.set(key, entry);
    this.#rows += entry.list.rowCount;
  }

  #evict() {
    for (const [key, entry] of this.#lists) {
      if (
        this.#lists.size <= this.limits.maxLists &&
        this.#rows <= this.limits.maxRows
      )
        return;
      this.#delete(key, entry);
    }
  }

  #delete(key: string, entry: Entry) {
    this.#lists.delete(key);
    this.#rows -= entry.list.rowCount;
  }
}
