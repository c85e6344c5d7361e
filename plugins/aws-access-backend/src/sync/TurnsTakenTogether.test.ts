import { TurnsTakenTogether } from './TurnsTakenTogether';

describe('TurnsTakenTogether', () => {
  it('takes everything asked for during a turn together in the next, in order', async () => {
    const events: string[] = [];
    const turns = new TurnsTakenTogether<string, string>({
      maxWaitMs: 60_000,
      turn: async items => {
        events.push(`start ${items.join('+')}`);
        await new Promise(resolve => setTimeout(resolve, 20));
        events.push(`end ${items.join('+')}`);
        return items.map(i => `done ${i}`);
      },
    });
    const first = turns.run('a');
    // Asked for while `a` runs: one turn after it.
    await new Promise(resolve => setTimeout(resolve, 5));
    const rest = [turns.run('b'), turns.run('c')];
    expect(await Promise.all([first, ...rest])).toEqual([
      'done a',
      'done b',
      'done c',
    ]);
    expect(events).toEqual(['start a', 'end a', 'start b+c', 'end b+c']);
    // Nothing waits: the next turn begins at once, alone.
    await expect(turns.run('d')).resolves.toBe('done d');
    expect(events.slice(4)).toEqual(['start d', 'end d']);
  });

  it("fails a turn's callers when it throws, and goes on with the next", async () => {
    const turns = new TurnsTakenTogether<string, string>({
      maxWaitMs: 60_000,
      turn: async items => {
        await new Promise(resolve => setTimeout(resolve, 10));
        if (items.includes('bad')) throw new Error('turn failed');
        return items;
      },
    });
    const first = turns.run('bad');
    const second = turns.run('also in the failed turn');
    await new Promise(resolve => setTimeout(resolve, 1));
    const next = turns.run('next');
    const results = await Promise.allSettled([first, second, next]);
    expect(results).toEqual([
      { status: 'rejected', reason: new Error('turn failed') },
      { status: 'rejected', reason: new Error('turn failed') },
      { status: 'fulfilled', value: 'next' },
    ]);
  });

  it('lets the next turn go after maxWaitMs when one never settles', async () => {
    let calls = 0;
    const turns = new TurnsTakenTogether<string, string>({
      maxWaitMs: 50,
      turn: items =>
        ++calls === 1 ? new Promise(() => {}) : Promise.resolve(items),
    });
    void turns.run('hangs');
    await new Promise(resolve => setTimeout(resolve, 1));
    const started = Date.now();
    await expect(turns.run('next')).resolves.toBe('next');
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    // The one after waits for `next`, not for the hung turn.
    const after = Date.now();
    await expect(turns.run('after')).resolves.toBe('after');
    expect(Date.now() - after).toBeLessThan(45);
  });
});
