import type { SourceName } from '../../snapshot/model';
import type { RequestStats } from './RequestStats';
import { SourceError } from './SourceError';
import { sleep } from './RequestBudget';

/** How a failed request should be treated. */
export interface FailureClass {
  kind: 'throttled' | 'transient' | 'fatal';
  /** Short class name for run history (e.g. ThrottlingException, timeout, malformed-response). */
  errorClass: string;
  /** Server-provided wait, in milliseconds (Retry-After / RetryAfterSeconds). */
  retryAfterMs?: number;
}

const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'LimitExceededException',
]);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function retryAfterFromHeader(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(String(value));
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function errorCode(error: any): string | undefined {
  const code = error?.code ?? error?.cause?.code ?? error?.cause?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A network error code named in an error's text (`socket hang up` is how Node reports ECONNRESET). */
function networkCodeIn(text: string): string | undefined {
  if (/socket hang up/i.test(text)) return 'ECONNRESET';
  return /\b(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|UND_ERR_SOCKET|UND_ERR_CONNECT_TIMEOUT)\b/.exec(
    text,
  )?.[1];
}

/**
 * What went wrong when Graph gave no error answer: the Graph client wraps network errors, timeouts and
 * unparsable bodies in a GraphError that keeps the original's name in `code` and its text in `message` and
 * `body` (or the original itself in `body`, when it comes from another realm).
 */
function graphFailureDetail(error: any): {
  name?: string;
  text: string;
  code?: string;
} {
  const body = error?.body;
  const inner = body && typeof body === 'object' ? body : undefined;
  const text = [
    error?.message,
    inner?.message,
    typeof body === 'string' ? body : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  return {
    name:
      (typeof error?.code === 'string' ? error.code : undefined) ??
      inner?.name ??
      error?.name,
    text,
    code: errorCode(inner) ?? errorCode(error) ?? networkCodeIn(text),
  };
}

/** Classifies AWS SDK v3 errors (retries are ours: clients run with maxAttempts 1). */
export function classifyAwsError(error: any): FailureClass {
  const status: number | undefined =
    error?.$metadata?.httpStatusCode ?? error?.$response?.statusCode;
  const name: string = error?.name ?? 'Error';
  const retryAfterMs =
    typeof error?.RetryAfterSeconds === 'number'
      ? error.RetryAfterSeconds * 1000
      : retryAfterFromHeader(error?.$response?.headers?.['retry-after']);
  if (
    status === 429 ||
    THROTTLING_NAMES.has(name) ||
    error?.$retryable?.throttling
  ) {
    return { kind: 'throttled', errorClass: name, retryAfterMs };
  }
  // The HTTP handler names connection resets TimeoutError too (its own request timeout is ETIMEDOUT): the network
  // code says what happened. An error that crossed a realm boundary reaches us as a wrapper with only its text
  // (`… socket hang up`).
  const timedOut =
    name === 'TimeoutError' ||
    name === 'RequestTimeout' ||
    name === 'RequestTimeoutException';
  const code = errorCode(error) ?? networkCodeIn(String(error?.message));
  if (code && NETWORK_CODES.has(code) && !(timedOut && code === 'ETIMEDOUT'))
    return { kind: 'transient', errorClass: code };
  if (timedOut) return { kind: 'transient', errorClass: 'timeout' };
  if (status !== undefined && status >= 500 && status !== 501) {
    return { kind: 'transient', errorClass: name, retryAfterMs };
  }
  if (
    error instanceof SyntaxError ||
    /Deserialization|Unexpected (end|token)|JSON/i.test(String(error?.message))
  ) {
    return { kind: 'fatal', errorClass: 'malformed-response' };
  }
  return { kind: 'fatal', errorClass: name };
}

/** Classifies Microsoft Graph client and network errors. */
export function classifyGraphError(error: any): FailureClass {
  const status: number | undefined = error?.statusCode;
  const retryAfterMs = retryAfterFromHeader(
    error?.headers?.get?.('retry-after') ?? error?.headers?.['retry-after'],
  );
  if (status === 429) {
    return {
      kind: 'throttled',
      errorClass: error?.code ?? 'TooManyRequests',
      retryAfterMs,
    };
  }
  if (status === 503 || status === 504 || status === 502 || status === 500) {
    return {
      kind: 'transient',
      errorClass: error?.code ?? `http-${status}`,
      retryAfterMs,
    };
  }
  if (status === 401)
    return {
      kind: 'fatal',
      errorClass: error?.code ?? 'InvalidAuthenticationToken',
    };
  if (
    status === 410 ||
    error?.code === 'syncStateNotFound' ||
    error?.code === 'resyncRequired'
  ) {
    return { kind: 'fatal', errorClass: 'delta-token-expired' };
  }
  // No Graph error answer: a network failure, a timeout, or a body that is not JSON.
  const detail = graphFailureDetail(error);
  if (
    error?.name === 'TimeoutError' ||
    error?.name === 'AbortError' ||
    detail.name === 'TimeoutError' ||
    detail.name === 'AbortError' ||
    detail.code === 'UND_ERR_HEADERS_TIMEOUT' ||
    /aborted due to timeout/i.test(detail.text)
  ) {
    return { kind: 'transient', errorClass: 'timeout' };
  }
  if (detail.code && NETWORK_CODES.has(detail.code))
    return { kind: 'transient', errorClass: detail.code };
  if (
    error instanceof SyntaxError ||
    detail.name === 'SyntaxError' ||
    /JSON|Unexpected (end|token)/i.test(detail.text)
  ) {
    return { kind: 'fatal', errorClass: 'malformed-response' };
  }
  // The request never got an answer (fetch failed without a code we know): a network failure, retried.
  if (status === -1) return { kind: 'transient', errorClass: 'network-error' };
  return {
    kind: 'fatal',
    errorClass:
      error?.code ?? (status ? `http-${status}` : error?.name ?? 'Error'),
  };
}

export interface RetryOptions {
  source: SourceName;
  operation: string;
  stats: RequestStats;
  classify: (error: unknown) => FailureClass;
  signal?: AbortSignal;
  /** Epoch ms by which the run must finish; no retry waits past it. */
  deadline?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
}

/**
 * Calls `fn` and retries throttling and transient failures with jittered exponential backoff, honouring the
 * server's Retry-After. Gives up (with a {@link SourceError}) when attempts run out or waiting would pass the
 * run's deadline.
 */
export async function callWithRetries<T>(
  fn: () => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 5;
  const base = options.baseDelayMs ?? 250;
  const cap = options.maxDelayMs ?? 20_000;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    options.stats.request(options.source, options.operation);
    try {
      return await fn();
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      const failure = options.classify(error);
      const message = `${options.operation} failed: ${
        (error as Error)?.message ?? String(error)
      }`;
      if (failure.kind === 'fatal' || attempt >= maxAttempts) {
        throw new SourceError({
          source: options.source,
          errorClass:
            failure.kind === 'fatal'
              ? failure.errorClass
              : `${failure.errorClass} (retries exhausted)`,
          message:
            failure.kind === 'fatal'
              ? message
              : `${message} (after ${attempt} attempts)`,
          cause: error,
        });
      }
      // Full jitter, but never earlier than the server asked.
      const backoff = random() * Math.min(cap, base * 2 ** (attempt - 1));
      const delay = Math.max(failure.retryAfterMs ?? 0, backoff);
      if (
        options.deadline !== undefined &&
        Date.now() + delay > options.deadline
      ) {
        throw new SourceError({
          source: options.source,
          errorClass: `${failure.errorClass} (deadline)`,
          message: `${message}; retrying would pass the run's deadline`,
          cause: error,
        });
      }
      options.stats.retry(options.source, failure.kind === 'throttled');
      await sleep(delay, options.signal);
    }
  }
}
