import {
  durationParts,
  exactDurationParts,
  formatClockTime,
  formatDateTime,
  formatSessionDuration,
  parseIsoDuration,
  secondsBetween,
} from './time';

describe('time formatting', () => {
  it('formats local clock times as 24-hour HH:MM', () => {
    expect(formatClockTime(new Date(2026, 10, 30, 13, 20).toISOString())).toBe(
      '13:20',
    );
    expect(formatClockTime(new Date(2026, 10, 30, 9, 5).toISOString())).toBe(
      '09:05',
    );
    expect(formatClockTime('not a date')).toBe('not a date');
  });

  it('formats local date and time', () => {
    expect(formatDateTime(new Date(2026, 0, 2, 7, 3).toISOString())).toBe(
      '2026-01-02 07:03',
    );
  });

  it.each([
    [0, { unit: 'seconds', count: 0 }],
    [45, { unit: 'seconds', count: 45 }],
    [89, { unit: 'seconds', count: 89 }],
    [90, { unit: 'minutes', count: 2 }],
    [38 * 60, { unit: 'minutes', count: 38 }],
    [5 * 3600, { unit: 'hours', count: 5 }],
    [47 * 3600, { unit: 'hours', count: 47 }],
    [3 * 86400, { unit: 'days', count: 3 }],
    [-10, { unit: 'seconds', count: 0 }],
  ])('splits %d seconds into %j', (seconds, expected) => {
    expect(durationParts(seconds)).toEqual(expected);
  });

  it('measures seconds between instants', () => {
    expect(secondsBetween('2026-11-30T12:40:00Z', '2026-11-30T13:18:00Z')).toBe(
      38 * 60,
    );
    expect(
      secondsBetween('2026-11-30T12:00:00Z', undefined, () =>
        Date.parse('2026-11-30T12:00:30Z'),
      ),
    ).toBe(30);
  });

  it.each([
    ['PT4H', 4 * 3600],
    ['PT1H30M', 5400],
    ['PT12H', 12 * 3600],
    ['PT90S', 90],
    ['P1D', 86400],
    ['PT', undefined],
    ['P', undefined],
    ['4 hours', undefined],
  ])('parses the ISO duration %s', (duration, seconds) => {
    expect(parseIsoDuration(duration)).toBe(seconds);
  });

  it('formats session durations compactly', () => {
    expect(formatSessionDuration('PT4H')).toBe('4 h');
    expect(formatSessionDuration('PT1H30M')).toBe('1 h 30 min');
    expect(formatSessionDuration('PT15M')).toBe('15 min');
    expect(formatSessionDuration('weird')).toBe('weird');
  });
});

describe('exactDurationParts', () => {
  it('uses the largest unit that divides the duration exactly', () => {
    expect(exactDurationParts(3600)).toEqual({ unit: 'hours', count: 1 });
    expect(exactDurationParts(5400)).toEqual({ unit: 'minutes', count: 90 });
    expect(exactDurationParts(7 * 86400)).toEqual({ unit: 'days', count: 7 });
    expect(exactDurationParts(36 * 3600)).toEqual({ unit: 'hours', count: 36 });
    expect(exactDurationParts(45)).toEqual({ unit: 'seconds', count: 45 });
  });
});
