import {
  forcedGcSince,
  liveHeapOfSync,
  summariseEventLoop,
  summariseEventLoopAroundReading,
} from './eventLoop';

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

describe('summariseEventLoopAroundReading', () => {
  it('splits a sync at the end of its reading, the second holding the boundary counted after it', () => {
    const text = [
      line(1_000, 900), // before the sync
      line(2_000, 300), // reading
      line(3_000, 250, 20), // reading, stamped at its end
      line(4_000, 60), // holds the boundary (3,400): after reading
      line(5_000, 90, 30),
      line(6_500, 40), // the second after the sync's end
      line(8_000, 700), // after it
    ].join('\n');

    const { reading, afterReading } = summariseEventLoopAroundReading(
      text,
      1_000,
      3_400,
      5_500,
    );

    expect(reading).toMatchObject({ seconds: 2, maxMs: 300, gcMaxMs: 20 });
    expect(afterReading).toMatchObject({
      seconds: 3,
      maxMs: 90,
      gcMaxMs: 30,
      secondsOver100ms: 0,
    });
  });
});

describe('the live heap', () => {
  const MB = 2 ** 20;
  const second = (t: number, liveHeapMb?: number) =>
    JSON.stringify({
      t,
      maxMs: 10,
      p99Ms: 10,
      gcMaxMs: 1,
      gcMs: 1,
      ...(liveHeapMb !== undefined && { liveHeapMb, externalMb: 1 }),
    });
  const forced = (t: number, liveHeapMB: number, externalMB = 2) =>
    JSON.stringify({
      t,
      forcedGc: true,
      gcMs: 30,
      liveHeapBytes: liveHeapMB * MB,
      externalBytes: externalMB * MB,
    });
  const parse = (text: string) => forcedGcSince(text, 0)!;

  it("takes the most any second's major GC left, and does not count the harness's forced GCs as seconds", () => {
    const text = [
      second(1_000, 900), // before the window
      forced(1_500, 100),
      second(2_000),
      second(3_000, 340.5),
      forced(3_200, 800), // a forced GC is no second, whatever it held
      second(4_000, 290),
      '',
    ].join('\n');

    const summary = summariseEventLoop(text, 1_000, 4_000);
    expect(summary.seconds).toBe(3);
    expect(summary.liveHeapMaxMb).toBe(340.5);
    expect(
      summariseEventLoop(second(2_000), 1_000, 2_000).liveHeapMaxMb,
    ).toBeUndefined();
  });

  it('finds the first forced GC at or after the time it was asked for', () => {
    const text = [
      forced(1_000, 100),
      second(2_000, 5),
      forced(2_500, 120),
      forced(3_000, 90),
    ].join('\n');
    expect(forcedGcSince(text, 1_001)?.liveHeapBytes).toBe(120 * MB);
    expect(forcedGcSince(text, 2_500)?.t).toBe(2_500);
    expect(forcedGcSince(text, 3_001)).toBeUndefined();
  });

  it("measures a sync's growth from the forced GCs around it, at its peak and what it retained", () => {
    expect(
      liveHeapOfSync(
        parse(forced(1_000, 200, 3)),
        450,
        parse(forced(9_000, 230, 5)),
      ),
    ).toEqual({
      beforeBytes: 200 * MB,
      peakBytes: 450 * MB,
      afterBytes: 230 * MB,
      peakGrowthBytes: 250 * MB,
      retainedGrowthBytes: 30 * MB,
      externalBeforeBytes: 3 * MB,
      externalAfterBytes: 5 * MB,
    });
    // No major GC of V8's own during the sync: the one at its end is the peak, unless it is below the one before.
    expect(
      liveHeapOfSync(
        parse(forced(1_000, 200)),
        undefined,
        parse(forced(9_000, 230)),
      ),
    ).toMatchObject({ peakBytes: 230 * MB, peakGrowthBytes: 30 * MB });
    // A sync that frees what the previous state held: every sample is below the baseline, which is then the peak
    // (the sync started holding it), so the peak growth is zero, never negative; what it retained may be.
    for (const duringMaxMb of [undefined, 190]) {
      expect(
        liveHeapOfSync(
          parse(forced(1_000, 200)),
          duringMaxMb,
          parse(forced(9_000, 180)),
        ),
      ).toMatchObject({
        peakBytes: 200 * MB,
        peakGrowthBytes: 0,
        retainedGrowthBytes: -20 * MB,
      });
    }
    expect(
      liveHeapOfSync(undefined, 450, parse(forced(9_000, 230))),
    ).toBeUndefined();
  });
});
