import { randomUUID } from 'node:crypto';
import type { Reply } from '../http';
import { jsonReply } from '../http';

/** A Graph error: `{ error: { code, message, innerError: { date, request-id, client-request-id } } }`. */
export class GraphError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

export function graphErrorReply(
  error: GraphError,
  clientRequestId?: string,
): Reply {
  const requestId = randomUUID();
  return jsonReply(
    error.status,
    {
      error: {
        code: error.code,
        message: error.message,
        innerError: {
          date: new Date().toISOString().replace(/\.\d+Z$/, ''),
          'request-id': requestId,
          'client-request-id': clientRequestId ?? requestId,
        },
      },
    },
    {
      'request-id': requestId,
      'client-request-id': clientRequestId ?? requestId,
      ...error.headers,
    },
  );
}

export const badRequest = (message: string, code = 'Request_BadRequest') =>
  new GraphError(400, code, message);

export const notFound = (id: string) =>
  new GraphError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );

export const unsupportedQuery = (what: string) =>
  new GraphError(
    400,
    'Request_UnsupportedQuery',
    `${what} is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
  );

export const throttled = (retryAfterSeconds: number) =>
  new GraphError(
    429,
    'TooManyRequests',
    'Too many requests. Please retry after the number of seconds in the Retry-After header.',
    {
      'retry-after': String(retryAfterSeconds),
    },
  );

export const invalidToken = (message: string) =>
  new GraphError(401, 'InvalidAuthenticationToken', message, {
    'www-authenticate':
      'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
  });

/** 403 as Graph answers an app whose token lacks the permission a route needs. */
export const insufficientPrivileges = () =>
  new GraphError(
    403,
    'Authorization_RequestDenied',
    'Insufficient privileges to complete the operation.',
  );
