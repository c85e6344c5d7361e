import { randomUUID } from 'node:crypto';
import type { Reply } from '../http';
import { jsonReply } from '../http';

export type AwsService = 'sso-admin' | 'identitystore' | 'organizations';

/** An error the emulated service answers with; `code` is the modeled error shape's name. */
export class AwsError extends Error {
  readonly code: string;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    code: string,
    message: string,
    extra: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.code = code;
    this.extra = extra;
    this.headers = headers;
  }
}

// HTTP status of each error shape (Smithy httpError traits, protocols.md §1.4).
const STATUS: Record<string, number> = {
  ValidationException: 400,
  InvalidInputException: 400,
  SerializationException: 400,
  UnknownOperationException: 400,
  ExpiredTokenException: 400,
  UnrecognizedClientException: 400,
  ConstraintViolationException: 400,
  ServiceQuotaExceededException: 402,
  AccessDeniedException: 403,
  InvalidSignatureException: 403,
  ResourceNotFoundException: 404,
  AWSOrganizationsNotInUseException: 404,
  AccountNotFoundException: 404,
  TargetNotFoundException: 404,
  ParentNotFoundException: 404,
  ChildNotFoundException: 404,
  OrganizationalUnitNotFoundException: 404,
  ConflictException: 409,
  ThrottlingException: 429,
  TooManyRequestsException: 429,
  InternalServerException: 500,
  ServiceException: 500,
};

const NAMESPACE: Record<AwsService, string> = {
  'sso-admin': 'com.amazonaws.swbexternalservice',
  identitystore: 'com.amazonaws.identitystore',
  organizations: 'com.amazonaws.organizations.v20161128',
};

export function awsErrorReply(
  service: AwsService,
  error: AwsError,
  requestId = randomUUID(),
): Reply {
  const ns = NAMESPACE[service];
  const body: Record<string, unknown> = {
    __type: `${ns}#${error.code}`,
    Message: error.message,
    ...error.extra,
  };
  if (
    service === 'identitystore' &&
    !['UnknownOperationException', 'SerializationException'].includes(
      error.code,
    )
  ) {
    body.RequestId = requestId;
  }
  return jsonReply(
    STATUS[error.code] ?? 400,
    body,
    {
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': `${error.code}:http://internal.amazon.com/coral/${ns}/`,
      ...error.headers,
    },
    'application/x-amz-json-1.1',
  );
}

/** The service's throttling error with Retry-After (and Identity Store's RetryAfterSeconds member). */
export function throttlingError(
  service: AwsService,
  retryAfterSeconds: number,
): AwsError {
  const headers = { 'retry-after': String(retryAfterSeconds) };
  if (service === 'organizations') {
    return new AwsError(
      'TooManyRequestsException',
      "AWS Organizations can't complete your request because another request is already in progress. Try again later.",
      { Type: 'TooManyRequestsException' },
      headers,
    );
  }
  return new AwsError(
    'ThrottlingException',
    'Rate exceeded',
    service === 'identitystore' ? { RetryAfterSeconds: retryAfterSeconds } : {},
    headers,
  );
}

export function internalError(service: AwsService): AwsError {
  if (service === 'organizations') {
    return new AwsError(
      'ServiceException',
      "AWS Organizations can't complete your request because of an internal service error. Try again later.",
    );
  }
  return new AwsError(
    'InternalServerException',
    'The request processing has failed because of an unknown error, exception or failure with an internal server.',
    service === 'identitystore' ? { RetryAfterSeconds: 1 } : {},
  );
}

export function accessDenied(
  service: AwsService,
  operation: string,
  account: string,
): AwsError {
  if (service === 'organizations') {
    return new AwsError(
      'AccessDeniedException',
      "You don't have permissions to access this resource.",
    );
  }
  return new AwsError(
    'AccessDeniedException',
    `User: arn:aws:sts::${account}:assumed-role/emulator is not authorized to perform: ${
      service === 'sso-admin' ? 'sso' : 'identitystore'
    }:${operation}`,
  );
}

export function notFound(
  service: AwsService,
  message: string,
  extra: Record<string, unknown> = {},
): AwsError {
  return new AwsError(
    'ResourceNotFoundException',
    message,
    service === 'identitystore' ? extra : {},
  );
}
