import type { EmulatorRequest, Reply } from '../http';
import { jsonReply } from '../http';
import type { EmulatorRuntime } from '../runtime';
import { formatPath } from '../scenario/errors';
import type { RawIssue } from '../scenario/schema';
import { faultSpecSchema, rateLimitSpecSchema } from '../scenario/schema';
import type { FaultSpec, ProvisioningStatusCode } from '../scenario/types';
import {
  addMember,
  ControlError,
  createAccount,
  createGroup,
  createUser,
  deleteUser,
  removeMember,
  setAssignment,
  updateAccount,
  updateUser,
} from './mutations';
import { stateDump } from './state';

/*
 * The control API (`/_emulator/...` on the AWS port, JSON in and out): what tests, the demo and the benchmarks
 * use to change the clouds, run SCIM, inject faults, set rate limits and read counters. Not part of any cloud.
 */

type Body = Record<string, unknown>;
type Handler = (input: {
  runtime: EmulatorRuntime;
  body: Body;
  params: Record<string, string>;
  query: URLSearchParams;
  request: EmulatorRequest;
}) => unknown;

interface Route {
  method: string;
  pattern: string;
  regex: RegExp;
  keys: string[];
  handler: Handler;
}

const routes: Route[] = [];
function route(method: string, pattern: string, handler: Handler) {
  const keys: string[] = [];
  const source = pattern.replace(/:(\w+)/g, (_, key) => {
    keys.push(key);
    return '([^/]+)';
  });
  routes.push({
    method,
    pattern,
    regex: new RegExp(`^${source}/?$`),
    keys,
    handler,
  });
}

function validated(check: typeof faultSpecSchema, value: unknown) {
  const issues: RawIssue[] = [];
  check(value, [], issues);
  if (issues.length > 0) {
    throw new ControlError(
      400,
      'InvalidRequest',
      issues.map(i => `${formatPath(i.path)}: ${i.problem}`).join('; '),
    );
  }
}

const PROVISIONING_STATUSES: ProvisioningStatusCode[] = [
  'Active',
  'Paused',
  'Quarantine',
  'NotRun',
];

route('GET', '/_emulator', ({ runtime, request }) => ({
  emulator: '@aws-access/emulators',
  control: `${request.origin}/_emulator`,
  tenantId: runtime.world.tenantId,
  instanceArn: runtime.world.ssoAdmin.instance.instanceArn,
  identityStoreId: runtime.world.identityStore.identityStoreId,
  now: runtime.world.clock.iso(),
}));
route('GET', '/_emulator/health', () => ({ status: 'ok' }));

route('POST', '/_emulator/scim/cycle', ({ runtime }) =>
  runtime.scim.runCycle({ trigger: 'control' }),
);
route('GET', '/_emulator/scim', ({ runtime }) => ({
  nextCycleAt: new Date(runtime.world.job.nextCycleMs).toISOString(),
  job: runtime.world.job.toGraph(),
}));
route('PUT', '/_emulator/scim', ({ runtime, body }) => {
  const { intervalSeconds, status, quarantineReason } = body;
  if (
    intervalSeconds !== undefined &&
    (!Number.isInteger(intervalSeconds) || (intervalSeconds as number) < 1)
  ) {
    throw new ControlError(
      400,
      'InvalidRequest',
      '"intervalSeconds" must be a whole number of seconds (at least 1)',
    );
  }
  if (
    status !== undefined &&
    !PROVISIONING_STATUSES.includes(status as ProvisioningStatusCode)
  ) {
    throw new ControlError(
      400,
      'InvalidRequest',
      `"status" must be one of ${PROVISIONING_STATUSES.join(', ')}`,
    );
  }
  if (
    quarantineReason !== undefined &&
    quarantineReason !== null &&
    typeof quarantineReason !== 'string'
  ) {
    throw new ControlError(
      400,
      'InvalidRequest',
      '"quarantineReason" must be a string or null',
    );
  }
  const { job, clock } = runtime.world;
  job.configure({
    intervalSeconds: intervalSeconds as number | undefined,
    status: status as ProvisioningStatusCode | undefined,
    quarantineReason: quarantineReason as string | null | undefined,
    nowMs: clock.nowMs(),
  });
  return {
    nextCycleAt: new Date(job.nextCycleMs).toISOString(),
    job: job.toGraph(),
  };
});

route('POST', '/_emulator/entra/users', ({ runtime, body }) =>
  createUser(runtime.world, body),
);
route('PATCH', '/_emulator/entra/users/:upn', ({ runtime, body, params }) =>
  updateUser(runtime.world, params.upn, body),
);
route('DELETE', '/_emulator/entra/users/:upn', ({ runtime, params, query }) =>
  deleteUser(runtime.world, params.upn, query.get('permanent') === 'true'),
);
route('POST', '/_emulator/entra/groups', ({ runtime, body }) =>
  createGroup(runtime.world, body),
);
route(
  'POST',
  '/_emulator/entra/groups/:name/members',
  ({ runtime, body, params }) => {
    if (typeof body.member !== 'string')
      throw new ControlError(
        400,
        'InvalidRequest',
        '"member" (a upn or group name) is required',
      );
    return addMember(runtime.world, params.name, body.member);
  },
);
route(
  'DELETE',
  '/_emulator/entra/groups/:name/members/:member',
  ({ runtime, params }) =>
    removeMember(runtime.world, params.name, params.member),
);
route(
  'POST',
  '/_emulator/entra/groups/:name/assignment',
  ({ runtime, params }) => setAssignment(runtime.world, params.name, true),
);
route(
  'DELETE',
  '/_emulator/entra/groups/:name/assignment',
  ({ runtime, params }) => setAssignment(runtime.world, params.name, false),
);
route('PATCH', '/_emulator/entra/app', ({ runtime, body }) => {
  const expires = body.samlCertificateExpires;
  if (typeof expires !== 'string' || Number.isNaN(Date.parse(expires))) {
    throw new ControlError(
      400,
      'InvalidRequest',
      '"samlCertificateExpires" must be an ISO 8601 date-time',
    );
  }
  runtime.world.app.samlCertificateExpiresMs = Date.parse(expires);
  return { samlCertificateExpires: new Date(expires).toISOString() };
});
route('POST', '/_emulator/graph/delta/expire', ({ runtime }) => {
  runtime.world.entra.journal.expireTokens();
  return { expired: true };
});

route('POST', '/_emulator/organizations/accounts', ({ runtime, body }) =>
  createAccount(runtime.world, body),
);
route(
  'PATCH',
  '/_emulator/organizations/accounts/:id',
  ({ runtime, body, params }) => updateAccount(runtime.world, params.id, body),
);

route('GET', '/_emulator/events', ({ runtime }) => ({
  queue: runtime.world.settings.eventQueue || null,
  ...runtime.events.stats(),
}));

route('GET', '/_emulator/faults', ({ runtime }) => ({
  faults: runtime.faults.list(),
}));
route('POST', '/_emulator/faults', ({ runtime, body }) => {
  const specs = Array.isArray(body.faults) ? body.faults : [body];
  specs.forEach(spec => validated(faultSpecSchema, spec));
  return { faults: specs.map(spec => runtime.faults.add(spec as FaultSpec)) };
});
route('DELETE', '/_emulator/faults', ({ runtime }) => {
  runtime.faults.clear();
  return { faults: [] };
});

route('GET', '/_emulator/rate-limits', ({ runtime }) => ({
  rateLimits: runtime.rateLimits.list(),
}));
route('PUT', '/_emulator/rate-limits', ({ runtime, body }) => {
  validated(rateLimitSpecSchema, body);
  runtime.rateLimits.set(
    String(body.service),
    (body.perSecond as number | null | undefined) ?? null,
    body.burst as number | undefined,
  );
  return { rateLimits: runtime.rateLimits.list() };
});
route('DELETE', '/_emulator/rate-limits', ({ runtime }) => {
  runtime.rateLimits.clear();
  return { rateLimits: [] };
});

route('GET', '/_emulator/settings', ({ runtime }) => runtime.world.settings);
route('PUT', '/_emulator/settings', ({ runtime, body }) => {
  const settings = runtime.world.settings as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(body)) {
    if (!(key in settings))
      throw new ControlError(
        400,
        'InvalidRequest',
        `unknown setting "${key}" (known: ${Object.keys(settings).join(', ')})`,
      );
    if (Array.isArray(settings[key])) {
      if (
        !Array.isArray(value) ||
        value.some(v => typeof v !== 'string' || v === '')
      )
        throw new ControlError(
          400,
          'InvalidRequest',
          `"${key}" must be a list of non-empty strings`,
        );
    } else if (typeof value !== typeof settings[key])
      throw new ControlError(
        400,
        'InvalidRequest',
        `"${key}" must be a ${typeof settings[key]}`,
      );
    settings[key] = value;
  }
  return settings;
});

route('GET', '/_emulator/counters', ({ runtime }) =>
  runtime.counters.snapshot(),
);
route('DELETE', '/_emulator/counters', ({ runtime }) => {
  runtime.counters.reset();
  return runtime.counters.snapshot();
});

route('POST', '/_emulator/reset', ({ runtime }) => {
  runtime.reset();
  return { reset: true, now: runtime.world.clock.iso() };
});
route('GET', '/_emulator/state', ({ runtime }) => stateDump(runtime.world));

route('GET', '/_emulator/clock', ({ runtime }) => ({
  now: runtime.world.clock.iso(),
  offsetSeconds: runtime.world.clock.offsetSeconds,
}));
route('POST', '/_emulator/clock', ({ runtime, body }) => {
  const seconds = body.advanceSeconds;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    throw new ControlError(
      400,
      'InvalidRequest',
      '"advanceSeconds" must be a non-negative number',
    );
  }
  const { world } = runtime;
  world.clock.advance(seconds);
  world.settle();
  // A provisioning cycle that became due runs now, as it would have while the time passed.
  const cycle = runtime.scim.tick();
  return {
    now: world.clock.iso(),
    offsetSeconds: world.clock.offsetSeconds,
    ...(cycle && { cycle }),
  };
});

export function handleControl(
  request: EmulatorRequest,
  runtime: EmulatorRuntime,
): Reply {
  const path = request.url.pathname;
  // The state a control call reads or changes is the state of now (PIM expiries included).
  runtime.world.settle();
  const matching = routes.filter(r => r.regex.test(path));
  const found = matching.find(r => r.method === request.method);
  runtime.counters.count(
    'control',
    `${request.method} ${found?.pattern ?? path}`,
  );
  try {
    if (!found) {
      throw matching.length > 0
        ? new ControlError(
            405,
            'MethodNotAllowed',
            `${request.method} is not supported on ${path} (use ${matching
              .map(r => r.method)
              .join(', ')})`,
          )
        : new ControlError(
            404,
            'NotFound',
            `no control route ${request.method} ${path}`,
          );
    }
    let body: Body = {};
    const text = request.body.toString('utf8').trim();
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        throw new ControlError(
          400,
          'InvalidRequest',
          'the request body is not valid JSON',
        );
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw new ControlError(
          400,
          'InvalidRequest',
          'the request body must be a JSON object',
        );
    }
    const values = found.regex.exec(path)!.slice(1);
    const params = Object.fromEntries(
      found.keys.map((key, i) => [key, decodeURIComponent(values[i])]),
    );
    const result = found.handler({
      runtime,
      body,
      params,
      query: request.url.searchParams,
      request,
    });
    return jsonReply(200, result);
  } catch (error) {
    if (error instanceof ControlError)
      return jsonReply(error.status, {
        error: { code: error.code, message: error.message },
      });
    throw error;
  }
}
