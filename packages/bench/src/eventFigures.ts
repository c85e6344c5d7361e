/*
 * The arithmetic of the change-events figures (issue 20): latency percentiles, AWS calls per hour with events
 * against periodic full syncs at the same freshness, and which lost events a reconciliation must report.
 */

/** The kinds of change the bench makes, in the order the summary lists them. */
export const CHANGE_KINDS = [
  'assignment-created',
  'assignment-deleted',
  'membership-added',
  'membership-removed',
  'permission-set-changed',
  'account-created',
  'account-moved',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const CHANGE_KIND_LABELS: Record<ChangeKind, string> = {
  'assignment-created': 'assignment created (sso-admin, AWS SDK)',
  'assignment-deleted': 'assignment deleted (sso-admin, AWS SDK)',
  'membership-added': 'SCIM membership added (Entra → SCIM cycle)',
  'membership-removed': 'SCIM membership removed (Entra → SCIM cycle)',
  'permission-set-changed': 'permission set changed (UpdatePermissionSet)',
  'account-created': 'account created (Organizations)',
  'account-moved': 'account moved to another OU (Organizations)',
};

/** Nearest-rank percentile (q in 0..1) of the values; undefined for none. */
export function percentile(values: readonly number[], q: number) {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export interface LatencySummary {
  count: number;
  p50Ms?: number;
  p95Ms?: number;
  maxMs?: number;
}

export function summarizeLatencies(values: readonly number[]): LatencySummary {
  return {
    count: values.length,
    p50Ms: percentile(values, 0.5),
    p95Ms: percentile(values, 0.95),
    maxMs: values.length ? Math.max(...values) : undefined,
  };
}

/**
 * The change rate the steady state assumes for an organisation of `users` people: joiners, movers and leavers
 * from yearly turnover over working hours, each a few SCIM membership changes, plus the platform team's own
 * assignment, permission set and account changes. Deliberately on the high side (a busy working hour).
 */
export interface ChangeRateAssumption {
  users: number;
  /** Share of people who join (and as many who leave) in a year. */
  turnoverPerYear: number;
  /** Share of people who change team in a year. */
  moversPerYear: number;
  workingHoursPerYear: number;
  /** Membership changes (SCIM) per joiner, mover or leaver. */
  membershipChangesPerPerson: number;
  /** Assignment, permission set and account changes per working hour by the platform team. */
  platformChangesPerHour: number;
}

export function assumedChangeRate(users: number): ChangeRateAssumption {
  return {
    users,
    turnoverPerYear: 0.15,
    moversPerYear: 0.1,
    workingHoursPerYear: 2000,
    membershipChangesPerPerson: 3,
    platformChangesPerHour: 10,
  };
}

/** Changes per working hour under the assumption. */
export function changesPerHour(a: ChangeRateAssumption): number {
  const people =
    (a.users * (2 * a.turnoverPerYear + a.moversPerYear)) /
    a.workingHoursPerYear;
  return people * a.membershipChangesPerPerson + a.platformChangesPerHour;
}

export interface CallsPerHourInput {
  /** Changes per hour. */
  changesPerHour: number;
  /** Identity Center + Organizations calls of one targeted refresh per change (measured). */
  callsPerChange: number;
  /** Calls of one full reconciliation (measured). */
  reconcileCalls: number;
  /** Hours between reconciliations (24 by default with events). */
  reconcileEveryHours: number;
  /** Calls per full sync (measured) and the period that gives the events' freshness. */
  fullSyncCalls: number;
  fullSyncPeriodSeconds: number;
}

export interface CallsPerHour {
  targetedPerHour: number;
  reconcilePerHour: number;
  withEventsPerHour: number;
  fullSyncsPerHour: number;
  /** Full syncs' calls / events' calls. */
  fewerBy: number;
  /** The change rate at which events would be only 10× fewer. */
  tenfoldUpToChangesPerHour: number;
}

export function callsPerHour(input: CallsPerHourInput): CallsPerHour {
  const targetedPerHour = input.changesPerHour * input.callsPerChange;
  const reconcilePerHour = input.reconcileCalls / input.reconcileEveryHours;
  const withEventsPerHour = targetedPerHour + reconcilePerHour;
  const fullSyncsPerHour =
    (input.fullSyncCalls * 3600) / input.fullSyncPeriodSeconds;
  return {
    targetedPerHour,
    reconcilePerHour,
    withEventsPerHour,
    fullSyncsPerHour,
    fewerBy: fullSyncsPerHour / withEventsPerHour,
    tenfoldUpToChangesPerHour:
      input.callsPerChange > 0
        ? Math.max(
            0,
            (fullSyncsPerHour / 10 - reconcilePerHour) / input.callsPerChange,
          )
        : Infinity,
  };
}

/**
 * One change of the loss phase: the part of AWS its events name (`target`), whether its difference is the
 * target's own (`per: 'target'`: an account, a permission set's definition — several lost changes are one
 * difference) or its item's (`per: 'item'`: an assignment, a membership, named by `item`), and whether an event
 * of it that names the target was lost.
 */
export interface LossPhaseChange {
  kind: ChangeKind;
  target: string;
  per: 'target' | 'item';
  item?: string;
  lost: boolean;
}

/**
 * The differences a reconciliation must find: on each target, the lost changes after the last delivered one (a
 * delivered event makes the consumer read the target again, which repairs what was lost before it). Per item, an
 * addition and its removal both lost leave no difference.
 */
export function expectedMissed(changes: readonly LossPhaseChange[]): {
  total: number;
  byKind: Partial<Record<ChangeKind, number>>;
} {
  const pending = new Map<string, LossPhaseChange[]>();
  for (const change of changes) {
    if (!change.lost) pending.set(change.target, []);
    else
      pending.set(change.target, [
        ...(pending.get(change.target) ?? []),
        change,
      ]);
  }
  const byKind: Partial<Record<ChangeKind, number>> = {};
  let total = 0;
  const count = (c: LossPhaseChange) => {
    byKind[c.kind] = (byKind[c.kind] ?? 0) + 1;
    total++;
  };
  for (const lost of pending.values()) {
    if (lost.length === 0) continue;
    if (lost[0].per === 'target') {
      count(lost[lost.length - 1]);
      continue;
    }
    const byItem = new Map<string, LossPhaseChange[]>();
    for (const c of lost) {
      const key = c.item ?? `${byItem.size}`;
      byItem.set(key, [...(byItem.get(key) ?? []), c]);
    }
    for (const item of byItem.values())
      if (item.length % 2 === 1) count(item[item.length - 1]);
  }
  return { total, byKind };
}

/** How `/sync/status` names the difference a missed change of each kind leaves (`kind change`). */
export const MISSED_AS: Record<ChangeKind, string> = {
  'assignment-created': 'assignment added',
  'assignment-deleted': 'assignment removed',
  'membership-added': 'membership added',
  'membership-removed': 'membership removed',
  'permission-set-changed': 'permission-set changed',
  'account-created': 'account added',
  'account-moved': 'account changed',
};

/** Whether the reconciliation's differences (`kind change` → count) are exactly the expected missed changes. */
export function missedMatch(
  expected: Partial<Record<ChangeKind, number>>,
  reported: Record<string, number>,
): boolean {
  const wanted: Record<string, number> = {};
  for (const [kind, n] of Object.entries(expected))
    wanted[MISSED_AS[kind as ChangeKind]] = n ?? 0;
  const keys = new Set([...Object.keys(wanted), ...Object.keys(reported)]);
  return [...keys].every(k => (wanted[k] ?? 0) === (reported[k] ?? 0));
}

/** The reads a full sync makes only when definitions and tags are older than detailsRefresh (6 h). */
const DETAIL_OPERATIONS: Record<string, string[]> = {
  'sso-admin': [
    'ListInstances',
    'DescribePermissionSet',
    'ListManagedPoliciesInPermissionSet',
    'ListCustomerManagedPolicyReferencesInPermissionSet',
    'GetInlinePolicyForPermissionSet',
    'GetPermissionsBoundaryForPermissionSet',
    'ListTagsForResource',
  ],
  organizations: ['DescribeOrganization', 'ListTagsForResource'],
};

/**
 * The calls of a full sync with definitions and tags cached (what a sync every minute would make), from a
 * reconciliation's calls by operation (which read them again).
 */
export function steadySyncCalls(
  byOperation: Record<string, Record<string, number>>,
): number {
  let total = 0;
  for (const service of ['sso-admin', 'identitystore', 'organizations'])
    for (const [op, n] of Object.entries(byOperation[service] ?? {}))
      if (!(DETAIL_OPERATIONS[service] ?? []).includes(op)) total += n;
  return total;
}
