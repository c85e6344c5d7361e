/**
 * Work written as a generator that yields between small steps (one record, one entity, one array element), so it
 * can run either at once or in slices that give the event loop back. At 100,000 people a derivation or a
 * projection step takes seconds of CPU: run at once in a backend's process, every plugin's requests and health
 * probes would wait (issue 18).
 *
 * @alpha
 */
export type Sliced<T> = Generator<void, T, void>;

/**
 * How long a slice runs before the event loop gets a turn.
 *
 * @alpha
 */
export const SLICE_MS = 10;

/**
 * Runs sliced work to the end without pausing (tests, and small work done on request).
 *
 * @alpha
 */
export function runAtOnce<T>(work: Sliced<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}

/**
 * Gives the event loop a turn whenever a slice has run `sliceMs`, for sliced work ({@link EventLoopSlices.run})
 * and for async loops that check {@link EventLoopSlices.due} between steps. Counts the turns it gave.
 *
 * @alpha
 */
export class EventLoopSlices {
  readonly #sliceMs: number;
  #sliceStart = performance.now();
  /** The turns given so far. */
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

/**
 * Runs sliced work with a turn for the event loop whenever a slice has run `sliceMs`: the result
 * {@link runAtOnce} returns, the same code only with pauses between steps.
 *
 * @alpha
 */
export function runInSlices<T>(
  work: Sliced<T>,
  sliceMs = SLICE_MS,
): Promise<T> {
  return new EventLoopSlices(sliceMs).run(work);
}
