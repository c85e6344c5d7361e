/**
 * Work written once as a generator that yields between small steps (one user, one group, one array element),
 * so it can run either at once or in slices that give the event loop back. At 20,000 people a derivation takes
 * seconds of CPU: run at once in the backend's process, every plugin's requests and health probes would wait.
 */
export type Sliced<T> = Generator<void, T, void>;

/** How long a slice runs before the event loop gets a turn. */
export const SLICE_MS = 10;

/** Runs sliced work to the end without pausing (tests, and small snapshots built on request). */
export function runAtOnce<T>(work: Sliced<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}

const nextTurn = () => new Promise<void>(resolve => setImmediate(resolve));

/**
 * Runs sliced work, yielding to the event loop whenever a slice has run `sliceMs`. The result is the one
 * {@link runAtOnce} returns: the same code runs, only with pauses between steps.
 */
export async function runInSlices<T>(
  work: Sliced<T>,
  sliceMs = SLICE_MS,
): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
}
