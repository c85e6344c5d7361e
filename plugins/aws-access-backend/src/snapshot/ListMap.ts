/**
 * Keys to lists of objects where nearly every list holds one: a single object is kept as it is and an array is
 * made only for a second one. The index's lookups of people by name and email hold 500,000 lists at 100,000
 * people; as arrays they were a million more objects for every major GC to mark while a sync reads.
 */
export class ListMap<V extends object> {
  // A value that is itself an array would read as a list: V is for records (persons), never arrays.
  readonly #entries = new Map<string, V | V[]>();

  /** Adds a value to a key's list; `once` leaves the list as it is when the value is in it already. */
  add(key: string, value: V, options?: { once?: boolean }) {
    const held = this.#entries.get(key);
    if (held === undefined) {
      this.#entries.set(key, value);
    } else if (!Array.isArray(held)) {
      if (!(options?.once && held === value))
        this.#entries.set(key, [held, value]);
    } else if (!(options?.once && held.includes(value))) {
      held.push(value);
    }
  }

  /** The key's list in the order added; empty for an unknown key. */
  get(key: string): V[] {
    const held = this.#entries.get(key);
    if (held === undefined) return [];
    return Array.isArray(held) ? held.slice() : [held];
  }

  /** The keys holding more than one value, each with its list. */
  *several(): Generator<[string, V[]]> {
    for (const [key, held] of this.#entries)
      if (Array.isArray(held)) yield [key, held.slice()];
  }
}
