import { turnCounter } from '@aws-access/test-utils';
import { parseJsonInSlices } from './parseJsonInSlices';

/*
 * Issue 18: the catalog module parses the projection (31 MB at 100,000 people) and the backend its stored snapshots
 * (tens of MB, streamed from gunzip) element by element with turns for the event loop; the result is always
 * JSON.parse's, and so is the error for text in hand.
 */

/** The text in pieces of `size` characters, as a stream would deliver it. */
async function* piecesOf(text: string, size: number) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

/** A stored snapshot's shape: its long lists are a level deeper than the projection's. */
const snapshotLike = {
  version: 3,
  identity: {
    users: Array.from({ length: 50 }, (_, i) => ({
      id: `u${i}`,
      groups: [`g${i % 5}`],
    })),
    groups: [{ id: 'g0', members: { direct: ['u0'], nested: [] } }],
  },
  aws: { assignments: [[['a', 1]], []], byAccount: { '200000000001': [] } },
};

const projectionLike = {
  snapshotVersion: 7,
  syncedAt: '2026-12-06T12:00:00.000Z',
  organizationId: null,
  flags: { nested: [1, { deeper: ['[', ']', '{', '}'] }] },
  accounts: [
    { id: '200000000001', name: 'payments "prod"', tags: { a: 'b\\' } },
    { id: '200000000002', name: 'new\nline\ttab \u2028 ✓ 😀', tags: {} },
  ],
  entraGroups: [
    { id: 'g1', memberUserIds: ['u1', 'u2'], memberGroupIds: [] },
    { id: 'g2', memberUserIds: [], memberGroupIds: ['g1'] },
  ],
  numbers: [0, -1.5, 1e21, 2.5e-7, true, false, null, 'str', [], {}],
  empty: [],
};

describe('parseJsonInSlices', () => {
  it.each([
    ['compact', JSON.stringify(projectionLike)],
    ['indented', JSON.stringify(projectionLike, null, 2)],
    ['spaced', ` \n{ "a" : [ 1 , "x" , { "b" : [ ] } ] , "c" : "d" }\r\n`],
    ['empty object', '{}'],
    ['duplicate and __proto__ keys', '{"a":[1],"__proto__":[2],"b":3,"a":[4]}'],
    ['an array', '[1,{"a":2}]'],
    ['a string', '"text"'],
    ['a number', '12'],
    ['a snapshot', JSON.stringify(snapshotLike)],
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
    ['nested __proto__ keys', '{"__proto__":{"x":1},"a":[{"__proto__":[1]}]}'],
    ['a bare array of arrays', JSON.stringify([[1, [2, [3, { a: [4] }]]], []])],
    ['null', 'null'],
  ])('parses %s text to what JSON.parse gives', async (_what, text) => {
    const expected = JSON.parse(text);
    // Whole, and in parts of every size from 1 character (values and escapes split across parts).
    for (const size of [text.length, 1, 2, 3, 7, 64]) {
      const parts: string[] = [];
      for (let at = 0; at < text.length; at += size) {
        parts.push(text.slice(at, at + size));
      }
      // In hand, and arriving piece by piece (a stream).
      for (const parsed of [
        await parseJsonInSlices(parts, 0),
        await parseJsonInSlices(piecesOf(text, size), 0),
      ]) {
        expect(parsed).toStrictEqual(expected);
        expect(JSON.stringify(parsed)).toBe(JSON.stringify(expected));
        // (null has no prototype to compare)
        expect(Object.getPrototypeOf(Object(parsed))).toBe(
          Object.getPrototypeOf(Object(expected)),
        );
      }
    }
  });

  it('keeps __proto__ an own property, as JSON.parse does, instead of setting the prototype', async () => {
    const parsed = (await parseJsonInSlices(
      piecesOf('{"__proto__":{"x":1},"a":[{"__proto__":[1]}]}', 2),
    )) as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value).toEqual(
      { x: 1 },
    );
  });

  it.each([
    ['', 'empty'],
    ['{"a": [1,}', 'a trailing comma'],
    ['{"a":1} x', 'text after the value'],
    ['{"a":"unterminated}', 'an unterminated string'],
    ['{"a":[1 2]}', 'a missing comma'],
    ['{a:1}', 'an unquoted key'],
  ])('rejects %j (%s) with the error JSON.parse gives', async text => {
    let expected: unknown;
    try {
      JSON.parse(text);
    } catch (error) {
      expected = error;
    }
    expect(expected).toBeInstanceOf(SyntaxError);
    await expect(parseJsonInSlices(text, 0)).rejects.toThrow(
      (expected as Error).message,
    );
    await expect(parseJsonInSlices([...text], 0)).rejects.toThrow(
      (expected as Error).message,
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
  ])('throws a SyntaxError on %s as it arrives', async (_, text) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    for (const size of [1, 3, Math.max(1, text.length)]) {
      await expect(parseJsonInSlices(piecesOf(text, size))).rejects.toThrow(
        SyntaxError,
      );
    }
  });

  it('gives the event loop a turn between elements', async () => {
    const users = Array.from({ length: 2000 }, (_, i) => ({
      id: `u${i}`,
      displayName: `User ${i}`,
    }));
    const text = JSON.stringify({ snapshotVersion: 1, entraUsers: users });
    const counter = turnCounter();
    const parsed = await parseJsonInSlices(text, 0);
    const turns = counter.stop();

    expect(parsed).toEqual(JSON.parse(text));
    expect(turns).toBeGreaterThanOrEqual(users.length);
  });

  it("gives the event loop turns inside a snapshot's nested lists, arriving in one piece", async () => {
    const text = JSON.stringify(snapshotLike);
    const counter = turnCounter();
    const parsed = await parseJsonInSlices(piecesOf(text, text.length), 0);
    const turns = counter.stop();

    expect(parsed).toStrictEqual(JSON.parse(text));
    // identity.users is a level below the top: parsed in one piece, it would give no turn at all.
    expect(turns).toBeGreaterThan(snapshotLike.identity.users.length);
  });
});
