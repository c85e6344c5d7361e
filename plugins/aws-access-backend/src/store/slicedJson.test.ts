import { gunzipSync } from 'node:zlib';
import { miniSnapshot } from '../snapshot/__fixtures__/miniSnapshot';
import { runAtOnce } from '../snapshot/slices';
import { gzipJsonInSlices, jsonPieces } from './slicedJson';

const textOf = (value: unknown) => {
  let text = '';
  runAtOnce(
    jsonPieces(value, piece => {
      text += piece;
    }),
  );
  return text;
};

describe('JSON written in pieces', () => {
  it.each([
    ['a snapshot', miniSnapshot()],
    [
      'what JSON leaves out or turns into null',
      {
        kept: 'x',
        gone: undefined,
        fn: () => 1,
        list: [1, undefined, () => 2, Symbol('s'), null, NaN, Infinity],
        deep: { deeper: { gone: undefined, list: [undefined] } },
      },
    ],
    [
      'dates, escapes, numeric keys and empty containers',
      {
        at: new Date('2026-12-06T12:00:00.000Z'),
        dates: [new Date(0)],
        '2': 'numeric keys come first',
        'quote"and\\backslash': 'line\nbreak \u2028 \ud83d\ude00',
        empty: { list: [], object: {} },
      },
    ],
    ['a bare array of arrays', [[1, [2, [3, { a: [4] }]]], []]],
    ['a string', 'just "text"'],
    ['null', null],
  ])('concatenates to JSON.stringify of %s', (_, value) => {
    expect(textOf(value)).toBe(JSON.stringify(value));
  });

  it('gzips the same text, giving the event loop a turn after every step when asked to', async () => {
    const snapshot = miniSnapshot();
    let turns = 0;
    let writing = true;
    const other = (async () => {
      while (writing) {
        await new Promise(r => setImmediate(r));
        turns++;
      }
    })();
    const { data, checksum } = await gzipJsonInSlices(snapshot, 0);
    writing = false;
    await other;
    // Written at once, gzip's own callbacks would give the other work a handful of turns, not one per record.
    expect(turns).toBeGreaterThan(snapshot.identity.users.length * 4);
    expect(gunzipSync(data).toString('utf8')).toBe(JSON.stringify(snapshot));
    expect(checksum).toMatch(/^[0-9a-f]{64}$/);
  });
});
