/**
 * Work written as a generator that yields between small steps (one record, one entity), so it can run either
 * at once or in slices that give the event loop back. At 100,000 people the projection's steps take seconds of
 * CPU in the catalog's process: run at once, every plugin's requests and health probes would wait (issue 18).
 */
export type Sliced<T> = Generator<void, T, void>;

/** How long a slice runs before the event loop gets a turn. */
export const SLICE_MS = 10;

/** Runs sliced work to the end without pausing (the steps' own tests call the steps this way). */
export function runAtOnce<T>(work: Sliced<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}

/**
 * Gives the event loop a turn whenever a slice has run `sliceMs`, for sliced work ({@link EventLoopSlices.run})
 * and for async loops that check {@link EventLoopSlices.due} between steps. Counts the turns it gave.
 */
export class EventLoopSlices {
  readonly #sliceMs: number;
  #sliceStart = performance.now();
  turns = 0;

  constructor(sliceMs = SLICE_MS) {
    this.#sliceMs = sliceMs;
  }

  /** Whether the current slice has run its time. */
  due(): boolean {
    return performance.now() - this.#sliceStart >= this.#sliceMs;
  }

  /** Lets the event loop run (timers, I/O, other requests), then starts a new slice. */
  async turn(): Promise<void> {
    await new Promise<void>(resolve => setImmediate(resolve));
    this.turns += 1;
    this.#sliceStart = performance.now();
  }

  /** Runs sliced work to the end with a turn whenever a slice is due: the result {@link runAtOnce} returns. */
  async run<T>(work: Sliced<T>): Promise<T> {
    for (;;) {
      const step = work.next();
      if (step.done) return step.value;
      if (this.due()) await this.turn();
    }
  }
}
