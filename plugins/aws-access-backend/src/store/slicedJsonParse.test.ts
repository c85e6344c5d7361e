import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { miniSnapshot } from '../snapshot/__fixtures__/miniSnapshot';
import {
  gunzipJsonInSlices,
  parseJsonInSlices,
  sha256InSlices,
} from './slicedJsonParse';

/** The text in pieces of `size` characters, as a stream would deliver it. */
async function* piecesOf(text: string, size: number) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

const texts: Array<[string, string]> = [
  ['a snapshot', JSON.stringify(miniSnapshot())],
  [
    'a snapshot written with white space',
    JSON.stringify(miniSnapshot(), null, 2),
  ],
  [
    'escapes, quotes and backslashes at every depth',
    JSON.stringify({
      'quote"and\\backslash': 'line\nbreak \u2028 \ud83d\ude00 \\',
      list: ['\\', '"', '\\"', 'a\\\\"b', [['\\\\'], { '"': '"\\' }]],
      deep: { deeper: { deepest: [{ x: '}]"{[' }] } },
    }),
  ],
  [
    'numbers, literals and empty containers',
    JSON.stringify({
      n: [0, -1, 1.5e-7, 12345678901234567890, -0.25],
      t: [true, false, null],
      e: { a: [], o: {}, l: [[], [{}], {}] },
      '2': 'numeric keys come first',
      1: 'and in order',
    }),
  ],
  ['keys named __proto__', '{"__proto__":{"x":1},"a":[{"__proto__":[1]}]}'],
  ['a repeated key (the last one wins)', '{"a":1,"b":2,"a":3}'],
  ['a bare array of arrays', JSON.stringify([[1, [2, [3, { a: [4] }]]], []])],
  ['a string', JSON.stringify('just "text" \\')],
  ['a number', ' 42 '],
  ['null', 'null'],
];

describe('JSON parsed in slices', () => {
  it.each(texts)(
    'gives what JSON.parse gives for %s, in pieces of any size',
    async (_, text) => {
      const expected = JSON.parse(text);
      for (const size of [1, 2, 3, 7, text.length]) {
        const parsed = await parseJsonInSlices(piecesOf(text, size), 0);
        expect(JSON.stringify(parsed)).toBe(JSON.stringify(expected));
        expect(parsed).toStrictEqual(expected);
      }
    },
  );

  it('keeps __proto__ an own property, as JSON.parse does, instead of setting the prototype', async () => {
    const parsed = (await parseJsonInSlices(
      piecesOf(texts.find(([name]) => name.includes('__proto__'))![1], 2),
    )) as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value).toEqual(
      { x: 1 },
    );
  });

  it.each([
    ['nothing', ''],
    ['an unclosed object', '{"a":1'],
    ['an unclosed array deep down', '{"a":{"b":[[1,2]'],
    ['an unclosed string', '{"a":"text'],
    ['a trailing comma in an array', '[1,]'],
    ['a trailing comma in an object', '{"a":1,}'],
    ['a missing colon', '{"a" 1}'],
    ['a missing comma', '[1 2]'],
    ['a key that is not a string', '{a:1}'],
    ['text after the value', '{"a":1} x'],
    ['a mismatched bracket', '{"a":[1,2}'],
    ['a cut literal', '[tru'],
    ['a bad value deep down', '{"a":[{"b":undefined}]}'],
  ])('throws on %s, as JSON.parse does', async (_, text) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    for (const size of [1, 3, Math.max(1, text.length)]) {
      await expect(parseJsonInSlices(piecesOf(text, size))).rejects.toThrow(
        SyntaxError,
      );
    }
  });

  it('gives the event loop a turn after every step when asked to', async () => {
    const snapshot = miniSnapshot();
    let turns = 0;
    let parsing = true;
    const other = (async () => {
      while (parsing) {
        await new Promise(r => setImmediate(r));
        turns++;
      }
    })();
    const text = JSON.stringify(snapshot);
    const parsed = await parseJsonInSlices(piecesOf(text, text.length), 0);
    parsing = false;
    await other;
    // Parsed at once (one piece), the other work would get no turn at all.
    expect(turns).toBeGreaterThan(snapshot.identity.users.length * 4);
    expect(parsed).toStrictEqual(JSON.parse(text));
  });

  it('gunzips and parses, joining characters that gunzip splits between chunks', async () => {
    // 100,000 four-byte characters: gunzip's 64 KB chunks end inside some of them.
    const value = { text: '\ud83d\ude00'.repeat(100_000), list: ['é', '€'] };
    const data = gzipSync(JSON.stringify(value));
    await expect(gunzipJsonInSlices(data)).resolves.toStrictEqual(value);
  });

  it('fails on gzipped data that is cut short or damaged, rather than returning part of it', async () => {
    const data = gzipSync(JSON.stringify(miniSnapshot()));
    await expect(
      gunzipJsonInSlices(data.subarray(0, data.length - 10)),
    ).rejects.toThrow(/unexpected end of file/);
    const damaged = Buffer.from(data);
    damaged[Math.floor(damaged.length / 2)] ^= 0xff;
    await expect(gunzipJsonInSlices(damaged)).rejects.toThrow();
  });

  it('hashes in slices what hashing at once gives', async () => {
    for (const size of [0, 1, 1024 * 1024, 2.5 * 1024 * 1024]) {
      const data = randomBytes(size);
      await expect(sha256InSlices(data)).resolves.toBe(
        createHash('sha256').update(data).digest('hex'),
      );
    }
  });
});
