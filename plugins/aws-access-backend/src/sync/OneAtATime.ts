/**
 * Runs tasks one after another, in the order they were given. A task's failure is its caller's and does not stop
 * the tasks after it; a task that overruns `maxWaitMs` no longer holds the next one back (a read that hangs must not
 * stop every later task), so use it only where running side by side is slower, never wrong.
 */
export class OneAtATime {
  readonly #maxWaitMs: number;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(options: { maxWaitMs: number }) {
    this.#maxWaitMs = options.maxWaitMs;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = waitAtMost(this.#tail, this.#maxWaitMs).then(task);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

/** Settles when `before` settles or after `ms`, whichever comes first. */
function waitAtMost(before: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<void>(resolve => {
    timer = setTimeout(resolve, ms);
    timer.unref?.();
  });
  return Promise.race([before.then(() => undefined), overrun]).finally(() =>
    clearTimeout(timer),
  );
}
