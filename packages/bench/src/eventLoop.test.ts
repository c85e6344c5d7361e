import { summariseEventLoop } from './eventLoop';

const line = (t: number, maxMs: number, gcMaxMs = 0, gcMs = gcMaxMs) =>
  JSON.stringify({ t, maxMs, p99Ms: Math.min(maxMs, 20), gcMaxMs, gcMs });

describe('summariseEventLoop', () => {
  it('takes the seconds that overlap the window and reports their longest block and GC', () => {
    const text = [
      line(1_000, 900), // ends before the window: another phase's block
      line(2_000, 40, 5),
      line(3_000, 150, 60, 70),
      line(4_000, 230, 10),
      line(5_500, 12), // covers the second after the window's end
      line(7_000, 800), // after it
      '{"t": 4500, "maxMs"', // a line cut short by the process's end
      '',
    ].join('\n');

    expect(summariseEventLoop(text, 1_000, 5_000)).toEqual({
      seconds: 4,
      maxMs: 230,
      worstSecondP99Ms: 20,
      secondsOver100ms: 2,
      secondsOver200ms: 1,
      gcMaxMs: 60,
      gcMs: 85,
    });
  });

  it('says nothing was recorded when the monitor wrote nothing', () => {
    expect(summariseEventLoop('', 0, 10_000)).toEqual({
      seconds: 0,
      maxMs: undefined,
      worstSecondP99Ms: undefined,
      secondsOver100ms: 0,
      secondsOver200ms: 0,
      gcMaxMs: undefined,
      gcMs: 0,
    });
  });
});
