import { randomBytes } from 'node:crypto';

/** One change to a directory object, in the order Graph delta queries replay them. */
export interface JournalEntry {
  seq: number;
  type: 'user' | 'group';
  id: string;
  /** Set for membership changes of a group. */
  member?: { id: string; type: 'user' | 'group'; removed: boolean };
}

/**
 * The change log behind `/users/delta` and `/groups/delta`. A delta token is a position in this log; the
 * generation changes on reset (or on request) so old tokens are answered with 410 like expired ones.
 */
export class DeltaJournal {
  readonly #entries: JournalEntry[] = [];
  #seq = 0;
  #generation = DeltaJournal.#newGeneration();

  static create(): DeltaJournal {
    return new DeltaJournal();
  }

  private constructor() {}

  static #newGeneration(): string {
    return randomBytes(4).toString('hex');
  }

  get seq(): number {
    return this.#seq;
  }

  get generation(): string {
    return this.#generation;
  }

  /** Makes every issued delta token unusable (Graph: syncStateNotFound). */
  expireTokens(): void {
    this.#generation = DeltaJournal.#newGeneration();
  }

  #recording = true;

  /** Loading a scenario is not a change: the first delta call enumerates the loaded state anyway. */
  withoutRecording(fn: () => void): void {
    this.#recording = false;
    try {
      fn();
    } finally {
      this.#recording = true;
    }
  }

  record(entry: Omit<JournalEntry, 'seq'>): void {
    if (!this.#recording) return;
    this.#entries.push({ ...entry, seq: ++this.#seq });
  }

  /** Entries of one object type with `after < seq <= upTo`. */
  between(type: 'user' | 'group', after: number, upTo: number): JournalEntry[] {
    let lo = 0;
    let hi = this.#entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#entries[mid].seq <= after) lo = mid + 1;
      else hi = mid;
    }
    const out: JournalEntry[] = [];
    for (
      let i = lo;
      i < this.#entries.length && this.#entries[i].seq <= upTo;
      i++
    ) {
      if (this.#entries[i].type === type) out.push(this.#entries[i]);
    }
    return out;
  }
}
