/** How the UI treats a failed request. */
export type ErrorKind =
  | 'not-synced'
  | 'not-found'
  | 'forbidden'
  | 'invalid'
  | 'conflict'
  | 'unknown';

/** A failed request, reduced to what the UI needs. */
export interface DescribedError {
  kind: ErrorKind;
  /** The backend's own message when it sent one (the Backstage error body), else the error's message. */
  message: string;
  /** Seconds from a `Retry-After` header, when the backend sent one. */
  retryAfterSeconds?: number;
  /** For a 400 about one input field: the field's name as the request body spells it (`error.field`). */
  field?: string;
}

type MaybeResponseError = Error & {
  statusCode?: number;
  body?: { error?: { name?: string; message?: string; field?: string } };
  response?: {
    status?: number;
    headers?: { get(name: string): string | null };
  };
  cause?: unknown;
};

const KIND_BY_STATUS: Record<number, ErrorKind> = {
  503: 'not-synced',
  404: 'not-found',
  403: 'forbidden',
  400: 'invalid',
  409: 'conflict',
};

const KIND_BY_NAME: Record<string, ErrorKind> = {
  ServiceUnavailableError: 'not-synced',
  NotFoundError: 'not-found',
  NotAllowedError: 'forbidden',
  InputError: 'invalid',
  ConflictError: 'conflict',
};

/**
 * Classifies an error from the aws-access client: a `ResponseError` (status code and Backstage error body), or an
 * error whose `name` is a Backstage error name (NotAllowedError, NotFoundError, ServiceUnavailableError, InputError,
 * ConflictError).
 */
export function describeError(error: Error): DescribedError {
  const e = error as MaybeResponseError;
  const status = e.statusCode ?? e.response?.status;
  const remoteName = e.body?.error?.name;
  const kind =
    (status !== undefined ? KIND_BY_STATUS[status] : undefined) ??
    (remoteName ? KIND_BY_NAME[remoteName] : undefined) ??
    KIND_BY_NAME[e.name] ??
    'unknown';
  const message = e.body?.error?.message || e.message;
  const retryAfter = Number(e.response?.headers?.get?.('retry-after') ?? NaN);
  const field = e.body?.error?.field;
  return {
    kind,
    message,
    retryAfterSeconds:
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    ...(typeof field === 'string' && field ? { field } : {}),
  };
}
