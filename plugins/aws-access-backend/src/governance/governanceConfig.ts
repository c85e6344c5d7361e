import type { Config } from '@backstage/config';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type {
  GovernanceMode,
  ReviewClosingPolicy,
} from '@aws-access/plugin-aws-access-common';
import { Duration } from 'luxon';

/** Who may approve: the Entra group's owners, the owners of the accounts it reaches, or a catalog user/group. */
export type ApproverSpec =
  | { kind: 'group-owners' }
  | { kind: 'account-owners' }
  | { kind: 'user' | 'group'; ref: string };

/** One policy of `awsAccess.governance.policies` (governance.md §1), validated. */
export interface GovernancePolicy {
  /** The configured selector: a group entity ref or a glob over refs. */
  group: string;
  /** `everyone`, or catalog user/group refs (group members count transitively). */
  requesters: 'everyone' | string[];
  approvers: ApproverSpec[];
  approvals: 1 | 2;
  maxDuration?: string;
  defaultDuration?: string;
  justification: 'required' | 'optional';
  ticketPattern?: string;
  autoApprove: boolean;
  approvalTimeout?: string;
  mode: GovernanceMode;
}

/** `awsAccess.governance.reviews`: access review campaigns (governance.md §3). */
export interface ReviewsConfig {
  /** What the due date does to undecided items, unless a campaign says otherwise. */
  closingPolicy: ReviewClosingPolicy;
  /** ISO 8601 durations before the due date at which reviewers with open items are reminded, longest first. */
  reminders: string[];
}

/** `awsAccess.governance`; absent when governance is off. */
export interface GovernanceConfig {
  mode: GovernanceMode;
  policies: GovernancePolicy[];
  reviews: ReviewsConfig;
}

/** Reminders three days before the due date, and on the due day. */
export const DEFAULT_REVIEW_REMINDERS = ['P3D', 'P1D'];

/** Every problem of `awsAccess.governance`, one line per bad key, so one start-up reports them all. */
export class GovernanceConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      `Invalid configuration at awsAccess.governance:\n${problems
        .map(p => `  - ${p}`)
        .join('\n')}`,
    );
    this.name = 'GovernanceConfigError';
    this.problems = problems;
  }
}

const MODES: readonly GovernanceMode[] = ['membership', 'pim'];
const POLICY_KEYS = new Set([
  'group',
  'requesters',
  'approvers',
  'approvals',
  'maxDuration',
  'defaultDuration',
  'justification',
  'ticketPattern',
  'autoApprove',
  'approvalTimeout',
  'mode',
]);

/** An ISO 8601 duration as milliseconds; undefined when it is not one (or not positive). */
export function isoDurationMs(value: string): number | undefined {
  const duration = Duration.fromISO(value);
  const ms = duration.isValid ? duration.toMillis() : NaN;
  return ms > 0 ? ms : undefined;
}

const show = (value: unknown) => JSON.stringify(value) ?? String(value);

/** Collects the problems of one policy while reading it. */
class PolicyReader {
  readonly problems: string[] = [];
  constructor(readonly key: string, readonly raw: Record<string, unknown>) {}

  problem(field: string, text: string) {
    this.problems.push(`${this.key}.${field}: ${text}`);
  }

  string(field: string): string | undefined {
    const value = this.raw[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !value.trim()) {
      this.problem(field, `must be a non-empty string, got ${show(value)}`);
      return undefined;
    }
    return value.trim();
  }

  duration(field: string): string | undefined {
    const value = this.string(field);
    if (value !== undefined && isoDurationMs(value) === undefined) {
      this.problem(
        field,
        `${show(
          value,
        )} is not a positive ISO 8601 duration (like PT1H, PT30M or P2D)`,
      );
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(field: string, allowed: readonly T[], fallback: T) {
    const value = this.raw[field] ?? fallback;
    if (!allowed.includes(value as T)) {
      this.problem(
        field,
        `must be one of ${allowed.join(', ')}, got ${show(value)}`,
      );
      return fallback;
    }
    return value as T;
  }
}

/** A catalog entity ref of one of `kinds`, in canonical form; undefined when it is not one. */
function entityRef(value: unknown, kinds: string[]): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const ref = parseEntityRef(value);
    const kind = ref.kind.toLocaleLowerCase('en-US');
    return kinds.includes(kind)
      ? stringifyEntityRef({ ...ref, kind })
      : undefined;
  } catch {
    return undefined;
  }
}

function readGroupSelector(policy: PolicyReader): string {
  const group = policy.string('group');
  if (group === undefined) {
    if (policy.raw.group === undefined) {
      policy.problem('group', 'is required (a group entity ref or a glob)');
    }
    return '';
  }
  // A glob is checked as a ref with its wildcards standing for letters.
  if (!entityRef(group.replace(/[*?]/g, 'x'), ['group'])) {
    policy.problem(
      'group',
      `${show(
        group,
      )} is not a group entity ref or glob (like group:default/aws-*-admin)`,
    );
  }
  return group.toLocaleLowerCase('en-US');
}

function readRequesters(policy: PolicyReader): GovernancePolicy['requesters'] {
  const raw = policy.raw.requesters ?? 'everyone';
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.includes('everyone')) return 'everyone';
  const refs: string[] = [];
  list.forEach((value, i) => {
    const ref = entityRef(value, ['user', 'group']);
    if (ref) refs.push(ref);
    else
      policy.problem(
        `requesters[${i}]`,
        `${show(value)} is neither everyone nor a user or group entity ref`,
      );
  });
  return refs;
}

function readApprovers(policy: PolicyReader): ApproverSpec[] {
  const raw = policy.raw.approvers ?? [];
  if (!Array.isArray(raw)) {
    policy.problem('approvers', `must be a list, got ${show(raw)}`);
    return [];
  }
  const approvers: ApproverSpec[] = [];
  raw.forEach((value, i) => {
    if (value === 'group-owners' || value === 'account-owners') {
      approvers.push({ kind: value });
      return;
    }
    const ref = entityRef(value, ['user', 'group']);
    if (ref) {
      approvers.push({ kind: ref.startsWith('user:') ? 'user' : 'group', ref });
    } else {
      policy.problem(
        `approvers[${i}]`,
        `unknown approver kind ${show(
          value,
        )}: use group-owners, account-owners, or a user or group entity ref`,
      );
    }
  });
  return approvers;
}

function readTicketPattern(policy: PolicyReader): string | undefined {
  const pattern = policy.string('ticketPattern');
  if (pattern === undefined) return undefined;
  try {
    RegExp(pattern);
    return pattern;
  } catch (error) {
    policy.problem(
      'ticketPattern',
      `is not a valid regular expression (${(error as Error).message})`,
    );
    return undefined;
  }
}

function readApprovals(policy: PolicyReader): 1 | 2 {
  const value = policy.raw.approvals ?? 1;
  if (value !== 1 && value !== 2) {
    policy.problem('approvals', `must be 1 or 2, got ${show(value)}`);
    return 1;
  }
  return value;
}

function readAutoApprove(policy: PolicyReader): boolean {
  const value = policy.raw.autoApprove ?? false;
  if (typeof value !== 'boolean') {
    policy.problem('autoApprove', `must be true or false, got ${show(value)}`);
    return false;
  }
  return value;
}

function checkDurations(policy: PolicyReader, read: GovernancePolicy) {
  if (read.maxDuration && read.defaultDuration) {
    const max = isoDurationMs(read.maxDuration)!;
    if (isoDurationMs(read.defaultDuration)! > max) {
      policy.problem(
        'defaultDuration',
        `${read.defaultDuration} is longer than maxDuration ${read.maxDuration}`,
      );
    }
  }
  if (read.approvers.length === 0 && !read.autoApprove) {
    policy.problem(
      'approvers',
      'is empty and autoApprove is off: nobody could approve a request',
    );
  }
}

function readPolicy(
  key: string,
  raw: unknown,
  mode: GovernanceMode,
): { policy?: GovernancePolicy; problems: string[] } {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return { problems: [`${key}: must be an object, got ${show(raw)}`] };
  }
  const reader = new PolicyReader(key, raw as Record<string, unknown>);
  for (const field of Object.keys(raw)) {
    if (!POLICY_KEYS.has(field)) {
      reader.problem(
        field,
        `is not a policy key (${[...POLICY_KEYS].join(', ')})`,
      );
    }
  }
  const policy: GovernancePolicy = {
    group: readGroupSelector(reader),
    requesters: readRequesters(reader),
    approvers: readApprovers(reader),
    approvals: readApprovals(reader),
    maxDuration: reader.duration('maxDuration'),
    defaultDuration: reader.duration('defaultDuration'),
    justification: reader.oneOf(
      'justification',
      ['required', 'optional'],
      'optional',
    ),
    ticketPattern: readTicketPattern(reader),
    autoApprove: readAutoApprove(reader),
    approvalTimeout: reader.duration('approvalTimeout'),
    mode: reader.oneOf('mode', MODES, mode),
  };
  checkDurations(reader, policy);
  return { policy, problems: reader.problems };
}

/**
 * Reads `awsAccess.governance`; undefined when it is absent (the feature is off). Every bad key is reported at
 * once in one GovernanceConfigError, one line each. Whether a policy's group exists is only known once the
 * snapshot is read: that is a lint finding and a warning, never a start-up failure.
 */
export function readGovernanceConfig(
  root: Config,
): GovernanceConfig | undefined {
  const raw = root.getOptional('awsAccess.governance');
  if (raw === undefined) return undefined;
  const base = 'awsAccess.governance';
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new GovernanceConfigError([`${base}: must be an object`]);
  }
  // Requests are granted by adding people to the identity source's groups: Identity Center alone has none.
  if (!root.has('awsAccess.entra')) {
    throw new GovernanceConfigError([
      `${base}: needs an identity source: configure awsAccess.entra (access requests add people to Entra groups), or remove awsAccess.governance`,
    ]);
  }
  const {
    mode: rawMode = 'membership',
    policies: rawPolicies = [],
    reviews: rawReviews,
  } = raw as Record<string, unknown>;
  const problems: string[] = [];
  let mode: GovernanceMode = 'membership';
  if (MODES.includes(rawMode as GovernanceMode))
    mode = rawMode as GovernanceMode;
  else
    problems.push(
      `${base}.mode: must be membership or pim, got ${show(rawMode)}`,
    );
  if (!Array.isArray(rawPolicies)) {
    throw new GovernanceConfigError([
      ...problems,
      `${base}.policies: must be a list of policies`,
    ]);
  }
  const policies: GovernancePolicy[] = [];
  rawPolicies.forEach((rawPolicy, i) => {
    const read = readPolicy(`${base}.policies[${i}]`, rawPolicy, mode);
    problems.push(...read.problems);
    if (read.policy) policies.push(read.policy);
  });
  const reviews = readReviews(`${base}.reviews`, rawReviews, problems);
  if (problems.length > 0) throw new GovernanceConfigError(problems);
  return { mode, policies, reviews };
}

/** `governance.reviews`, its problems added to `problems`. */
function readReviews(
  key: string,
  raw: unknown,
  problems: string[],
): ReviewsConfig {
  const defaults: ReviewsConfig = {
    closingPolicy: 'keep',
    reminders: DEFAULT_REVIEW_REMINDERS,
  };
  if (raw === undefined) return defaults;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`${key}: must be an object`);
    return defaults;
  }
  const reader = new PolicyReader(key, raw as Record<string, unknown>);
  for (const field of Object.keys(raw)) {
    if (field !== 'closingPolicy' && field !== 'reminders')
      reader.problem(field, 'is not a reviews key (closingPolicy, reminders)');
  }
  const closingPolicy = reader.oneOf(
    'closingPolicy',
    ['keep', 'remove'] as const,
    'keep',
  );
  const rawReminders = reader.raw.reminders ?? DEFAULT_REVIEW_REMINDERS;
  const reminders: string[] = [];
  if (!Array.isArray(rawReminders)) {
    reader.problem('reminders', `must be a list, got ${show(rawReminders)}`);
  } else {
    rawReminders.forEach((value, i) => {
      if (typeof value === 'string' && isoDurationMs(value) !== undefined)
        reminders.push(value);
      else
        reader.problem(
          `reminders[${i}]`,
          `${show(
            value,
          )} is not a positive ISO 8601 duration (like P3D or PT4H)`,
        );
    });
  }
  problems.push(...reader.problems);
  reminders.sort((a, b) => isoDurationMs(b)! - isoDurationMs(a)!);
  return { closingPolicy, reminders };
}
