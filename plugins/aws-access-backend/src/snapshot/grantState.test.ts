import { GrantState } from '@aws-access/plugin-aws-access-common';
import type { GrantFacts, ProvisioningClock } from './grantState';
import {
  baseStateOf,
  grantStateAt,
  isGap,
  isProvisioningBlocked,
  stateAt,
} from './grantState';

const NOW = new Date('2026-11-30T09:00:00.000Z');
const INTERVAL_SECONDS = 2400; // 40 minutes: two cycles are 80 minutes
const minutesAgo = (minutes: number) =>
  new Date(NOW.getTime() - minutes * 60_000).toISOString();
const YOUNG = minutesAgo(79); // within two cycles
const OLD = minutesAgo(81); // beyond two cycles

const clock = (blocked: boolean): ProvisioningClock => ({
  intervalSeconds: INTERVAL_SECONDS,
  blocked,
});

/*
 * The truth table, every combination written out:
 * in AWS × intended × only nested × gap age (young: < two cycles, old: > two cycles) × job blocked → state.
 */
const T = true;
const F = false;
const TABLE: Array<
  [
    inAws: boolean,
    intended: boolean,
    nested: boolean,
    age: 'young' | 'old',
    blocked: boolean,
    state: GrantState | 'none',
  ]
> = [
  // In AWS and intended: active, whatever the clock and the job say.
  [T, T, F, 'young', F, 'active'],
  [T, T, F, 'young', T, 'active'],
  [T, T, F, 'old', F, 'active'],
  [T, T, F, 'old', T, 'active'],
  [T, T, T, 'young', F, 'active'],
  [T, T, T, 'young', T, 'active'],
  [T, T, T, 'old', F, 'active'],
  [T, T, T, 'old', T, 'active'],
  // In AWS, no longer intended: revoking (the leaver/mover window), never stuck.
  [T, F, F, 'young', F, 'revoking'],
  [T, F, F, 'young', T, 'revoking'],
  [T, F, F, 'old', F, 'revoking'],
  [T, F, F, 'old', T, 'revoking'],
  [T, F, T, 'young', F, 'revoking'],
  [T, F, T, 'young', T, 'revoking'],
  [T, F, T, 'old', F, 'revoking'],
  [T, F, T, 'old', T, 'revoking'],
  // Intended, not in AWS yet: pending while young and the job runs; stuck when old or the job is blocked.
  [F, T, F, 'young', F, 'pending'],
  [F, T, F, 'young', T, 'stuck'],
  [F, T, F, 'old', F, 'stuck'],
  [F, T, F, 'old', T, 'stuck'],
  [F, T, T, 'young', F, 'pending'],
  [F, T, T, 'young', T, 'stuck'],
  [F, T, T, 'old', F, 'stuck'],
  [F, T, T, 'old', T, 'stuck'],
  // Only through nesting: never provisioned, whatever the clock.
  [F, F, T, 'young', F, 'unsupported-nesting'],
  [F, F, T, 'young', T, 'unsupported-nesting'],
  [F, F, T, 'old', F, 'unsupported-nesting'],
  [F, F, T, 'old', T, 'unsupported-nesting'],
  // Nothing on either side: no grant.
  [F, F, F, 'young', F, 'none'],
  [F, F, F, 'young', T, 'none'],
  [F, F, F, 'old', F, 'none'],
  [F, F, F, 'old', T, 'none'],
];

describe('grantState', () => {
  it('lists every combination of the truth table once', () => {
    const keys = new Set(TABLE.map(row => row.slice(0, 5).join('|')));
    expect(keys.size).toBe(2 * 2 * 2 * 2 * 2);
    expect(TABLE).toHaveLength(keys.size);
  });

  it.each(TABLE)(
    'inAws %s, intended %s, nested %s, %s gap, blocked %s → %s',
    (inAws, intended, nested, age, blocked, expected) => {
      const facts: GrantFacts = { inAws, intended, nested };
      expect(
        grantStateAt(facts, age === 'young' ? YOUNG : OLD, NOW, clock(blocked)),
      ).toBe(expected);
    },
  );

  it('derives the base state without the clock: every state but stuck', () => {
    const bases = new Set(
      TABLE.map(([inAws, intended, nested]) =>
        baseStateOf({ inAws, intended, nested }),
      ),
    );
    expect([...bases].sort()).toEqual(
      [
        GrantState.active,
        GrantState.pending,
        GrantState.revoking,
        GrantState.unsupportedNesting,
        'none',
      ].sort(),
    );
  });

  it('turns pending into stuck only after more than two provisioning cycles', () => {
    const running = clock(false);
    expect(stateAt('pending', minutesAgo(80), NOW, running)).toBe('pending');
    expect(stateAt('pending', minutesAgo(80.01), NOW, running)).toBe('stuck');
    expect(
      stateAt(
        'pending',
        minutesAgo(3),
        NOW,
        { intervalSeconds: 60, blocked: false }, // a one-minute cycle: stuck after two minutes
      ),
    ).toBe('stuck');
  });

  it('counts a gap of unknown start as starting now, and a start in the future as no age', () => {
    expect(stateAt('pending', undefined, NOW, clock(false))).toBe('pending');
    expect(stateAt('pending', undefined, NOW, clock(true))).toBe('stuck');
    expect(
      stateAt(
        'pending',
        new Date(NOW.getTime() + 3_600_000).toISOString(),
        NOW,
        clock(false),
      ),
    ).toBe('pending');
  });

  it('tracks the start of a gap for pending and revoking only', () => {
    expect(
      (
        ['active', 'pending', 'revoking', 'unsupported-nesting'] as const
      ).filter(isGap),
    ).toEqual(['pending', 'revoking']);
  });

  it('treats a quarantined, paused or unconfigured job as blocked, and a running or never-run one as not', () => {
    expect(
      [
        'Active',
        'Quarantine',
        'Paused',
        'NotConfigured',
        'NotRun',
        'Unknown',
      ].filter(isProvisioningBlocked),
    ).toEqual(['Quarantine', 'Paused', 'NotConfigured']);
  });
});
