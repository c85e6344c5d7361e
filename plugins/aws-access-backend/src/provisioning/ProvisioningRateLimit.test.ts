import { SlidingWindowQueue } from './ProvisioningRateLimit';

describe('SlidingWindowQueue', () => {
  it('lets `limit` calls through in any window and queues the rest, in arrival order', async () => {
    const queue = new SlidingWindowQueue({ limit: 2, windowMs: 200 });
    const started = Date.now();
    const order: Array<{ i: number; at: number }> = [];
    await Promise.all(
      [0, 1, 2, 3, 4].map(i =>
        queue.acquire().then(() => order.push({ i, at: Date.now() - started })),
      ),
    );
    expect(order.map(o => o.i)).toEqual([0, 1, 2, 3, 4]);
    // Never more than 2 within any 200 ms: the 3rd waits for the 1st to leave the window, the 5th for the 3rd.
    expect(order[1].at).toBeLessThan(100);
    expect(order[2].at).toBeGreaterThanOrEqual(195);
    expect(order[4].at).toBeGreaterThanOrEqual(395);
  });

  it('gives up a waiting call when its signal aborts, and the queue goes on', async () => {
    const queue = new SlidingWindowQueue({ limit: 1, windowMs: 150 });
    await queue.acquire();
    const abort = new AbortController();
    const waiting = queue.acquire(abort.signal);
    abort.abort(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
    await queue.acquire();
  });
});
