import {
  grantStateKey,
  grantStates,
  isActive,
  isBeingRemoved,
  isInFlight,
  isNestedOnly,
  isStuck,
  isUsable,
} from './states';

describe('grant state predicates', () => {
  it.each([
    // state, usable, active, in flight, stuck, being removed, nested only
    ['active', true, true, false, false, false, false],
    ['pending', false, false, true, false, false, false],
    ['stuck', false, false, true, true, false, false],
    ['revoking', true, false, false, false, true, false],
    ['unsupported-nesting', false, false, false, false, false, true],
  ] as const)(
    '%s: usable %s, active %s, in flight %s, stuck %s, being removed %s, nested only %s',
    (state, usable, active, inFlight, stuck, removed, nested) => {
      expect([
        isUsable(state),
        isActive(state),
        isInFlight(state),
        isStuck(state),
        isBeingRemoved(state),
        isNestedOnly(state),
      ]).toEqual([usable, active, inFlight, stuck, removed, nested]);
    },
  );

  it('covers every state, and names each by its key', () => {
    expect(grantStates.map(grantStateKey)).toEqual([
      'active',
      'pending',
      'stuck',
      'revoking',
      'unsupportedNesting',
    ]);
  });
});
