/**
 * The emulators' clock. It starts at the scenario's `now` (or real time), runs at real speed, and can be advanced
 * through the control API so tests can cross provisioning intervals and token lifetimes without sleeping.
 */
export class Clock {
  readonly #startMs: number;
  readonly #realStartMs: number;
  #offsetMs = 0;

  static create(options: { start?: Date | string } = {}): Clock {
    return new Clock(options);
  }

  private constructor(options: { start?: Date | string }) {
    this.#realStartMs = Date.now();
    this.#startMs =
      options.start !== undefined
        ? new Date(options.start).getTime()
        : this.#realStartMs;
  }

  /** The clock at creation: the scenario's `now` exactly, so load-time history has exact times. */
  get startMs(): number {
    return this.#startMs;
  }

  nowMs(): number {
    return this.#startMs + (Date.now() - this.#realStartMs) + this.#offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  iso(ms: number = this.nowMs()): string {
    return new Date(ms).toISOString();
  }

  advance(seconds: number): void {
    this.#offsetMs += seconds * 1000;
  }

  get offsetSeconds(): number {
    return this.#offsetMs / 1000;
  }
}
