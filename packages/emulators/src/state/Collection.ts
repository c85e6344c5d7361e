/**
 * A keyed collection that keeps insertion order and hands out a cached array of its values, so paging through
 * 100,000 users costs one slice per page rather than one copy per page.
 */
export class Collection<T> {
  readonly #items = new Map<string, T>();
  #cache: T[] | undefined;
  #version = 0;

  get size(): number {
    return this.#items.size;
  }

  /** Changes on every write; cursors and caches compare it. */
  get version(): number {
    return this.#version;
  }

  get(key: string): T | undefined {
    return this.#items.get(key);
  }

  has(key: string): boolean {
    return this.#items.has(key);
  }

  set(key: string, value: T): void {
    this.#items.set(key, value);
    this.touch();
  }

  delete(key: string): boolean {
    const deleted = this.#items.delete(key);
    if (deleted) this.touch();
    return deleted;
  }

  /** Call after mutating an item in place, so cached views are rebuilt. */
  touch(): void {
    this.#cache = undefined;
    this.#version++;
  }

  values(): readonly T[] {
    if (!this.#cache) {
      this.#cache = Array.from(this.#items.values());
    }
    return this.#cache;
  }

  keys(): IterableIterator<string> {
    return this.#items.keys();
  }
}

const EMPTY: ReadonlySet<string> = new Set();

/** A many-to-many index (group → members, member → groups) with insertion order preserved. */
export class Relation {
  readonly #forward = new Map<string, Set<string>>();
  readonly #backward = new Map<string, Set<string>>();

  add(from: string, to: string): boolean {
    let set = this.#forward.get(from);
    if (!set) {
      set = new Set();
      this.#forward.set(from, set);
    }
    if (set.has(to)) return false;
    set.add(to);
    let back = this.#backward.get(to);
    if (!back) {
      back = new Set();
      this.#backward.set(to, back);
    }
    back.add(from);
    return true;
  }

  remove(from: string, to: string): boolean {
    const set = this.#forward.get(from);
    if (!set?.delete(to)) return false;
    this.#backward.get(to)?.delete(from);
    return true;
  }

  has(from: string, to: string): boolean {
    return this.#forward.get(from)?.has(to) ?? false;
  }

  targets(from: string): ReadonlySet<string> {
    return this.#forward.get(from) ?? EMPTY;
  }

  sources(to: string): ReadonlySet<string> {
    return this.#backward.get(to) ?? EMPTY;
  }
}
