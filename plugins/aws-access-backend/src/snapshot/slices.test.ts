import { AccessIndex } from './AccessIndex';
import { miniSnapshot } from './__fixtures__/miniSnapshot';

describe('sliced derivation', () => {
  it('derives an access index while other work goes on, as deriving at once does', async () => {
    const snapshot = miniSnapshot();
    let otherWork = 0;
    const pending = AccessIndex.derive({ snapshot, version: 0 }, 0);
    const other = (async () => {
      for (let i = 0; i < 5; i++) {
        await new Promise(r => setImmediate(r));
        otherWork++;
      }
    })();
    const sliced = await pending;
    // The derivation had more steps than the other work had turns: every turn came while it was running.
    expect(otherWork).toBe(5);
    await other;
    const atOnce = AccessIndex.build({ snapshot, version: 0 });
    expect(JSON.stringify(sliced.persons)).toBe(JSON.stringify(atOnce.persons));
    expect(sliced.gapsFirstSeen).toEqual(atOnce.gapsFirstSeen);
    expect(sliced.unmanaged).toEqual(atOnce.unmanaged);
  });
});
