import type { SourceName } from '../../snapshot/model';

/**
 * A read from one source failed after the retries it deserved. Carries the source and an error class
 * (ThrottlingException, timeout, malformed-response, ...) for the run history and sync status.
 */
export class SourceError extends Error {
  readonly source: SourceName;
  readonly errorClass: string;

  constructor(options: {
    source: SourceName;
    errorClass: string;
    message: string;
    cause?: unknown;
  }) {
    super(`${options.source}: ${options.message}`, { cause: options.cause });
    this.name = 'SourceError';
    this.source = options.source;
    this.errorClass = options.errorClass;
  }
}
