/** One second of the backend's event loop, as bin/eventLoopMonitor.js writes it. */
interface EventLoopSecond {
  t: number;
  maxMs: number;
  p99Ms: number;
  gcMaxMs: number;
  gcMs: number;
  /** V8's used heap right after the second's largest major GC; absent when none ran (and in older files). */
  liveHeapMb?: number;
  forcedGc?: undefined;
}

/** A full GC the harness asked for (SIGWINCH), as bin/eventLoopMonitor.js writes it. */
export interface ForcedGc {
  t: number;
  forcedGc: true;
  gcMs: number;
  liveHeapBytes: number;
  externalBytes: number;
}

/** The backend's event loop over a window: its longest block, and how much of that time went to GC. */
export interface EventLoopSummary {
  /** Seconds recorded in the window. */
  seconds: number;
  /** The longest timer delay in any second (10 ms resolution): the longest block, give or take 10 ms. */
  maxMs?: number;
  /** The highest of the seconds' 99th percentiles. */
  worstSecondP99Ms?: number;
  /** Seconds in which some block exceeded 100 ms, and 200 ms. */
  secondsOver100ms: number;
  secondsOver200ms: number;
  /** The longest single GC pause, and all GC pauses summed. */
  gcMaxMs?: number;
  gcMs: number;
  /** The most heap in use after a major GC in any second; undefined when V8 ran none (or the file predates it). */
  liveHeapMaxMb?: number;
}

function parseLines(text: string): (EventLoopSecond | ForcedGc)[] {
  const lines = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      lines.push(JSON.parse(line));
    } catch {
      // a line cut short by the process's end
    }
  }
  return lines;
}

function summarise(seconds: EventLoopSecond[]): EventLoopSummary {
  const max = (values: number[]) =>
    values.length ? Math.max(...values) : undefined;
  return {
    seconds: seconds.length,
    maxMs: max(seconds.map(s => s.maxMs)),
    worstSecondP99Ms: max(seconds.map(s => s.p99Ms)),
    secondsOver100ms: seconds.filter(s => s.maxMs > 100).length,
    secondsOver200ms: seconds.filter(s => s.maxMs > 200).length,
    gcMaxMs: max(seconds.map(s => s.gcMaxMs)),
    gcMs: seconds.reduce((sum, s) => sum + s.gcMs, 0),
    liveHeapMaxMb: max(
      seconds.flatMap(s => (s.liveHeapMb === undefined ? [] : [s.liveHeapMb])),
    ),
  };
}

/** The monitor's seconds stamped in (fromMs, toMs]; lines that are not the monitor's (a truncated last line) skipped. */
function secondsStamped(text: string, fromMs: number, toMs: number) {
  return parseLines(text).filter(
    (line): line is EventLoopSecond =>
      !line.forcedGc && line.t > fromMs && line.t <= toMs,
  );
}

/**
 * Summarises the monitor's lines from `fromMs` to `toMs` (epoch ms). A line covers the second before its stamp, so
 * the window takes the lines stamped after its start and up to a second after its end.
 */
export function summariseEventLoop(
  text: string,
  fromMs: number,
  toMs: number,
): EventLoopSummary {
  return summarise(secondsStamped(text, fromMs, toMs + 1000));
}

/**
 * A sync's event loop on either side of the end of its reading (`readingEndMs`: when it entered the phase after
 * `reading`): what the reads cost the loop, and what validating, deriving and committing did. The second that holds
 * the boundary counts after it, so the later part's figure is never too small.
 */
export function summariseEventLoopAroundReading(
  text: string,
  fromMs: number,
  readingEndMs: number,
  toMs: number,
): { reading: EventLoopSummary; afterReading: EventLoopSummary } {
  return {
    reading: summarise(secondsStamped(text, fromMs, readingEndMs)),
    afterReading: summarise(secondsStamped(text, readingEndMs, toMs + 1000)),
  };
}

/** The first full GC the harness asked for that the monitor recorded at or after `sinceMs`, if any yet. */
export function forcedGcSince(
  text: string,
  sinceMs: number,
): ForcedGc | undefined {
  return parseLines(text).find(
    (line): line is ForcedGc => line.forcedGc === true && line.t >= sinceMs,
  );
}

/** A sync's live heap: V8's used heap after a major GC, before the sync, at its most during it, and once it ended. */
export interface LiveHeap {
  /** After a full GC the harness asked for right before the sync. */
  beforeBytes: number;
  /**
   * The most after any major GC during the sync, V8's own or the one at its end, and never less than before it:
   * the sync started holding what the GC before it left.
   */
  peakBytes: number;
  /** After a full GC the harness asked for once the sync committed and served. */
  afterBytes: number;
  /** The peak over the heap before the sync: zero or more. */
  peakGrowthBytes: number;
  /** What the sync left behind: negative when it freed what the previous state held. */
  retainedGrowthBytes: number;
  externalBeforeBytes: number;
  externalAfterBytes: number;
}

/**
 * The live heap of a sync from the two full GCs around it and the most any major GC left during it (the monitor's
 * seconds, in MB). Undefined without both forced GCs: a backend that did not answer the signal.
 */
export function liveHeapOfSync(
  before: ForcedGc | undefined,
  duringMaxMb: number | undefined,
  after: ForcedGc | undefined,
): LiveHeap | undefined {
  if (!before || !after) return undefined;
  const peakBytes = Math.max(
    before.liveHeapBytes,
    after.liveHeapBytes,
    Math.round((duringMaxMb ?? 0) * 2 ** 20),
  );
  return {
    beforeBytes: before.liveHeapBytes,
    peakBytes,
    afterBytes: after.liveHeapBytes,
    peakGrowthBytes: peakBytes - before.liveHeapBytes,
    retainedGrowthBytes: after.liveHeapBytes - before.liveHeapBytes,
    externalBeforeBytes: before.externalBytes,
    externalAfterBytes: after.externalBytes,
  };
}
