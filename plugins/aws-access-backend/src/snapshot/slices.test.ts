import { AccessIndex } from './AccessIndex';
import { miniSnapshot } from './__fixtures__/miniSnapshot';
import { runAtOnce, runInSlices } from './slices';

function* counting(steps: number, log: string[]) {
  for (let i = 0; i < steps; i++) {
    log.push(`step ${i}`);
    yield;
  }
  return steps;
}

describe('sliced work', () => {
  it('runs at once without giving the event loop a turn', () => {
    const log: string[] = [];
    setImmediate(() => log.push('other work'));
    expect(runAtOnce(counting(3, log))).toBe(3);
    expect(log).toEqual(['step 0', 'step 1', 'step 2']);
  });

  it('gives the event loop a turn between slices, with the same result', async () => {
    const log: string[] = [];
    setImmediate(() => log.push('other work'));
    await expect(runInSlices(counting(3, log), 0)).resolves.toBe(3);
    expect(log).toEqual(['step 0', 'other work', 'step 1', 'step 2']);
  });

  it('derives an access index while other work goes on, as deriving at once does', async () => {
    const snapshot = miniSnapshot();
    let otherWork = 0;
    const pending = AccessIndex.derive({ snapshot, version: 0 }, 0);
    const other = (async () => {
      for (let i = 0; i < 5; i++) {
        await new Promise(r => setImmediate(r));
        otherWork++;
      }
    })();
    const sliced = await pending;
    // The derivation had more steps than the other work had turns: every turn came while it was running.
    expect(otherWork).toBe(5);
    await other;
    const atOnce = AccessIndex.build({ snapshot, version: 0 });
    expect(JSON.stringify(sliced.persons)).toBe(JSON.stringify(atOnce.persons));
    expect(sliced.gapsFirstSeen).toEqual(atOnce.gapsFirstSeen);
    expect(sliced.unmanaged).toEqual(atOnce.unmanaged);
  });
});
