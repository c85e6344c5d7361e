/*
 * Preloaded into a backend (NODE_OPTIONS=--require, where --cpu-prof is not allowed): SIGUSR2 starts V8's CPU
 * profiler, the next SIGUSR2 writes the profile to $BENCH_PROFILE_DIR/profile-<n>.cpuprofile. A measurement can
 * so profile just its load, not the process's start and sync.
 *
 * While profiling, a 5 ms timer also stamps every stretch over 100 ms in which it could not run (the event loop
 * was blocked) and writes them beside the profile as profile-<n>.blocks.json: [[startUs, endUs], ...] on the
 * profile's own clock (both are the monotonic clock in µs), so bin/profileBlocks.js can cut the samples at them.
 */
const inspector = require('node:inspector');
const fs = require('node:fs');
const path = require('node:path');

const STAMP_EVERY_MS = 5;
const BLOCK_OVER_US = 100_000;
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

const session = new inspector.Session();
session.connect();
let running = false;
let written = 0;
let blocks = [];
let stamper;
process.on('SIGUSR2', () => {
  if (!running) {
    running = true;
    blocks = [];
    session.post('Profiler.enable', () =>
      session.post('Profiler.start', () => {
        let last = nowUs();
        stamper = setInterval(() => {
          const now = nowUs();
          if (now - last > BLOCK_OVER_US) blocks.push([last, now]);
          last = now;
        }, STAMP_EVERY_MS);
      }),
    );
    return;
  }
  running = false;
  clearInterval(stamper);
  session.post('Profiler.stop', (error, result) => {
    if (error) return;
    written += 1;
    const base = path.join(process.env.BENCH_PROFILE_DIR, `profile-${written}`);
    fs.writeFileSync(`${base}.cpuprofile`, JSON.stringify(result.profile));
    fs.writeFileSync(`${base}.blocks.json`, JSON.stringify(blocks));
  });
});
