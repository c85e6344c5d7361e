import { randomUUID } from 'node:crypto';
import { MALFORMED_BODY, truncate } from '../faults/FaultInjector';
import type { EmulatorRequest, Reply } from '../http';
import { jsonReply } from '../http';
import type { EmulatorRuntime } from '../runtime';
import { auditLogRoutes } from './auditLogs';
import {
  authenticate,
  jwks,
  managedIdentity,
  openIdConfiguration,
  tokenEndpoint,
} from './auth';
import type { GraphContext, RouteDef } from './context';
import { deltaRoutes } from './delta';
import { directoryRoutes } from './directory';
import {
  GraphError,
  graphErrorReply,
  insufficientPrivileges,
  invalidToken,
  throttled,
} from './errors';
import { membershipRoutes } from './membership';
import { pimRoutes } from './pim';
import { parseQuery } from './odata';
import { servicePrincipalRoutes } from './servicePrincipals';
import { synchronizationRoutes } from './synchronization';

/*
 * The Graph + login endpoint (HTTPS). Login routes (OIDC metadata, token, JWKS, managed identity) are counted as
 * `login`; Graph routes as `graph` under their method + path template. Around each Graph call: faults, bearer
 * token check, per-app rate limit, then the route.
 */

interface CompiledRoute extends RouteDef {
  regex: RegExp;
  keys: string[];
}

const ROUTES: CompiledRoute[] = [
  ...deltaRoutes,
  ...directoryRoutes,
  ...membershipRoutes,
  ...pimRoutes,
  ...servicePrincipalRoutes,
  ...synchronizationRoutes,
  ...auditLogRoutes,
].map(route => {
  const keys: string[] = [];
  const source = route.pattern
    .split('/')
    .map(segment => {
      const m = /^\{(\w+)\}$/.exec(segment);
      if (!m) return segment.replace(/[.$()]/g, c => `\\${c}`);
      keys.push(m[1]);
      return '([^/]+)';
    })
    .join('/');
  return { ...route, regex: new RegExp(`^${source}$`, 'i'), keys };
});

const delay = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

export async function handleGraph(
  request: EmulatorRequest,
  runtime: EmulatorRuntime,
): Promise<Reply> {
  const path = request.url.pathname.replace(/\/+$/, '') || '/';
  const login = loginRoute(request, runtime, path);
  if (login) return login;

  const clientRequestId =
    typeof request.headers['client-request-id'] === 'string'
      ? request.headers['client-request-id']
      : undefined;
  const { path: routePath, cast, countOnly } = normalize(path, runtime);
  const matches = ROUTES.filter(r => r.regex.test(routePath));
  const route = matches.find(r => r.method === request.method);
  const template = `${request.method} ${
    route?.pattern ??
    path.replace(
      /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi,
      '{id}',
    )
  }${cast ? `/microsoft.graph.${cast}` : ''}${countOnly ? '/$count' : ''}`;
  runtime.counters.count('graph', template);
  const fail = (error: GraphError) => {
    if (error.status === 429) runtime.counters.throttled('graph', template);
    return graphErrorReply(error, clientRequestId);
  };

  const fault = runtime.faults.match('graph', [
    path,
    template,
    template.slice(template.indexOf(' ') + 1),
  ]);
  switch (fault?.kind) {
    case 'timeout':
      return { kind: 'hang' };
    case 'reset':
      return { kind: 'reset' };
    case 'http500':
      return fail(
        new GraphError(
          500,
          'generalException',
          'An unexpected error occurred.',
        ),
      );
    case 'throttle':
      return fail(throttled(fault.retryAfterSeconds ?? 1));
    case 'expired-token':
      return fail(
        invalidToken('Lifetime validation failed, the token is expired.'),
      );
    case 'access-denied':
      return fail(insufficientPrivileges());
    case 'latency':
      await delay(fault.delayMs ?? 1000);
      break;
    default:
      break;
  }

  try {
    const claims = authenticate(request, runtime);
    const limited = runtime.rateLimits.take(['graph'], claims.appid);
    if (!limited.ok) return fail(throttled(limited.retryAfterSeconds));
    if (!route) {
      if (matches.length > 0)
        throw new GraphError(
          405,
          'Request_BadRequest',
          `The HTTP method '${request.method}' is not allowed for this resource.`,
        );
      const segment = routePath.split('/').filter(Boolean).pop() ?? '';
      throw new GraphError(
        400,
        'BadRequest',
        `Resource not found for the segment '${segment}'.`,
      );
    }
    if (route.requires && !route.requires.some(r => claims.roles?.includes(r)))
      throw insufficientPrivileges();
    runtime.world.settle();
    const values = route.regex.exec(routePath)!.slice(1);
    const ctx: GraphContext = {
      request,
      runtime,
      world: runtime.world,
      params: Object.fromEntries(
        route.keys.map((key, i) => [key, decodeURIComponent(values[i])]),
      ),
      query: parseQuery(request),
      ...(cast && { cast }),
      countOnly,
      appId: claims.appid,
    };
    const reply = await route.handler(ctx);
    if (reply.kind !== 'response') return reply;
    if (fault?.kind === 'malformed')
      return { ...reply, status: 200, body: MALFORMED_BODY };
    if (fault?.kind === 'truncated')
      return { ...reply, body: truncate(String(reply.body)) };
    return {
      ...reply,
      headers: {
        ...reply.headers,
        'request-id': randomUUID(),
        ...(clientRequestId && { 'client-request-id': clientRequestId }),
      },
    };
  } catch (error) {
    if (!(error instanceof GraphError)) throw error;
    // A broken proxy mangles error answers as much as successful ones.
    const reply = fail(error);
    if (reply.kind !== 'response') return reply;
    if (fault?.kind === 'malformed')
      return { ...reply, status: 200, body: MALFORMED_BODY };
    if (fault?.kind === 'truncated')
      return { ...reply, body: truncate(String(reply.body)) };
    return reply;
  }
}

/** `(appId='…')` addressing, OData cast segments and `/$count`, folded into plain route paths. */
function normalize(
  path: string,
  runtime: EmulatorRuntime,
): { path: string; cast?: 'user' | 'group'; countOnly: boolean } {
  let out = decodeURIComponent(path);
  const byAppId = /^\/v1\.0\/servicePrincipals\(appId='([^']+)'\)(.*)$/i.exec(
    out,
  );
  if (byAppId) {
    const id =
      byAppId[1].toLowerCase() === runtime.world.app.appId
        ? runtime.world.app.servicePrincipalId
        : `appId=${byAppId[1]}`;
    out = `/v1.0/servicePrincipals/${id}${byAppId[2]}`;
  }
  let countOnly = false;
  if (/\/\$count$/i.test(out)) {
    countOnly = true;
    out = out.replace(/\/\$count$/i, '');
  }
  let cast: 'user' | 'group' | undefined;
  const castMatch = /\/microsoft\.graph\.(user|group)$/i.exec(out);
  if (castMatch) {
    cast = castMatch[1].toLowerCase() as 'user' | 'group';
    out = out.slice(0, castMatch.index);
  }
  return { path: out, ...(cast && { cast }), countOnly };
}

function loginRoute(
  request: EmulatorRequest,
  runtime: EmulatorRuntime,
  path: string,
): Promise<Reply> | undefined {
  const segments = path.split('/').filter(Boolean);
  let operation: string | undefined;
  let answer: (() => Reply) | undefined;
  if (path === '/_health') {
    return Promise.resolve(jsonReply(200, { status: 'ok' }));
  }
  if (request.method === 'GET' && path === '/msi/token') {
    operation = 'GET /msi/token';
    answer = () => managedIdentity(request, runtime, 'appService');
  } else if (
    request.method === 'GET' &&
    path === '/metadata/identity/oauth2/token'
  ) {
    operation = 'GET /metadata/identity/oauth2/token';
    answer = () => managedIdentity(request, runtime, 'imds');
  } else if (
    segments[0] !== 'v1.0' &&
    segments[0] !== 'beta' &&
    segments.length >= 2
  ) {
    const [tenant, ...rest] = segments;
    const tail = rest.join('/');
    if (
      request.method === 'GET' &&
      (tail === 'v2.0/.well-known/openid-configuration' ||
        tail === '.well-known/openid-configuration')
    ) {
      operation = `GET /{tenant}/${tail}`;
      answer = () => openIdConfiguration(request, runtime, tenant);
    } else if (request.method === 'POST' && tail === 'oauth2/v2.0/token') {
      operation = 'POST /{tenant}/oauth2/v2.0/token';
      answer = () => tokenEndpoint(request, runtime, tenant);
    } else if (request.method === 'GET' && tail === 'discovery/v2.0/keys') {
      operation = 'GET /{tenant}/discovery/v2.0/keys';
      answer = () => jwks(runtime);
    }
  }
  if (!operation || !answer) return undefined;
  runtime.counters.count('login', operation);
  const fault = runtime.faults.match('graph', [
    path,
    operation,
    operation.slice(operation.indexOf(' ') + 1),
  ]);
  if (fault?.kind === 'timeout') return Promise.resolve({ kind: 'hang' });
  if (fault?.kind === 'reset') return Promise.resolve({ kind: 'reset' });
  if (fault?.kind === 'http500')
    return Promise.resolve(
      jsonReply(500, {
        error: 'server_error',
        error_description: 'AADSTS50000: There was an error issuing a token.',
      }),
    );
  if (fault?.kind === 'throttle') {
    return Promise.resolve(
      jsonReply(
        429,
        {
          error: 'temporarily_unavailable',
          error_description:
            'AADSTS50196: The server terminated an operation because it encountered a client request loop.',
        },
        { 'retry-after': String(fault.retryAfterSeconds ?? 1) },
      ),
    );
  }
  return Promise.resolve(answer());
}
