import type { IssuePath } from './errors';

/*
 * The structural schema of a scenario: field names, types, enums and id formats. A tiny combinator set keeps the
 * schema readable as one declaration; references between objects are checked afterwards (references.ts).
 */

export interface RawIssue {
  path: IssuePath;
  problem: string;
}

export type Check = (
  value: unknown,
  path: IssuePath,
  issues: RawIssue[],
) => void;

interface Field {
  check: Check;
  required: boolean;
}

const describe = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value}"`;
  return `${typeof value} ${String(value)}`;
};

export const required = (check: Check): Field => ({ check, required: true });
export const optional = (check: Check): Field => ({ check, required: false });

export function string(
  options: { pattern?: RegExp; hint?: string; max?: number } = {},
): Check {
  return (value, path, issues) => {
    if (typeof value !== 'string') {
      const quoted =
        typeof value === 'number' && options.hint?.includes('digits')
          ? ' (quote it: YAML reads unquoted digits as a number)'
          : '';
      issues.push({
        path,
        problem: `must be a string, got ${describe(value)}${quoted}`,
      });
      return;
    }
    if (value.length === 0) {
      issues.push({ path, problem: 'must not be empty' });
    } else if (options.pattern && !options.pattern.test(value)) {
      issues.push({
        path,
        problem: `"${value}" is not ${
          options.hint ?? `of the form ${options.pattern}`
        }`,
      });
    } else if (options.max !== undefined && value.length > options.max) {
      issues.push({
        path,
        problem: `must be at most ${options.max} characters`,
      });
    }
  };
}

export function isoDateTime(): Check {
  return (value, path, issues) => {
    if (value instanceof Date) return;
    if (
      typeof value !== 'string' ||
      Number.isNaN(Date.parse(value)) ||
      !/^\d{4}-\d{2}-\d{2}/.test(value)
    ) {
      issues.push({
        path,
        problem: `must be an ISO 8601 date-time, got ${describe(value)}`,
      });
    }
  };
}

export function integer(options: { min?: number; max?: number } = {}): Check {
  return (value, path, issues) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      issues.push({
        path,
        problem: `must be a whole number, got ${describe(value)}`,
      });
    } else if (options.min !== undefined && value < options.min) {
      issues.push({
        path,
        problem: `must be at least ${options.min}, got ${value}`,
      });
    } else if (options.max !== undefined && value > options.max) {
      issues.push({
        path,
        problem: `must be at most ${options.max}, got ${value}`,
      });
    }
  };
}

export function number(options: { min?: number; max?: number } = {}): Check {
  return (value, path, issues) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      issues.push({
        path,
        problem: `must be a number, got ${describe(value)}`,
      });
    } else if (options.min !== undefined && value < options.min) {
      issues.push({
        path,
        problem: `must be at least ${options.min}, got ${value}`,
      });
    } else if (options.max !== undefined && value > options.max) {
      issues.push({
        path,
        problem: `must be at most ${options.max}, got ${value}`,
      });
    }
  };
}

export function boolean(): Check {
  return (value, path, issues) => {
    if (typeof value !== 'boolean') {
      issues.push({
        path,
        problem: `must be true or false, got ${describe(value)}`,
      });
    }
  };
}

export function oneOf(values: readonly (string | number)[]): Check {
  return (value, path, issues) => {
    if (!values.includes(value as string)) {
      issues.push({
        path,
        problem: `must be one of ${values.join(', ')}, got ${describe(value)}`,
      });
    }
  };
}

export function list(item: Check, options: { min?: number } = {}): Check {
  return (value, path, issues) => {
    if (!Array.isArray(value)) {
      issues.push({ path, problem: `must be a list, got ${describe(value)}` });
      return;
    }
    if (options.min !== undefined && value.length < options.min) {
      issues.push({
        path,
        problem: `must have at least ${options.min} item(s)`,
      });
    }
    value.forEach((entry, index) => item(entry, [...path, index], issues));
  };
}

/** A mapping of arbitrary keys to scalar values (tags). */
export function scalarMap(): Check {
  return (value, path, issues) => {
    if (!isPlainObject(value)) {
      issues.push({
        path,
        problem: `must be a mapping of key: value, got ${describe(value)}`,
      });
      return;
    }
    for (const [key, entry] of Object.entries(value)) {
      if (!['string', 'number', 'boolean'].includes(typeof entry)) {
        issues.push({
          path: [...path, key],
          problem: `must be a single value, got ${describe(entry)}`,
        });
      }
    }
  };
}

/** A mapping with known fields; unknown fields are errors (typos must not pass silently). */
export function object(fields: Record<string, Field>): Check {
  const known = Object.keys(fields);
  return (value, path, issues) => {
    if (!isPlainObject(value)) {
      issues.push({
        path,
        problem: `must be a mapping, got ${describe(value)}`,
      });
      return;
    }
    for (const key of Object.keys(value)) {
      if (!(key in fields)) {
        issues.push({
          path: [...path, key],
          problem: `unknown field "${key}" (allowed: ${known.join(', ')})`,
        });
      }
    }
    for (const [key, field] of Object.entries(fields)) {
      const entry = value[key];
      if (entry === undefined || entry === null) {
        if (field.required) {
          issues.push({
            path: [...path, key],
            problem: `required field "${key}" is missing`,
          });
        }
        continue;
      }
      field.check(entry, [...path, key], issues);
    }
  };
}

/** A mapping with exactly one of the given keys (drift entries, assignment principals). */
export function exactlyOne(variants: Record<string, Check>): Check {
  const names = Object.keys(variants);
  return (value, path, issues) => {
    if (!isPlainObject(value)) {
      issues.push({
        path,
        problem: `must be a mapping with one of ${names.join(', ')}`,
      });
      return;
    }
    const keys = Object.keys(value);
    const unknown = keys.filter(key => !names.includes(key));
    if (unknown.length > 0 || keys.length !== 1) {
      issues.push({
        path: unknown.length ? [...path, unknown[0]] : path,
        problem: `must have exactly one of ${names.join(', ')}${
          unknown.length ? `; unknown field "${unknown[0]}"` : ''
        }`,
      });
      return;
    }
    variants[keys[0]](value[keys[0]], [...path, keys[0]], issues);
  };
}

export function anyOf(checks: Check[], problem: string): Check {
  return (value, path, issues) => {
    for (const check of checks) {
      const trial: RawIssue[] = [];
      check(value, path, trial);
      if (trial.length === 0) return;
    }
    issues.push({ path, problem: `${problem}, got ${describe(value)}` });
  };
}

export function isPlainObject(
  value: unknown,
): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date)
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The scenario schema

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const guid = string({ pattern: GUID, hint: 'a GUID (8-4-4-4-12 hex digits)' });
const accountId = string({
  pattern: /^\d{12}$/,
  hint: 'an AWS account id of 12 digits',
});
const managedPolicyArn = string({
  pattern:
    /^arn:aws(-[a-z]{1,5}){0,3}:iam::aws:policy((\/[A-Za-z0-9.,+@=_-]+)*)\/([A-Za-z0-9.,+=@_-]+)$/,
  hint: 'an AWS managed policy ARN (arn:aws:iam::aws:policy/…)',
});
const seconds = integer({ min: 0 });
const nonEmpty = string();

const customerManagedPolicy = object({
  name: required(
    string({ pattern: /^[\w+=,.@-]{1,128}$/, hint: 'an IAM policy name' }),
  ),
  path: optional(
    string({
      pattern: /^\/([\w+=,.@-]+\/)*$/,
      hint: 'an IAM path such as / or /team/',
    }),
  ),
});

const faultSpec = object({
  service: required(
    oneOf([
      'sso-admin',
      'identitystore',
      'organizations',
      'sts',
      'graph',
      'sqs',
    ]),
  ),
  operation: required(nonEmpty),
  kind: required(
    oneOf([
      'http500',
      'throttle',
      'timeout',
      'reset',
      'malformed',
      'truncated',
      'expired-token',
      'access-denied',
      'latency',
      'empty-page',
      'async-failure',
    ]),
  ),
  atCall: optional(integer({ min: 1 })),
  times: optional(integer({ min: 1 })),
  delayMs: optional(integer({ min: 0 })),
  retryAfterSeconds: optional(integer({ min: 0 })),
});

const rateLimitSpec = object({
  service: required(
    oneOf([
      'aws',
      'sso-admin',
      'identitystore',
      'organizations',
      'sts',
      'graph',
    ]),
  ),
  perSecond: optional(number({ min: 0 })),
  burst: optional(integer({ min: 1 })),
});

export const faultSpecSchema = faultSpec;
export const rateLimitSpecSchema = rateLimitSpec;

const driftMember = object({
  group: required(nonEmpty),
  user: required(nonEmpty),
  sinceSeconds: optional(seconds),
});

export const scenarioSchema: Check = object({
  version: required(oneOf([1])),
  now: optional(isoDateTime()),
  entra: optional(
    object({
      tenantId: required(guid),
      domain: required(
        string({ pattern: /^[a-z0-9.-]+\.[a-z]{2,}$/i, hint: 'a domain name' }),
      ),
      displayName: optional(nonEmpty),
      cloud: optional(oneOf(['public', 'usGov', 'usGovDoD', 'china'])),
      awsApp: required(
        object({
          appId: required(guid),
          servicePrincipalId: optional(guid),
          displayName: required(nonEmpty),
          samlCertificateExpires: optional(isoDateTime()),
          provisioning: optional(
            object({
              intervalSeconds: optional(integer({ min: 1 })),
              status: optional(
                oneOf(['Active', 'Paused', 'Quarantine', 'NotRun']),
              ),
              quarantineReason: optional(nonEmpty),
              lastCycleAgoSeconds: optional(seconds),
              lastSuccessAgoSeconds: optional(seconds),
            }),
          ),
        }),
      ),
      appRegistrations: optional(
        list(
          object({
            clientId: required(guid),
            displayName: optional(nonEmpty),
            clientSecret: optional(nonEmpty),
            certificate: optional(nonEmpty),
          }),
        ),
      ),
      users: required(
        list(
          object({
            upn: required(
              string({
                pattern: /^[^@\s]+@[^@\s]+$/,
                hint: 'a user principal name (name@domain)',
              }),
            ),
            displayName: required(nonEmpty),
            givenName: optional(nonEmpty),
            surname: optional(nonEmpty),
            mail: optional(
              string({
                pattern: /^[^@\s]+@[^@\s]+$/,
                hint: 'an e-mail address',
              }),
            ),
            department: optional(nonEmpty),
            jobTitle: optional(nonEmpty),
            employeeId: optional(nonEmpty),
            manager: optional(nonEmpty),
            enabled: optional(boolean()),
            id: optional(guid),
            assignedToAwsApp: optional(boolean()),
          }),
        ),
      ),
      groups: required(
        list(
          object({
            name: required(string({ max: 256 })),
            mailNickname: optional(
              string({
                pattern: /^[^\s@()<>[\]\\,;:"]+$/,
                hint: 'a mail nickname without spaces',
              }),
            ),
            description: optional(nonEmpty),
            securityEnabled: optional(boolean()),
            members: optional(list(nonEmpty)),
            owners: optional(list(nonEmpty)),
            assignedToAwsApp: optional(boolean()),
            id: optional(guid),
          }),
        ),
      ),
    }),
  ),
  identityCenter: required(
    object({
      region: required(
        string({
          pattern: /^[a-z]{2}(-[a-z]+)+-\d$/,
          hint: 'an AWS region such as us-east-1',
        }),
      ),
      instanceArn: required(
        string({
          pattern:
            /^arn:aws(-[a-z]{1,5}){0,3}:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/,
          hint: 'an instance ARN (arn:aws:sso:::instance/ssoins-<16 characters>)',
        }),
      ),
      identityStoreId: required(
        string({
          pattern: /^d-[0-9a-f]{10}$/,
          hint: 'an identity store id (d-<10 hex>)',
        }),
      ),
      accessPortalUrl: optional(
        string({ pattern: /^https:\/\//, hint: 'an https URL' }),
      ),
      organization: required(
        object({
          id: required(
            string({
              pattern: /^o-[a-z0-9]{10,32}$/,
              hint: 'an organization id (o-<10 to 32 characters>)',
            }),
          ),
          managementAccountId: required(accountId),
        }),
      ),
      accounts: required(
        list(
          object({
            id: required(accountId),
            name: required(string({ max: 50 })),
            email: required(
              string({
                pattern: /^[^@\s]+@[^@\s]+$/,
                hint: 'an e-mail address',
              }),
            ),
            status: optional(oneOf(['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE'])),
            ou: optional(
              string({
                pattern: /^[^/]+(\/[^/]+)*$/,
                hint: 'an OU path such as Workloads/Prod (or Root)',
              }),
            ),
            tags: optional(scalarMap()),
          }),
        ),
      ),
      permissionSets: required(
        list(
          object({
            name: required(
              string({
                pattern: /^[\w+=,.@-]{1,32}$/,
                hint: 'a permission set name (1-32 of [A-Za-z0-9+=,.@_-])',
              }),
            ),
            description: optional(string({ max: 700 })),
            sessionDuration: optional(
              string({
                pattern: /^PT(?=\d)(\d+H)?(\d+M)?$/,
                hint: 'an ISO 8601 duration such as PT4H or PT90M',
              }),
            ),
            managedPolicies: optional(list(managedPolicyArn)),
            customerManagedPolicies: optional(list(customerManagedPolicy)),
            inlinePolicy: optional(
              anyOf(
                [
                  object({
                    Version: optional(nonEmpty),
                    Id: optional(nonEmpty),
                    Statement: optional(list(() => undefined)),
                  }),
                  string(),
                ],
                'must be a policy document (mapping) or its JSON text',
              ),
            ),
            permissionsBoundary: optional(
              anyOf(
                [
                  managedPolicyArn,
                  object({ managedPolicyArn: required(managedPolicyArn) }),
                  object({
                    customerManagedPolicy: required(customerManagedPolicy),
                  }),
                ],
                'must be a managed policy ARN, { managedPolicyArn } or { customerManagedPolicy: { name, path } }',
              ),
            ),
            relayState: optional(string({ max: 240 })),
            tags: optional(scalarMap()),
          }),
        ),
      ),
      assignments: required(
        list(
          object({
            group: optional(nonEmpty),
            user: optional(nonEmpty),
            idcGroup: optional(nonEmpty),
            idcUser: optional(nonEmpty),
            permissionSet: required(nonEmpty),
            accounts: required(
              anyOf(
                [oneOf(['*']), list(accountId, { min: 1 })],
                'must be "*" or a list of 12-digit account ids',
              ),
            ),
            status: optional(oneOf(['PROVISIONED', 'FAILED'])),
          }),
        ),
      ),
      provisioned: optional(
        object({
          mode: optional(oneOf(['in-sync', 'empty'])),
          drift: optional(
            list(
              exactlyOne({
                missingMember: driftMember,
                extraMember: driftMember,
                missingUser: object({
                  user: required(nonEmpty),
                  sinceSeconds: optional(seconds),
                }),
                activeUser: object({
                  user: required(nonEmpty),
                  sinceSeconds: optional(seconds),
                }),
                missingGroup: object({
                  group: required(nonEmpty),
                  sinceSeconds: optional(seconds),
                }),
              }),
            ),
          ),
          unmanaged: optional(
            object({
              users: optional(
                list(
                  object({
                    userName: required(string({ max: 128 })),
                    displayName: required(nonEmpty),
                    givenName: optional(nonEmpty),
                    familyName: optional(nonEmpty),
                    email: optional(nonEmpty),
                    enabled: optional(boolean()),
                  }),
                ),
              ),
              groups: optional(
                list(
                  object({
                    name: required(nonEmpty),
                    description: optional(nonEmpty),
                    members: optional(list(nonEmpty)),
                  }),
                ),
              ),
            }),
          ),
        }),
      ),
    }),
  ),
  emulator: optional(
    object({
      assignmentDelayMs: optional(integer({ min: 0 })),
      maxOutstandingAssignments: optional(integer({ min: 1 })),
      principalAssignmentsIncludeGroups: optional(boolean()),
      graphDefaultPageSize: optional(integer({ min: 1, max: 999 })),
      graphMaxDeltaPageSize: optional(integer({ min: 1, max: 999 })),
      graphDeltaMembersChunkSize: optional(integer({ min: 0 })),
      graphAppRoles: optional(list(nonEmpty)),
      graphTokenLifetimeSeconds: optional(integer({ min: 0 })),
      eventQueue: optional(
        string({
          pattern: /^[a-zA-Z0-9_-]{0,80}$/,
          hint: 'an SQS queue name (letters, digits, - and _), or empty for none',
        }),
      ),
      eventDelaySeconds: optional(number({ min: 0 })),
      eventReorderSeconds: optional(number({ min: 0 })),
      eventDuplicateRate: optional(number({ min: 0, max: 1 })),
      eventLossRate: optional(number({ min: 0, max: 1 })),
      faults: optional(list(faultSpec)),
      rateLimits: optional(list(rateLimitSpec)),
    }),
  ),
});
