type Waiting<I, R> = {
  item: I;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
};

/**
 * Runs work in turns, one turn at a time, in the order it was asked for; everything asked for while a turn runs is
 * taken together by the next turn (one turn for many callers: a targeted refresh's commit derives the whole index,
 * so two refreshes waiting are cheaper committed as one). The turn answers each item; when it throws, every item of
 * that turn fails with its error, and the turns after it still run. A turn that overruns `maxWaitMs` no longer holds
 * the next one back (a read that hangs must not stop every later turn), so use it only where running side by side
 * is slower, never wrong.
 */
export class TurnsTakenTogether<I, R> {
  readonly #maxWaitMs: number;
  readonly #turn: (items: I[]) => Promise<R[]>;
  #tail: Promise<unknown> = Promise.resolve();
  /** The items of the turn that has not begun yet; undefined when none is waiting. */
  #next: Array<Waiting<I, R>> | undefined;

  constructor(options: {
    maxWaitMs: number;
    turn: (items: I[]) => Promise<R[]>;
  }) {
    this.#maxWaitMs = options.maxWaitMs;
    this.#turn = options.turn;
  }

  run(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (!this.#next) this.#next = this.#schedule();
      this.#next.push({ item, resolve, reject });
    });
  }

  /** A new turn after the last one; it takes what was asked for until it begins. */
  #schedule(): Array<Waiting<I, R>> {
    const waiting: Array<Waiting<I, R>> = [];
    const turn = waitAtMost(this.#tail, this.#maxWaitMs).then(async () => {
      this.#next = undefined;
      const results = await this.#turn(waiting.map(w => w.item));
      if (results.length !== waiting.length)
        throw new Error(
          `A turn answered ${results.length} of its ${waiting.length} items`,
        );
      return results;
    });
    this.#tail = turn.catch(() => undefined);
    turn.then(
      results => waiting.forEach((w, i) => w.resolve(results[i])),
      error => waiting.forEach(w => w.reject(error)),
    );
    return waiting;
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
