/** One second of the backend's event loop, as bin/eventLoopMonitor.js writes it. */
interface EventLoopSecond {
  t: number;
  maxMs: number;
  p99Ms: number;
  gcMaxMs: number;
  gcMs: number;
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
}

/**
 * Summarises the monitor's lines from `fromMs` to `toMs` (epoch ms). A line covers the second before its stamp, so
 * the window takes the lines stamped after its start and up to a second after its end. Lines that are not the
 * monitor's (a truncated last line) are skipped.
 */
export function summariseEventLoop(
  text: string,
  fromMs: number,
  toMs: number,
): EventLoopSummary {
  const seconds: EventLoopSecond[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let parsed: EventLoopSecond;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue;
    }
    if (parsed.t > fromMs && parsed.t <= toMs + 1000) seconds.push(parsed);
  }
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
  };
}
