import { turnCounter } from '@aws-access/test-utils';
import { parseJsonInSlices } from './parseJsonInSlices';

/*
 * Issue 18: the catalog module parses the projection (31 MB at 100,000 people) element by element with turns
 * for the event loop; the result, or the error, is always JSON.parse's.
 */

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
  ])('parses %s text to what JSON.parse gives', async (_what, text) => {
    const expected = JSON.parse(text);
    // Whole, and in parts of every size from 1 character (values and escapes split across parts).
    for (const size of [text.length, 1, 2, 3, 7, 64]) {
      const parts: string[] = [];
      for (let at = 0; at < text.length; at += size) {
        parts.push(text.slice(at, at + size));
      }
      const parsed = await parseJsonInSlices(parts, 0);
      expect(parsed).toEqual(expected);
      expect(JSON.stringify(parsed)).toBe(JSON.stringify(expected));
      expect(Object.getPrototypeOf(parsed)).toBe(
        Object.getPrototypeOf(expected),
      );
    }
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
});
