import { miniSnapshot } from '../snapshot/__fixtures__/miniSnapshot';
import { runAtOnce } from '../snapshot/slices';
import { applyPatch, diffJson } from './snapshotDelta';

/** The patch from base to next, applied to base: must give next's JSON text exactly. */
function roundTrip(base: unknown, next: unknown) {
  const patch = runAtOnce(diffJson(base, next));
  // The patch is stored as JSON: apply what reading it back gives.
  const stored = patch && JSON.parse(JSON.stringify(patch));
  const applied = runAtOnce(applyPatch(base, stored));
  return { patch, applied, text: JSON.stringify(applied) };
}

const record = (id: string, name = id) => ({ id, name });

describe('snapshot deltas', () => {
  it('writes no patch when the JSON is the same, even for different objects', () => {
    const base = { users: [record('a'), record('b')], at: 't' };
    expect(runAtOnce(diffJson(base, structuredClone(base)))).toBeUndefined();
  });

  it('rebuilds arrays with records added, removed, changed and reordered, in their new order', () => {
    const base = {
      aws: {
        users: ['a', 'b', 'c', 'd', 'e', 'f'].map(id => record(id)),
      },
    };
    const next = {
      aws: {
        users: [
          record('f'),
          record('a'),
          record('b'),
          record('c', 'changed'),
          record('g'),
          record('e'),
        ],
      },
    };
    const { patch, text } = roundTrip(base, next);
    expect(text).toBe(JSON.stringify(next));
    // Unchanged records are runs of the base, not copies: only c's new value and g are in the patch.
    const written = JSON.stringify(patch);
    expect(written).toContain('"changed"');
    expect(written).toContain('"g"');
    expect(written).not.toContain('"b"');
  });

  it('patches a changed record by its natural id: a group that gained a member stores the member', () => {
    const members = Array.from({ length: 50 }, (_, i) => `member-${i}`);
    const group = (id: string, memberUserIds: string[]) => ({
      id,
      displayName: id,
      memberUserIds,
    });
    const base = {
      identity: { groups: [group('g1', members), group('g2', members)] },
    };
    const next = {
      identity: {
        groups: [
          group('g1', [
            ...members.slice(0, 20),
            'joiner',
            ...members.slice(20),
          ]),
          group('g2', members.slice(1)),
        ],
      },
    };
    const { patch, text } = roundTrip(base, next);
    expect(text).toBe(JSON.stringify(next));
    const written = JSON.stringify(patch);
    expect(written).toContain('"joiner"');
    expect(written).not.toContain('"member-30"');
  });

  it('keeps member order, removals and additions of objects (a map of gap ages)', () => {
    const base = { gapsFirstSeen: { x: '1', y: '2', z: '3' }, readAt: 'a' };
    const next = { readAt: 'b', gapsFirstSeen: { z: '3', w: '4', x: '1' } };
    const { patch, text } = roundTrip(base, next);
    expect(text).toBe(JSON.stringify(next));
    expect(patch).toMatchObject({ m: { gapsFirstSeen: { r: ['y'] } } });
  });

  it('keeps duplicates and empties arrays', () => {
    const base = {
      findings: [record('f'), record('f'), record('g')],
      log: [1],
    };
    const next = {
      findings: [record('g'), record('f'), record('f'), record('f')],
      log: [],
    };
    expect(roundTrip(base, next).text).toBe(JSON.stringify(next));
  });

  it('stores deeper values whole and drops members JSON omits', () => {
    const base = {
      identity: { app: { id: 'a', url: 'x' }, cursor: undefined },
    };
    const next = { identity: { app: { id: 'a', url: 'y' }, extra: undefined } };
    const { patch, text } = roundTrip(base, next);
    expect(text).toBe(JSON.stringify(next));
    expect(patch).toEqual({
      m: { identity: { m: { app: { '=': next.identity.app } } } },
    });
  });

  it('refuses a patch that does not fit its base', () => {
    const patch = runAtOnce(diffJson({ users: [1, 2, 3] }, { users: [3, 1] }));
    expect(() => runAtOnce(applyPatch({ users: [1] }, patch))).toThrow(
      /beyond the base/,
    );
    expect(() => runAtOnce(applyPatch({ users: 'x' }, patch))).toThrow(
      /non-array/,
    );
  });
});

describe("the next snapshot's text, written while diffing", () => {
  /** What diffJson hands to `emit`, concatenated, and the patch it returns. */
  function diffWithText(base: unknown, next: unknown) {
    let text = '';
    const patch = runAtOnce(
      diffJson(base, next, piece => {
        text += piece;
      }),
    );
    return { patch, text };
  }

  const shared = [record('s1'), record('s2')];
  const group = (id: string, members: string[]) => ({ id, members });
  it.each([
    [
      'records added, removed, changed, reordered and patched by id',
      {
        users: ['a', 'b', 'c', 'd'].map(id => record(id)),
        groups: [group('g', ['x', 'y']), group('h', ['z'])],
        at: 't',
      },
      {
        at: 'u',
        users: [record('d'), record('a'), record('b', 'changed'), record('e')],
        groups: [group('h', ['z']), group('g', ['x', 'joiner', 'y'])],
        added: { deep: [1, { two: 2 }] },
      },
    ],
    [
      'values shared with the base (compared by identity, never stringified by the diff)',
      { same: shared, nested: { list: shared, object: { a: 1 } }, n: 1 },
      { same: shared, nested: { list: shared, object: { a: 1 } }, n: 2 },
    ],
    [
      'records shared with the base inside a changed array',
      { list: [shared[0], shared[1], record('old')] },
      { list: [shared[0], shared[1], record('new'), shared[0]] },
    ],
    [
      'what JSON leaves out or turns into null',
      { keep: 1, gone: 'x', list: [1, 2] },
      {
        keep: 1,
        gone: undefined,
        fn: () => 1,
        list: [1, undefined, () => 2, null, NaN],
        extra: { a: undefined, b: [undefined] },
      },
    ],
    [
      'a different kind of value, escapes and empty containers',
      { kind: [1], text: 'a', empty: { x: [] } },
      { kind: { now: 'object' }, text: 'quote"\\\n\u2028', empty: {}, e: [] },
    ],
    [
      'the same JSON in different objects',
      { a: [record('a')] },
      { a: [record('a')] },
    ],
  ])(
    'concatenates to JSON.stringify of the next value: %s',
    (_, base, next) => {
      const { patch, text } = diffWithText(base, next);
      expect(text).toBe(JSON.stringify(next));
      // The text changes nothing about the patch.
      expect(patch).toEqual(runAtOnce(diffJson(base, next)));
    },
  );

  it('writes the text of a generated snapshot against an earlier one', () => {
    const base = miniSnapshot();
    const next = structuredClone(base);
    next.readAt = 'later';
    next.identity.users.reverse();
    next.identity.groups[0] = base.identity.groups[0];
    next.aws = base.aws;
    expect(diffWithText(base, next).text).toBe(JSON.stringify(next));
  });
});

describe('a map of many members', () => {
  /** The steps a piece of sliced work yields: the event loop can get a turn after each. */
  function steps<T>(work: Generator<void, T, void>) {
    let count = 0;
    for (let step = work.next(); !step.done; step = work.next()) count++;
    return count;
  }

  it('is listed, compared and ordered a member per step, in the diff and when applied', () => {
    const members = 2_000;
    const base: Record<string, string> = {};
    for (let i = 0; i < members; i++) base[`gap-${i}`] = 'then';
    const next: Record<string, string> = { ...base, 'gap-new': 'now' };
    delete next['gap-7'];
    const patch = runAtOnce(diffJson({ gaps: base }, { gaps: next }));
    expect(roundTrip({ gaps: base }, { gaps: next }).text).toBe(
      JSON.stringify({ gaps: next }),
    );
    // Listing both sides, looking them up, the removals, the order and its check: each pass a step per member, not
    // one step for the whole map (at 100,000 gap ages, 40 ms or more at once).
    expect(steps(diffJson({ gaps: base }, { gaps: next }))).toBeGreaterThan(
      members * 6,
    );
    expect(steps(applyPatch({ gaps: base }, patch))).toBeGreaterThan(
      members * 3,
    );
  });
});
