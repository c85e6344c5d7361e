import { regrouped } from './slicedJson';

describe('bytes regrouped into pieces of one size', () => {
  const bytes = (n: number, from = 0) =>
    Buffer.from(Array.from({ length: n }, (_, i) => (from + i) % 251));

  it.each([
    ['shorter pieces joined', [3, 2, 4, 1], 4, [4, 4, 2]],
    ['a longer piece split', [11], 4, [4, 4, 3]],
    [
      'ending exactly on a boundary, without an empty last piece',
      [5, 3],
      4,
      [4, 4],
    ],
    ['empty pieces skipped', [0, 2, 0, 2, 0], 4, [4]],
    ['nothing', [], 4, []],
  ])('%s', (_, sizes, size, expected) => {
    let at = 0;
    const pieces = sizes.map(n => {
      const piece = bytes(n, at);
      at += n;
      return piece;
    });
    const out = [...regrouped(pieces, size)];
    expect(out.map(piece => piece.length)).toEqual(expected);
    expect(Buffer.concat(out)).toEqual(Buffer.concat(pieces));
  });
});
