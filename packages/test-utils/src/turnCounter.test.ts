import { turnCounter } from './turnCounter';

describe('turnCounter', () => {
  it('counts the turns other work gave it, and none while the event loop was blocked', async () => {
    const blocked = turnCounter();
    const until = performance.now() + 20;
    while (performance.now() < until) {
      // holds the event loop
    }
    expect(blocked.stop()).toBe(0);

    const counter = turnCounter();
    for (let i = 0; i < 5; i++) {
      await new Promise(resolve => setImmediate(resolve));
    }
    const turns = counter.stop();
    expect(turns).toBeGreaterThanOrEqual(4);
    expect(turns).toBeLessThanOrEqual(6);
  });
});
