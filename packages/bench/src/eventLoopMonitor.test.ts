import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ForcedGc } from './eventLoop';
import { forcedGcSince, summariseEventLoop } from './eventLoop';

const MONITOR = path.join(__dirname, '../bin/eventLoopMonitor.js');
const MB = 2 ** 20;

// Holds ~80 MB until its first SIGWINCH (after the monitor's own handler has collected), then lets it go.
const HOLDER = `
let held = Array.from({ length: 80 }, (_, i) => new Array(131072).fill(i + 0.5));
process.on('SIGWINCH', () => { held = undefined; });
console.log(typeof globalThis.gc);
setInterval(() => {}, 1000);
`;

async function nextForcedGc(file: string, since: number) {
  for (let waited = 0; waited < 30_000; waited += 100) {
    await new Promise(resolve => setTimeout(resolve, 100));
    const gc = fs.existsSync(file)
      ? forcedGcSince(fs.readFileSync(file, 'utf8'), since)
      : undefined;
    if (gc) return gc;
  }
  throw new Error('the monitor wrote no forced GC');
}

describe('bin/eventLoopMonitor.js', () => {
  it('runs a full GC on SIGWINCH and records the heap it kept, without giving the process a gc()', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-monitor-'));
    const file = path.join(dir, 'event-loop.jsonl');
    const child = spawn(
      process.execPath,
      ['--require', MONITOR, '-e', HOLDER],
      {
        env: { ...process.env, AWS_ACCESS_BENCH_EVENT_LOOP_FILE: file },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      const [stdout] = await new Promise<Buffer[]>(resolve =>
        child.stdout!.once('data', data => resolve([data])),
      );
      expect(stdout.toString().trim()).toBe('undefined');

      const askedFirst = Date.now();
      child.kill('SIGWINCH');
      const holding = await nextForcedGc(file, askedFirst);
      // A second apart, so each forced GC has a monitor second of its own.
      await new Promise(resolve => setTimeout(resolve, 1100));
      const askedAgain = Date.now();
      child.kill('SIGWINCH');
      const freed = await nextForcedGc(file, askedAgain);

      expect(holding.liveHeapBytes).toBeGreaterThan(75 * MB);
      expect(freed.liveHeapBytes).toBeLessThan(20 * MB);
      // The forced GCs are major ones: the seconds that held them report what each left, and forced lines are
      // not read as seconds.
      const secondOf = async (gc: ForcedGc) => {
        await new Promise(resolve => setTimeout(resolve, 1500));
        return summariseEventLoop(fs.readFileSync(file, 'utf8'), gc.t, gc.t);
      };
      const heldSecond = await secondOf(holding);
      const freedSecond = await secondOf(freed);
      expect(heldSecond.seconds).toBe(1);
      expect(heldSecond.liveHeapMaxMb).toBeGreaterThan(75);
      expect(freedSecond.seconds).toBe(1);
      expect(freedSecond.liveHeapMaxMb).toBeLessThan(20);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
