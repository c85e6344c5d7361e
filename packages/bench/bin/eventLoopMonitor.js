/*
 * Preloaded into the benchmarked backend (`node --require`): the backend's own record of how long its event loop
 * was blocked, second by second. The health probe's latency, measured from the harness, also holds the harness's
 * own delays (the emulators answer thousands of calls in its process) and the network; this file holds only the
 * backend's. Nothing of the product is changed: the monitor is a timer histogram and a GC observer.
 *
 * Each line of AWS_ACCESS_BENCH_EVENT_LOOP_FILE is one second:
 *   {"t": epoch ms at the end of the second, "maxMs": longest timer delay, "p99Ms", "gcMaxMs": longest GC pause,
 *    "gcMs": GC pauses in all}
 */
const fs = require('node:fs');
const {
  monitorEventLoopDelay,
  PerformanceObserver,
} = require('node:perf_hooks');
const { isMainThread } = require('node:worker_threads');

const file = process.env.AWS_ACCESS_BENCH_EVENT_LOOP_FILE;
// Worker threads inherit `--require`: only the main thread's loop serves requests, and one writer keeps a line a second.
if (file && isMainThread) {
  // A 10 ms resolution: shorter blocks than that are not what the goal (≤ 100 ms) is about.
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let gcMaxMs = 0;
  let gcMs = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      gcMaxMs = Math.max(gcMaxMs, entry.duration);
      gcMs += entry.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  const ms = ns => Math.round(ns / 1e6);
  const timer = setInterval(() => {
    const line = {
      t: Date.now(),
      maxMs: ms(delay.max),
      p99Ms: ms(delay.percentile(99)),
      gcMaxMs: Math.round(gcMaxMs),
      gcMs: Math.round(gcMs),
    };
    delay.reset();
    gcMaxMs = 0;
    gcMs = 0;
    fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
  }, 1000);
  timer.unref();
}
