import { randomUUID } from 'node:crypto';
import type { ApiCall } from '../events/CloudTrail';
import { camelMembers } from '../events/CloudTrail';
import { MALFORMED_BODY, truncate } from '../faults/FaultInjector';
import type { EmulatorRequest, Reply } from '../http';
import { jsonReply } from '../http';
import type { EmulatorRuntime } from '../runtime';
import type { AwsHandler } from './context';
import { createContext } from './context';
import type { AwsService } from './errors';
import {
  accessDenied,
  AwsError,
  awsErrorReply,
  internalError,
  throttlingError,
} from './errors';
import { identityStoreHandlers } from './identityStore';
import { organizationsHandlers } from './organizations';
import { ssoAdminHandlers } from './ssoAdmin';
import { ssoAdminAsyncHandlers } from './ssoAdminAsync';
import { handleSts, stsAction, stsErrorReply } from './sts';
import {
  handleSqsJson,
  handleSqsQuery,
  SQS_TARGET_PREFIX,
  sqsQueryAction,
} from '../sqs/router';

/*
 * The AWS endpoint: one port, dispatched on `X-Amz-Target` (`<prefix>.<Operation>`, awsJson1_1) like moto's
 * server mode; STS requests (awsQuery, no target header) are recognised by their form-encoded `Action`.
 * Around every operation: counters, faults, rate limits, then the handler.
 */

const SERVICES: Record<
  string,
  { service: AwsService; handlers: Record<string, AwsHandler> }
> = {
  SWBExternalService: {
    service: 'sso-admin',
    handlers: { ...ssoAdminHandlers, ...ssoAdminAsyncHandlers },
  },
  AWSIdentityStore: {
    service: 'identitystore',
    handlers: identityStoreHandlers,
  },
  AWSOrganizationsV20161128: {
    service: 'organizations',
    handlers: organizationsHandlers,
  },
};

/** The writes CloudTrail records (and EventBridge delivers) per service, by their event source. */
const RECORDED_WRITES: Partial<
  Record<AwsService, { eventSource: string; operations: Set<string> }>
> = {
  'sso-admin': {
    eventSource: 'sso.amazonaws.com',
    operations: new Set([
      'CreateAccountAssignment',
      'DeleteAccountAssignment',
      'ProvisionPermissionSet',
      'UpdatePermissionSet',
    ]),
  },
};

/** The access key from a SigV4 Authorization header (the emulator does not verify signatures). */
function accessKeyOf(request: EmulatorRequest): string | undefined {
  const auth = request.headers.authorization;
  return auth ? /Credential=([^/,\s]+)\//.exec(auth)?.[1] : undefined;
}

// The signing name of each service (the SigV4 credential scope's service).
const SIGNING_NAME: Record<AwsService, string> = {
  'sso-admin': 'sso',
  identitystore: 'identitystore',
  organizations: 'organizations',
};

/** Organizations answers in one region per partition (its "global" endpoint), whatever the caller's region. */
function organizationsRegion(identityCenterRegion: string): string {
  if (identityCenterRegion.startsWith('cn-')) return 'cn-northwest-1';
  if (identityCenterRegion.startsWith('us-gov-')) return 'us-gov-west-1';
  return 'us-east-1';
}

/**
 * What a real endpoint says to a request signed for another region or service: sso-admin and identitystore live in
 * the instance's region, Organizations in its partition's. The signature itself is not verified.
 */
function scopeError(
  request: EmulatorRequest,
  service: AwsService,
  identityCenterRegion: string,
): AwsError | undefined {
  const auth = request.headers.authorization;
  const scope = auth
    ? /Credential=[^/,\s]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth)
    : null;
  if (!scope) return undefined;
  const [, region, signingName] = scope;
  const expected =
    service === 'organizations'
      ? organizationsRegion(identityCenterRegion)
      : identityCenterRegion;
  if (region !== expected)
    return new AwsError(
      'InvalidSignatureException',
      `Credential should be scoped to a valid region, not '${region}'. `,
    );
  if (signingName !== SIGNING_NAME[service])
    return new AwsError(
      'InvalidSignatureException',
      `Credential should be scoped to correct service: '${SIGNING_NAME[service]}'. `,
    );
  return undefined;
}

const delay = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

export async function handleAws(
  request: EmulatorRequest,
  runtime: EmulatorRuntime,
): Promise<Reply> {
  const target = request.headers['x-amz-target'];
  const body = request.body.toString('utf8');
  if (typeof target === 'string' && target.startsWith(`${SQS_TARGET_PREFIX}.`))
    return handleSqsJson(
      request,
      runtime,
      target.slice(SQS_TARGET_PREFIX.length + 1),
    );
  const sqsAction =
    request.method === 'POST' ? sqsQueryAction(request, body) : undefined;
  if (sqsAction) return handleSqsQuery(request, runtime, sqsAction, body);
  if (!target && request.method === 'POST' && stsAction(body)) {
    return handleStsRequest(request, runtime, body);
  }
  if (request.method !== 'POST' || typeof target !== 'string') {
    return jsonReply(
      400,
      {
        __type: 'UnknownOperationException',
        message: 'Missing or invalid X-Amz-Target header',
      },
      {},
      'application/x-amz-json-1.1',
    );
  }
  const [prefix, operation = ''] = target.split('.');
  const entry = SERVICES[prefix];
  if (!entry) {
    return jsonReply(
      400,
      { __type: 'UnknownOperationException' },
      { 'x-amzn-requestid': randomUUID() },
      'application/x-amz-json-1.1',
    );
  }
  const { service, handlers } = entry;
  runtime.counters.count(service, operation);
  const requestId = randomUUID();
  const fail = (error: AwsError) => {
    if (
      error.code === 'ThrottlingException' ||
      error.code === 'TooManyRequestsException'
    )
      runtime.counters.throttled(service, operation);
    return awsErrorReply(service, error, requestId);
  };
  const misSigned = scopeError(
    request,
    service,
    runtime.world.scenario.identityCenter.region,
  );
  if (misSigned) return fail(misSigned);

  const fault = runtime.faults.match(service, [operation]);
  if (fault) {
    switch (fault.kind) {
      case 'timeout':
        return { kind: 'hang' };
      case 'reset':
        return { kind: 'reset' };
      case 'http500':
        return fail(internalError(service));
      case 'throttle':
        return fail(throttlingError(service, fault.retryAfterSeconds ?? 1));
      case 'expired-token':
        return fail(
          new AwsError(
            'ExpiredTokenException',
            'The security token included in the request is expired',
          ),
        );
      case 'access-denied':
        return fail(
          accessDenied(
            service,
            operation,
            runtime.world.organization.managementAccountId,
          ),
        );
      case 'latency':
        await delay(fault.delayMs ?? 1000);
        break;
      default:
        break;
    }
  }

  const limited = runtime.rateLimits.take(
    service === 'organizations' ? [service] : ['aws', service],
  );
  if (!limited.ok)
    return fail(throttlingError(service, limited.retryAfterSeconds));

  const handler = handlers[operation];
  if (!handler) {
    return awsErrorReply(
      service,
      new AwsError(
        'UnknownOperationException',
        `Operation ${operation} is not supported by this emulator`,
      ),
      requestId,
    );
  }
  const { world } = runtime;
  const session = world.sessions.get(accessKeyOf(request) ?? '');
  if (session) {
    if (session.expiresMs <= world.clock.nowMs())
      return fail(
        new AwsError(
          'ExpiredTokenException',
          'The security token included in the request is expired',
        ),
      );
    // Identity Center and Organizations are read from the management (or delegated admin) account only.
    if (session.accountId !== world.organization.managementAccountId)
      return fail(accessDenied(service, operation, session.accountId));
  }

  let input: Record<string, unknown>;
  try {
    input = body.trim() === '' ? {} : JSON.parse(body);
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      throw new Error('not an object');
  } catch {
    return fail(
      new AwsError(
        'SerializationException',
        'Start of structure or map found where not expected.',
      ),
    );
  }

  world.settle();
  const recorded = RECORDED_WRITES[service];
  const record = (call: Omit<ApiCall, 'eventSource' | 'eventName'>) => {
    if (!recorded?.operations.has(operation)) return;
    world.trail.record({
      eventSource: recorded.eventSource,
      eventName: operation,
      userAgent: request.headers['user-agent'],
      accessKeyId: accessKeyOf(request),
      ...call,
    });
  };
  let reply: Reply;
  try {
    const output = handler(
      input,
      createContext({
        service,
        operation,
        world,
        emptyPage: fault?.kind === 'empty-page',
        asyncFailure: fault?.kind === 'async-failure',
      }),
    );
    const headers = {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': requestId,
    };
    reply = {
      kind: 'response',
      status: 200,
      headers,
      body: JSON.stringify(output),
    };
    record({
      requestParameters: camelMembers(input) as Record<string, unknown>,
      responseElements: camelMembers(output) as Record<string, unknown>,
    });
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    reply = fail(error);
    record({
      requestParameters: camelMembers(input) as Record<string, unknown>,
      responseElements: null,
      errorCode: error.code,
      errorMessage: error.message,
    });
  }
  return mangle(reply, fault?.kind);
}

/** A broken proxy mangles error answers as much as successful ones. */
function mangle(reply: Reply, kind: string | undefined): Reply {
  if (reply.kind !== 'response') return reply;
  if (kind === 'malformed')
    return { ...reply, status: 200, body: MALFORMED_BODY };
  if (kind === 'truncated')
    return { ...reply, body: truncate(String(reply.body)) };
  return reply;
}

async function handleStsRequest(
  request: EmulatorRequest,
  runtime: EmulatorRuntime,
  body: string,
): Promise<Reply> {
  const action = stsAction(body)!;
  runtime.counters.count('sts', action);
  const fault = runtime.faults.match('sts', [action]);
  if (fault?.kind === 'timeout') return { kind: 'hang' };
  if (fault?.kind === 'reset') return { kind: 'reset' };
  if (fault?.kind === 'throttle') {
    runtime.counters.throttled('sts', action);
    return stsErrorReply('Throttling', 'Rate exceeded');
  }
  if (fault?.kind === 'http500')
    return stsErrorReply('InternalFailure', 'An internal error occurred', 500);
  if (fault?.kind === 'expired-token')
    return stsErrorReply(
      'ExpiredToken',
      'The security token included in the request is expired',
    );
  const limited = runtime.rateLimits.take(['sts']);
  if (!limited.ok) {
    runtime.counters.throttled('sts', action);
    return stsErrorReply('Throttling', 'Rate exceeded');
  }
  return handleSts(body, {
    world: runtime.world,
    accessKeyId: accessKeyOf(request),
  });
}
