import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const PROFILER = path.join(__dirname, '../bin/profileOnSignal.js');
const BLOCKS = path.join(__dirname, '../bin/profileBlocks.js');

// Profiles itself with the preload's signal: one 300 ms block in `holdTheLoop`, one of 30 ms (under 100 ms: not a block).
const BLOCKY = `
const keepAlive = setInterval(() => {}, 1000);
function holdTheLoop(ms) { const end = Date.now() + ms; let n = 0; while (Date.now() < end) n += 1; return n; }
setTimeout(() => process.kill(process.pid, 'SIGUSR2'), 100);
setTimeout(() => holdTheLoop(300), 500);
setTimeout(() => holdTheLoop(30), 1100);
setTimeout(() => { process.kill(process.pid, 'SIGUSR2'); setTimeout(() => clearInterval(keepAlive), 500); }, 1500);
`;

describe('bin/profileOnSignal.js and bin/profileBlocks.js', () => {
  it('stamps the blocks on the profile’s clock and attributes each to what ran in it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-profile-'));
    const child = spawn(
      process.execPath,
      ['--require', PROFILER, '-e', BLOCKY],
      {
        env: { ...process.env, BENCH_PROFILE_DIR: dir },
        stdio: 'inherit',
      },
    );
    await new Promise(resolve => child.once('exit', resolve));

    const profile = JSON.parse(
      fs.readFileSync(path.join(dir, 'profile-1.cpuprofile'), 'utf8'),
    );
    const blocks: [number, number][] = JSON.parse(
      fs.readFileSync(path.join(dir, 'profile-1.blocks.json'), 'utf8'),
    );
    expect(blocks).toHaveLength(1);
    const [[start, end]] = blocks;
    expect(end - start).toBeGreaterThanOrEqual(290_000);
    expect(end - start).toBeLessThan(600_000);
    // Inside the profile, not before its start: the same clock.
    expect(start).toBeGreaterThan(profile.startTime);
    expect(end).toBeLessThan(profile.endTime);

    const { stdout } = await promisify(execFile)(process.execPath, [
      BLOCKS,
      path.join(dir, 'profile-1.cpuprofile'),
      '--top',
      '1',
    ]);
    const [firstBlock] = stdout.split('\n## ').slice(1);
    expect(firstBlock).toMatch(/^block at \+\d+ ms: 3\d\d ms blocked/);
    // Its top function by self time is the one that held the loop (most of the block, less on a loaded machine:
    // 88 % under CI's parallel tests).
    expect(firstBlock).toMatch(
      /by function \(self\):\n +\d+ ms +[5-9]\d % {2}holdTheLoop /,
    );
    expect(stdout).toContain('## all 1 blocks over 100 ms');
  }, 20_000);
});
