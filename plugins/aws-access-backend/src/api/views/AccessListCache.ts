import type { AccessIndex } from '../../snapshot/AccessIndex';

/** What a cached list must say about itself: how many rows it holds, and until when its states hold. */
export interface CacheableList {
  rowCount: number;
  /** Epoch ms: the last moment the list is still what a fresh build would give. */
  validUntil: number;
}

/** Lists kept at most; each is one (list, sort, filters) of the served index. */
export const ACCESS_LIST_CACHE_MAX_LISTS = 64;
/** Rows kept at most over all lists (a row is a reference to a person and one grant, about 100 bytes). */
export const ACCESS_LIST_CACHE_MAX_ROWS = 500_000;

/**
 * The sorted and filtered rows of the access lists the served index answered lately, so that the next page of a
 * long list (a 200-member team holds tens of thousands of grants) is a slice instead of a rebuild and a sort.
 * Entries belong to one index: a new snapshot empties the cache. An entry is dropped once a state in it would
 * change with the clock (a pending gap turning stuck), and the least recently used go first past the bounds.
 */
export class AccessListCache {
  #index?: AccessIndex;
  readonly #lists = new Map<string, CacheableList>();
  #rows = 0;

  constructor(
    private readonly limits = {
      maxLists: ACCESS_LIST_CACHE_MAX_LISTS,
      maxRows: ACCESS_LIST_CACHE_MAX_ROWS,
    },
  ) {}

  /** The list under `key` for this index, built by `build` unless a still valid one is kept. */
  get<T extends CacheableList>(
    index: AccessIndex,
    key: string,
    now: Date,
    build: () => T,
  ): T {
    if (this.#index !== index) {
      this.#clear();
      this.#index = index;
    }
    const kept = this.#lists.get(key);
    if (kept) {
      this.#delete(key, kept);
      if (now.getTime() <= kept.validUntil) {
        this.#lists.set(key, kept);
        this.#rows += kept.rowCount;
        return kept as T;
      }
    }
    const list = build();
    if (list.rowCount <= this.limits.maxRows) {
      this.#lists.set(key, list);
      this.#rows += list.rowCount;
      this.#evict();
    }
    return list;
  }

  /** How many lists are kept (for tests and diagnostics). */
  get size(): number {
    return this.#lists.size;
  }

  #evict() {
    for (const [key, list] of this.#lists) {
      if (
        this.#lists.size <= this.limits.maxLists &&
        this.#rows <= this.limits.maxRows
      )
        return;
      this.#delete(key, list);
    }
  }

  #delete(key: string, list: CacheableList) {
    this.#lists.delete(key);
    this.#rows -= list.rowCount;
  }

  #clear() {
    this.#lists.clear();
    this.#rows = 0;
  }
}
