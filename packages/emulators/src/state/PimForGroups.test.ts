import { durationMs } from './PimForGroups';

describe('PIM durations', () => {
  it.each([
    ['PT1M', 60_000],
    ['PT1H', 3_600_000],
    ['PT1H30M', 5_400_000],
    ['P1D', 86_400_000],
    ['P1DT2H', 93_600_000],
    ['PT30.5S', 30_500],
  ])('should read %s', (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  it.each(['', 'P', 'PT', 'PT0S', '1H', 'PT1h', 'P1W', 'one hour'])(
    'should refuse %p',
    text => {
      expect(durationMs(text)).toBeUndefined();
    },
  );
});
