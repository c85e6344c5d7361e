/*
 * Preloaded into a backend (NODE_OPTIONS=--require, where --cpu-prof is not allowed): SIGUSR2 starts V8's CPU
 * profiler, the next SIGUSR2 writes the profile to $BENCH_PROFILE_DIR/profile-<n>.cpuprofile. A measurement can
 * so profile just its load, not the process's start and sync.
 */
const inspector = require('node:inspector');
const fs = require('node:fs');
const path = require('node:path');

const session = new inspector.Session();
session.connect();
let running = false;
let written = 0;
process.on('SIGUSR2', () => {
  if (!running) {
    running = true;
    session.post('Profiler.enable', () => session.post('Profiler.start'));
    return;
  }
  running = false;
  session.post('Profiler.stop', (error, result) => {
    if (error) return;
    written += 1;
    fs.writeFileSync(
      path.join(process.env.BENCH_PROFILE_DIR, `profile-${written}.cpuprofile`),
      JSON.stringify(result.profile),
    );
  });
});
