import { TurnsTakenTogether } from './TurnsTakenTogether';

/** A promise settled from outside. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>(r => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('TurnsTakenTogether', () => {
  it('should take everything asked for during a turn together in the next, in order', async () => {
    const events: string[] = [];
    const entered = deferred();
    const release = deferred();
    const turns = new TurnsTakenTogether<string, string>({
      maxWaitMs: 60_000,
      turn: async items => {
        events.push(`start ${items.join('+')}`);
        if (items[0] === 'a') {
          entered.resolve();
          await release.promise;
        }
        events.push(`end ${items.join('+')}`);
        return items.map(i => `done ${i}`);
      },
    });
    const first = turns.run('a');
    await entered.promise;
    // Asked for while `a` runs: one turn after it.
    const rest = [turns.run('b'), turns.run('c')];
    release.resolve();
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

  it("should fail a turn's callers when it throws, and go on with the next", async () => {
    const entered = deferred();
    const release = deferred();
    const turns = new TurnsTakenTogether<string, string>({
      maxWaitMs: 60_000,
      turn: async items => {
        if (items.includes('bad')) {
          entered.resolve();
          await release.promise;
          throw new Error('turn failed');
        }
        return items;
      },
    });
    const first = turns.run('bad');
    const second = turns.run('also in the failed turn');
    await entered.promise;
    const next = turns.run('next');
    release.resolve();
    expect(await Promise.allSettled([first, second, next])).toEqual([
      { status: 'rejected', reason: new Error('turn failed') },
      { status: 'rejected', reason: new Error('turn failed') },
      { status: 'fulfilled', value: 'next' },
    ]);
  });

  it('should fail the callers of a turn that does not answer each of them', async () => {
    const turns = new TurnsTakenTogether<string, string>({
      maxWaitMs: 60_000,
      turn: async () => ['only one'],
    });
    const results = await Promise.allSettled([turns.run('a'), turns.run('b')]);
    expect(results.map(r => r.status)).toEqual(['rejected', 'rejected']);
  });

  describe('with a turn that never settles', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('should let the next turn go after maxWaitMs, and the one after wait only for it', async () => {
      const started: string[] = [];
      const turns = new TurnsTakenTogether<string, string>({
        maxWaitMs: 50,
        turn: items => {
          started.push(...items);
          return items[0] === 'hangs'
            ? new Promise(() => {})
            : Promise.resolve(items);
        },
      });
      void turns.run('hangs');
      await jest.advanceTimersByTimeAsync(0);
      const next = turns.run('next');
      await jest.advanceTimersByTimeAsync(49);
      expect(started).toEqual(['hangs']);
      await jest.advanceTimersByTimeAsync(1);
      await expect(next).resolves.toBe('next');
      // The one after waits for `next`, not for the hung turn: no time passes.
      await expect(turns.run('after')).resolves.toBe('after');
      expect(started).toEqual(['hangs', 'next', 'after']);
    });
  });
});
