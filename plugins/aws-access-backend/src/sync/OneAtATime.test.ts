import { OneAtATime } from './OneAtATime';

describe('OneAtATime', () => {
  it('starts each task after the one before settled, failures included', async () => {
    const turns = new OneAtATime({ maxWaitMs: 60_000 });
    const events: string[] = [];
    const task = (name: string, ms: number, fail = false) =>
      turns.run(async () => {
        events.push(`start ${name}`);
        await new Promise(resolve => setTimeout(resolve, ms));
        events.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([
      task('a', 30),
      task('b', 0, true),
      task('c', 0),
    ]);
    expect(events).toEqual([
      'start a',
      'end a',
      'start b',
      'end b',
      'start c',
      'end c',
    ]);
    expect(results.map(r => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
  });

  it('lets the next task go after maxWaitMs when one never settles', async () => {
    const turns = new OneAtATime({ maxWaitMs: 50 });
    void turns.run(() => new Promise(() => {}));
    const started = Date.now();
    await expect(turns.run(async () => 'next')).resolves.toBe('next');
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    // The one after waits for `next`, not for the hung task.
    await expect(turns.run(async () => 'after')).resolves.toBe('after');
  });
});
