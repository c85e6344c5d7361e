import type { MappingIssue } from './types';

/**
 * What one projection build had to say about its records: the issues (in the order the steps met them) and
 * how many records were left out. Every step writes to the same report, so one warning list reaches the log.
 */
export class MappingReport {
  readonly issues: MappingIssue[] = [];
  #skipped = 0;

  /** Records that could not be turned into an entity. */
  get skipped(): number {
    return this.#skipped;
  }

  /** A record kept with a change (renamed, owner defaulted, a tag ignored). */
  note(subject: string, message: string): void {
    this.issues.push({ subject, message });
  }

  /** A record left out, and why. */
  skip(subject: string, message: string): void {
    this.#skipped += 1;
    this.note(subject, message);
  }

  /** A record left out because it got no entity name: the name allocation already noted why. */
  skipUnnamed(): void {
    this.#skipped += 1;
  }
}
