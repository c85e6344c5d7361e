import {
  RequestState,
  isAwaitingDecision,
  isFinalRequestState,
  isOpenRequestState,
  isRequestActive,
  isRequestFailed,
  isRequestInFlight,
  requestStates,
} from './governance';

describe('request states', () => {
  it('lists every state in the order of a request’s life', () => {
    expect(requestStates).toEqual([
      'submitted',
      'approved',
      'denied',
      'cancelled',
      'expired',
      'granting',
      'active',
      'revoking',
      'ended',
      'failed',
    ]);
  });

  it.each([
    [RequestState.submitted, false],
    [RequestState.approved, false],
    [RequestState.granting, false],
    [RequestState.active, false],
    [RequestState.revoking, false],
    [RequestState.failed, false],
    [RequestState.denied, true],
    [RequestState.cancelled, true],
    [RequestState.expired, true],
    [RequestState.ended, true],
  ])('%s is final: %p, and open exactly when not final', (state, final) => {
    expect(isFinalRequestState(state)).toBe(final);
    expect(isOpenRequestState(state)).toBe(!final);
  });
});

describe('request state predicates', () => {
  it.each([
    // state, in flight, awaiting decision, active, failed
    [RequestState.submitted, false, true, false, false],
    [RequestState.approved, true, false, false, false],
    [RequestState.denied, false, false, false, false],
    [RequestState.cancelled, false, false, false, false],
    [RequestState.expired, false, false, false, false],
    [RequestState.granting, true, false, false, false],
    [RequestState.active, false, false, true, false],
    [RequestState.revoking, true, false, false, false],
    [RequestState.ended, false, false, false, false],
    [RequestState.failed, false, false, false, true],
  ])(
    '%s: in flight %p, awaiting decision %p, active %p, failed %p',
    (state, inFlight, awaiting, active, failed) => {
      expect([
        isRequestInFlight(state),
        isAwaitingDecision(state),
        isRequestActive(state),
        isRequestFailed(state),
      ]).toEqual([inFlight, awaiting, active, failed]);
    },
  );
});
