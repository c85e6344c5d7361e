import {
  RequestState,
  isFinalRequestState,
  isOpenRequestState,
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
