/*
 * Preloaded into the benchmarked backend (`node --require`): the backend's own record of how long its event loop
 * was blocked, and how much heap it kept, second by second. The health probe's latency, measured from the harness,
 * also holds the harness's own delays (the emulators answer thousands of calls in its process) and the network;
 * this file holds only the backend's. Nothing of the product is changed: the monitor is a timer histogram, a GC
 * observer and a signal handler the harness alone sends.
 *
 * Each line of AWS_ACCESS_BENCH_EVENT_LOOP_FILE is one second:
 *   {"t": epoch ms at the end of the second, "maxMs": longest timer delay, "p99Ms", "gcMaxMs": longest GC pause,
 *    "gcMs": GC pauses in all, "liveHeapMb" and "externalMb": the most V8 heap in use (and external memory, such
 *    as Buffers) right after a major (mark-compact) GC in the second; both absent when no major GC ran}
 * The live heap is read when the observer runs, once the task that held the GC yields: what that task allocated
 * after the GC counts too, so a second's figure is an upper bound of what the GC left.
 *
 * RSS tracks when V8 chooses to collect as much as what the backend keeps; the live heap after a major GC does
 * not, but a sync may end before V8 runs one. So on SIGWINCH (free: the backend has no terminal, Node keeps
 * SIGUSR1 for its inspector and bin/profileOnSignal.js takes SIGUSR2) the monitor runs a full GC itself and writes
 *   {"t", "forcedGc": true, "gcMs": its pause, "liveHeapBytes", "externalBytes"}
 * The GC function comes from a context of its own: the backend's global gets no `gc`.
 */
const fs = require('node:fs');
const {
  constants: { NODE_PERFORMANCE_GC_MAJOR },
  monitorEventLoopDelay,
  performance,
  PerformanceObserver,
} = require('node:perf_hooks');
const v8 = require('node:v8');
const vm = require('node:vm');
const { isMainThread } = require('node:worker_threads');

const file = process.env.AWS_ACCESS_BENCH_EVENT_LOOP_FILE;
// Worker threads inherit `--require`: only the main thread's loop serves requests, and one writer keeps a line a second.
if (file && isMainThread) {
  // A 10 ms resolution: shorter blocks than that are not what the goal (≤ 100 ms) is about.
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let gcMaxMs = 0;
  let gcMs = 0;
  let live; // { heap, external } bytes after this second's largest major GC
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      gcMaxMs = Math.max(gcMaxMs, entry.duration);
      gcMs += entry.duration;
      if (entry.detail?.kind !== NODE_PERFORMANCE_GC_MAJOR) continue;
      const heap = v8.getHeapStatistics();
      if (!live || heap.used_heap_size > live.heap)
        live = { heap: heap.used_heap_size, external: heap.external_memory };
    }
  }).observe({ entryTypes: ['gc'] });
  const ms = ns => Math.round(ns / 1e6);
  const mb = bytes => Math.round((bytes / 2 ** 20) * 10) / 10;
  const timer = setInterval(() => {
    const line = {
      t: Date.now(),
      maxMs: ms(delay.max),
      p99Ms: ms(delay.percentile(99)),
      gcMaxMs: Math.round(gcMaxMs),
      gcMs: Math.round(gcMs),
      ...(live && { liveHeapMb: mb(live.heap), externalMb: mb(live.external) }),
    };
    delay.reset();
    gcMaxMs = 0;
    gcMs = 0;
    live = undefined;
    fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
  }, 1000);
  timer.unref();

  v8.setFlagsFromString('--expose-gc');
  const collectGarbage = vm.runInNewContext('gc');
  v8.setFlagsFromString('--no-expose-gc');
  process.on('SIGWINCH', () => {
    const started = performance.now();
    collectGarbage();
    const gcPauseMs = performance.now() - started;
    const heap = v8.getHeapStatistics();
    const line = {
      t: Date.now(),
      forcedGc: true,
      gcMs: Math.round(gcPauseMs),
      liveHeapBytes: heap.used_heap_size,
      externalBytes: heap.external_memory,
    };
    fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
  });
}
