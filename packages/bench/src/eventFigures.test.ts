import {
  assumedChangeRate,
  callsPerHour,
  changesPerHour,
  expectedMissed,
  missedMatch,
  percentile,
  steadySyncCalls,
  summarizeLatencies,
} from './eventFigures';

describe('change-event figures', () => {
  it('takes nearest-rank percentiles', () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(values, 0.5)).toBe(5);
    expect(percentile(values, 0.95)).toBe(10);
    expect(percentile(values, 0.1)).toBe(1);
    expect(percentile([42], 0.95)).toBe(42);
    expect(percentile([], 0.5)).toBeUndefined();
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(summarizeLatencies(hundred)).toEqual({
      count: 100,
      p50Ms: 50,
      p95Ms: 95,
      maxMs: 100,
    });
  });

  it('assumes joiners, movers and leavers from turnover, plus the platform team', () => {
    // 20,000 people: (2 × 15 % + 10 %) / 2,000 h = 4 people an hour, 3 memberships each, + 10 platform changes
    expect(changesPerHour(assumedChangeRate(20_000))).toBeCloseTo(22);
    expect(changesPerHour(assumedChangeRate(0))).toBe(10);
  });

  it('compares the calls of events and a daily reconcile with full syncs every minute', () => {
    const figures = callsPerHour({
      changesPerHour: 20,
      callsPerChange: 5,
      reconcileCalls: 2400,
      reconcileEveryHours: 24,
      fullSyncCalls: 100,
      fullSyncPeriodSeconds: 60,
    });
    expect(figures).toEqual({
      targetedPerHour: 100,
      reconcilePerHour: 100,
      withEventsPerHour: 200,
      fullSyncsPerHour: 6000,
      fewerBy: 30,
      // 600 calls an hour are a tenth of the full syncs': 100 go to the reconcile, 500 / 5 = 100 changes
      tenfoldUpToChangesPerHour: 100,
    });
  });

  it('counts the lost changes no later delivered event repaired', () => {
    const missed = expectedMissed([
      // a membership lost, then another of the same group delivered: the group is read again, both are right
      { kind: 'membership-added', target: 'group|a', per: 'item', lost: true },
      { kind: 'membership-added', target: 'group|a', per: 'item', lost: false },
      // two memberships lost after the last delivery: two differences
      { kind: 'membership-added', target: 'group|b', per: 'item', lost: false },
      { kind: 'membership-added', target: 'group|b', per: 'item', lost: true },
      {
        kind: 'membership-removed',
        target: 'group|b',
        per: 'item',
        lost: true,
      },
      // a permission set changed twice, both lost: one difference (its definition)
      {
        kind: 'permission-set-changed',
        target: 'ps|1',
        per: 'target',
        lost: true,
      },
      {
        kind: 'permission-set-changed',
        target: 'ps|1',
        per: 'target',
        lost: true,
      },
      {
        kind: 'account-moved',
        target: 'account|1',
        per: 'target',
        lost: false,
      },
    ]);
    expect(missed).toEqual({
      total: 3,
      byKind: {
        'membership-added': 1,
        'membership-removed': 1,
        'permission-set-changed': 1,
      },
    });
  });

  it("matches the expected missed changes to the reconciliation's differences, kind by kind", () => {
    const expected = { 'assignment-deleted': 1, 'account-moved': 2 } as const;
    expect(
      missedMatch(expected, { 'assignment removed': 1, 'account changed': 2 }),
    ).toBe(true);
    // the same total, other kinds
    expect(
      missedMatch(expected, { 'assignment added': 1, 'account changed': 2 }),
    ).toBe(false);
    expect(
      missedMatch(expected, {
        'assignment removed': 1,
        'account changed': 2,
        'membership added': 1,
      }),
    ).toBe(false);
    expect(missedMatch({}, {})).toBe(true);
  });

  it('counts a full sync without the definition and tag reads a cached one skips', () => {
    expect(
      steadySyncCalls({
        'sso-admin': {
          ListAccountAssignments: 22,
          DescribePermissionSet: 5,
          ListTagsForResource: 5,
        },
        identitystore: { ListUsers: 3 },
        organizations: { ListAccounts: 1, ListTagsForResource: 12 },
        sqs: { ReceiveMessage: 9 },
      }),
    ).toBe(26);
  });
});
