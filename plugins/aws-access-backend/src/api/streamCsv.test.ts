import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import { drainWaiter } from './streamCsv';

/** A response as the compression middleware leaves it: 'drain' listeners go to its gzip stream, `off` does not. */
function compressedResponse() {
  const gzip = new EventEmitter();
  const res = new EventEmitter() as EventEmitter & { destroyed: boolean };
  res.destroyed = false;
  const on = res.on.bind(res);
  res.on = (type: string | symbol, listener: (...args: any[]) => void) =>
    type === 'drain' ? (gzip.on(type, listener), res) : on(type, listener);
  return { res, gzip };
}

describe('drainWaiter', () => {
  it('should wait for each drain with one listener, however often the response fills up', async () => {
    const { res, gzip } = compressedResponse();
    const drained = drainWaiter(res as unknown as Response);
    for (let i = 0; i < 20; i++) {
      let woke = false;
      const waiting = drained().then(() => {
        woke = true;
      });
      await new Promise(setImmediate);
      expect(woke).toBe(false);
      gzip.emit('drain');
      await waiting;
      expect(woke).toBe(true);
    }
    expect(gzip.listenerCount('drain')).toBe(1);
  });

  it('should stop waiting when the client goes away, and not wait once it has', async () => {
    const { res } = compressedResponse();
    const drained = drainWaiter(res as unknown as Response);
    const waiting = drained();
    res.destroyed = true;
    res.emit('close');
    await expect(waiting).resolves.toBeUndefined();
    await expect(drained()).resolves.toBeUndefined();
  });
});
