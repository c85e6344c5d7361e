import {
  checkRequestForm,
  durationChoices,
  initialDuration,
  matchesRequestable,
  needsPolling,
  requestablesForAccount,
  secondsUntilExpiry,
  unavailableReason,
} from './requests';
import {
  accessRequest,
  activeRequest,
  adminRequestable,
  powerUserRequestable,
} from '../__testUtils__/requests';

describe('matchesRequestable', () => {
  it('finds a group by what it gives, word by word, in any case', () => {
    const powerUser = powerUserRequestable();
    expect(matchesRequestable(powerUser, 'poweruser payments-dev')).toBe(true);
    expect(matchesRequestable(powerUser, 'PowerUser checkout')).toBe(true);
    expect(matchesRequestable(powerUser, '300000000001')).toBe(true);
    expect(matchesRequestable(powerUser, 'aws-developers')).toBe(true);
    expect(matchesRequestable(powerUser, 'admin')).toBe(false);
    expect(matchesRequestable(powerUser, 'poweruser payments-prod')).toBe(
      false,
    );
    expect(matchesRequestable(adminRequestable(), '  ')).toBe(true);
  });
});

describe('requestablesForAccount', () => {
  it('keeps the groups that give anything on the account', () => {
    const items = [adminRequestable(), powerUserRequestable()];
    expect(
      requestablesForAccount(items, '200000000003').map(r => r.group.name),
    ).toEqual(['AWS-Payments-Prod-Admin']);
    expect(requestablesForAccount(items, '999999999999')).toEqual([]);
  });
});

describe('unavailableReason', () => {
  it('says why a group cannot be requested now', () => {
    expect(unavailableReason(adminRequestable())).toBeUndefined();
    expect(unavailableReason(adminRequestable({ member: true }))).toBe(
      'member',
    );
    expect(
      unavailableReason(adminRequestable({ openRequestId: 'req-1' })),
    ).toBe('open-request');
  });
});

describe('durationChoices', () => {
  it('offers the presets up to the ceiling, the ceiling itself included', () => {
    expect(durationChoices(adminRequestable().policy)).toEqual([
      'PT15M',
      'PT30M',
      'PT1H',
      'PT2H',
      'PT4H',
    ]);
  });

  it("keeps a policy's own default and ceiling when they are not presets", () => {
    const policy = {
      ...adminRequestable().policy,
      defaultDuration: 'PT45M',
      maxDuration: 'PT90M',
    };
    expect(durationChoices(policy)).toEqual([
      'PT15M',
      'PT30M',
      'PT45M',
      'PT1H',
      'PT90M',
    ]);
    expect(initialDuration(policy)).toBe('PT45M');
  });

  it('offers standing access only without a ceiling and a default', () => {
    const choices = durationChoices(powerUserRequestable().policy);
    expect(choices[choices.length - 1]).toBe('');
    expect(choices).toContain('P7D');
    expect(initialDuration(powerUserRequestable().policy)).toBe('');

    const withDefault = {
      ...powerUserRequestable().policy,
      defaultDuration: 'PT8H',
    };
    expect(durationChoices(withDefault)).not.toContain('');
    expect(initialDuration(withDefault)).toBe('PT8H');
  });
});

describe('checkRequestForm', () => {
  const policy = adminRequestable().policy;

  it('passes a complete form', () => {
    expect(
      checkRequestForm(policy, {
        duration: 'PT1H',
        justification: 'incident',
        ticket: ' INC-4711 ',
      }),
    ).toEqual([]);
  });

  it('names the missing justification and the ticket that does not match', () => {
    expect(
      checkRequestForm(policy, {
        duration: 'PT1H',
        justification: '  ',
        ticket: '4711',
      }),
    ).toEqual([
      { field: 'justification', problem: 'missing' },
      { field: 'ticket', problem: 'mismatch', pattern: '^(INC|CHG)-\\d+$' },
    ]);
  });

  it('leaves optional fields and unreadable patterns to the backend', () => {
    expect(
      checkRequestForm(powerUserRequestable().policy, {
        duration: '',
        justification: '',
        ticket: '',
      }),
    ).toEqual([]);
    expect(
      checkRequestForm(
        { ...policy, justification: 'optional', ticketPattern: '(' },
        { duration: 'PT1H', justification: '', ticket: 'x' },
      ),
    ).toEqual([]);
  });
});

describe('needsPolling and secondsUntilExpiry', () => {
  const at = (iso: string) => Date.parse(iso);

  it('polls while the backend carries a request, or once an active one is past its expiry', () => {
    const active = activeRequest();
    expect(needsPolling(accessRequest({ state: 'granting' }), 0)).toBe(true);
    expect(needsPolling(accessRequest({ state: 'approved' }), 0)).toBe(true);
    expect(needsPolling(accessRequest({ state: 'revoking' }), 0)).toBe(true);
    expect(needsPolling(accessRequest(), 0)).toBe(false);
    expect(needsPolling(accessRequest({ state: 'ended' }), 0)).toBe(false);
    expect(needsPolling(active, at(active.expiresAt!) - 1000)).toBe(false);
    expect(needsPolling(active, at(active.expiresAt!))).toBe(true);
  });

  it('counts down to the expiry', () => {
    const active = activeRequest();
    expect(secondsUntilExpiry(active, at(active.expiresAt!) - 90_000)).toBe(90);
    expect(secondsUntilExpiry(accessRequest(), 0)).toBeUndefined();
  });
});
