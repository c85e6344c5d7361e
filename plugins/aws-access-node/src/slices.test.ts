import { EventLoopSlices, runAtOnce, runInSlices } from './slices';

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

  it('counts the turns it gave, and gives none while a slice has time left', async () => {
    const log: string[] = [];
    const everyStep = new EventLoopSlices(0);
    await expect(everyStep.run(counting(3, log))).resolves.toBe(3);
    expect(everyStep.turns).toBe(3);

    const never = new EventLoopSlices(Infinity);
    setImmediate(() => log.push('other work'));
    await never.run(counting(2, log));
    expect(never.due()).toBe(false);
    expect(never.turns).toBe(0);
    expect(log.slice(3)).toEqual(['step 0', 'step 1']);
  });
});
