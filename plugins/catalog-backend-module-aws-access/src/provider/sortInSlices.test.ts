import { turnCounter } from '@aws-access/test-utils';
import {
  EventLoopSlices,
  runAtOnce,
} from '@aws-access/plugin-aws-access-node/alpha';
import { compareCodeUnits, sortInSlices } from './sortInSlices';

/** A deterministic pseudo-random sequence (a fixed LCG), so a failure can be run again. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

type Item = { id: string; seq: number };
const byIdLocale = (a: Item, b: Item) => a.id.localeCompare(b.id);

/** Items whose ids repeat (ties), in mixed case, with accents and punctuation, each numbered in input order. */
function items(count: number, seed: number): Item[] {
  const next = random(seed);
  const alphabet = ['a', 'B', 'b', 'é', 'E', 'z', '-', '0', '9', 'ß'];
  return Array.from({ length: count }, (_, seq) => ({
    id: Array.from(
      { length: 1 + Math.floor(next() * 3) },
      () => alphabet[Math.floor(next() * alphabet.length)],
    ).join(''),
    seq,
  }));
}

describe('sortInSlices', () => {
  it.each([0, 1, 2, 511, 512, 513, 1024, 1025, 1537, 4097, 20_000])(
    'orders %i items as sort() does, ties in input order',
    count => {
      const input = items(count, count + 1);
      const before = [...input];
      const sorted = runAtOnce(sortInSlices(input, byIdLocale));
      // The same objects in the same order: ties (equal ids) keep their input order, as sort()'s do.
      expect(sorted.map(item => item.seq)).toEqual(
        [...input].sort(byIdLocale).map(item => item.seq),
      );
      expect(input).toEqual(before);
    },
  );

  it('orders strings by code units as sort() without a comparator does', () => {
    const next = random(7);
    const pieces = [
      'a',
      'A',
      'é',
      'Z',
      '\uD83D\uDE00',
      '\uFF5E',
      '_',
      '~',
      '1',
    ];
    const keys = Array.from({ length: 5_000 }, () =>
      Array.from(
        { length: 1 + Math.floor(next() * 4) },
        () => pieces[Math.floor(next() * pieces.length)],
      ).join(''),
    );
    expect(runAtOnce(sortInSlices(keys, compareCodeUnits))).toEqual(
      [...keys].sort(),
    );
  });

  it('compares at most about a thousand pairs in a step', () => {
    let comparisons = 0;
    const counted = (a: Item, b: Item) => {
      comparisons++;
      return byIdLocale(a, b);
    };
    const work = sortInSlices(items(20_000, 3), counted);
    let most = 0;
    let steps = 0;
    for (let step = work.next(); !step.done; step = work.next()) {
      most = Math.max(most, comparisons);
      comparisons = 0;
      steps++;
    }
    most = Math.max(most, comparisons);
    // One sort() of 20,000 makes ~250,000 comparisons; a step sorts a run of 512 or merges 1,024 elements.
    expect(most).toBeLessThanOrEqual(512 * 10);
    expect(steps).toBeGreaterThan(20_000 / 1024);
  });

  it('lets other work run between its steps', async () => {
    const input = items(5_000, 11);
    const counter = turnCounter();
    const sorted = await new EventLoopSlices(0).run(
      sortInSlices(input, byIdLocale),
    );
    const turns = counter.stop();
    expect(sorted).toEqual([...input].sort(byIdLocale));
    expect(turns).toBeGreaterThan(5_000 / 1024);
  });
});
