import { scaleGoals } from './scaleGoals';

const MB = 2 ** 20;
const sync = (blockMs: number, rssMB: number, p99Ms = 30, idleP50Ms = 10) => ({
  rss: { growthBytes: rssMB * MB },
  responsiveness: {
    maxMs: blockMs + 500, // the probe from the harness: always longer
    p99Ms,
    idle: { p50Ms: idleP50Ms },
    eventLoop: { maxMs: blockMs, gcMaxMs: 7 },
  },
});
const serving = (team: number, catalog: number) => ({
  concurrent: {
    group: { requestsPerSecond: team },
    catalogByName: { requestsPerSecond: catalog },
  },
});

describe('scaleGoals', () => {
  it("meets the goals at large when every sync's block, probe and memory are within them", () => {
    const goals = scaleGoals({
      size: 'large',
      coldSync: sync(90, 250),
      steadySync: sync(40, 60),
      rateLimitedSync: sync(20, 100),
      serving: serving(120, 111),
      servingSubjects: { groupDirectMembers: 200 },
    });
    expect(goals.map(([met]) => met)).toEqual([true, true, true, true]);
    expect(goals[0][1]).toContain(
      'cold 90 ms (longest GC pause 7 ms), steady 40 ms (longest GC pause 7 ms), rate-limited 20 ms',
    );
    expect(goals[0][1]).toContain("the backend's own event-loop monitor");
  });

  it('fails a goal when any one sync misses it, at the limits of the size', () => {
    const goals = scaleGoals({
      size: 'large',
      coldSync: sync(90, 250),
      steadySync: sync(40, 60, 31, 10), // p99 above 3× the idle median
      rateLimitedSync: sync(101, 257), // one block and the memory over
      serving: serving(41, 111),
    });
    expect(goals.map(([met]) => met)).toEqual([false, false, false, false]);
    expect(goals[1][1]).toContain('steady 31 ms vs idle 10 ms');
    expect(goals[2][1]).toContain('rate-limited 257 MB');
    expect(goals[3][1]).toContain('41 vs 111 requests/s');
  });

  it('holds the envelope to its own limits', () => {
    const [block, , memory] = scaleGoals({
      size: 'envelope',
      coldSync: sync(190, 500),
    });
    expect(block[0]).toBe(true);
    expect(block[1]).toContain('≤ 200 ms');
    expect(memory[0]).toBe(true);
    expect(memory[1]).toContain('≤ 512 MB');
  });

  it('judges the whole sync but says how much of its longest block came while it read', () => {
    const steady = sync(355, 100);
    const [block] = scaleGoals({
      size: 'envelope',
      steadySync: {
        ...steady,
        responsiveness: {
          ...steady.responsiveness,
          eventLoopWhileReading: { maxMs: 355 },
          eventLoopAfterReading: { maxMs: 90 },
        },
      },
    });
    expect(block[0]).toBe(false);
    expect(block[1]).toContain(
      'steady 355 ms (longest GC pause 7 ms) [reading 355 ms, after reading 90 ms]',
    );
  });

  it("falls back to the probe's maximum for runs without the monitor, and says so", () => {
    const [block, probe, memory, team] = scaleGoals({
      size: 'large',
      coldSync: { responsiveness: { maxMs: 617, p99Ms: 102 } },
    });
    expect([probe[0], memory[0]]).toEqual([undefined, undefined]);
    expect(block).toEqual([
      false,
      'Issue 18 never stall: the longest event-loop block of every sync ≤ 100 ms: cold 617 ms (the health probe from the harness).',
    ]);
    expect(team[0]).toBeUndefined();
  });

  it("puts each sync's live-heap growth beside its RSS, and judges on the RSS alone", () => {
    const [, , memory] = scaleGoals({
      size: 'envelope',
      coldSync: {
        ...sync(100, 600),
        liveHeap: { peakGrowthBytes: 300 * MB, retainedGrowthBytes: 40 * MB },
      },
      steadySync: {
        ...sync(100, 500),
        liveHeap: { peakGrowthBytes: 120 * MB, retainedGrowthBytes: -3 * MB },
      },
      rateLimitedSync: sync(100, 20), // a run from before the live heap
    });
    expect(memory[0]).toBe(false); // the cold sync's RSS, though its live heap grew 300 MB
    expect(memory[1]).toContain(
      'cold 600 MB (live heap +300 MB at peak, +40 MB retained), steady 500 MB (live heap +120 MB at peak, −3 MB retained), rate-limited 20 MB (live heap –).',
    );
    expect(memory[1]).toContain('depends on when V8 chooses to collect');
  });
});
