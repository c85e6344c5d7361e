import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { miniSnapshot } from '../snapshot/__fixtures__/miniSnapshot';
import { gunzipJsonInSlices, sha256InSlices } from './slicedJsonParse';

// The parse itself (values, errors, turns) is the node library's, tested there (parseJsonInSlices.test.ts).
describe('gzipped JSON parsed in slices', () => {
  it('gives what JSON.parse gives for a stored snapshot', async () => {
    const text = JSON.stringify(miniSnapshot());
    await expect(gunzipJsonInSlices(gzipSync(text), 0)).resolves.toStrictEqual(
      JSON.parse(text),
    );
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
