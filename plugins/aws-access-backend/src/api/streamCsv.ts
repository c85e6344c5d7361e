import type { Response } from 'express';

/** Lines are sent in chunks of about this many characters. */
const CHUNK = 64 * 1024;

/**
 * Streams a CSV download: the header, then `lines` in chunks. Between chunks it waits for the client when the
 * socket is full, and otherwise yields to the event loop, so a big export neither buffers whole nor holds up
 * other requests. Stops when the client goes away.
 */
export async function streamCsv(
  res: Response,
  fileName: string,
  header: string,
  lines: Iterable<string>,
): Promise<void> {
  res
    .type('text/csv')
    .set('Content-Disposition', `attachment; filename="${fileName}"`);
  const drained = drainWaiter(res);
  let chunk = header;
  for (const line of lines) {
    chunk += line;
    if (chunk.length < CHUNK) continue;
    const flushed = res.write(chunk);
    chunk = '';
    await (flushed ? new Promise(setImmediate) : drained());
    if (res.destroyed) return;
  }
  res.end(chunk);
}

/**
 * Waits until the socket has room again, or the client went away. It listens once per response: behind the
 * compression middleware `res.on('drain')` lands on the gzip stream and `res.off` cannot take it back, so a listener
 * per wait piled up on every backpressured response (Node's MaxListenersExceededWarning at 11).
 */
export function drainWaiter(res: Response): () => Promise<void> {
  let wake: (() => void) | undefined;
  const done = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  res.on('drain', done);
  res.on('close', done);
  return () =>
    res.destroyed
      ? Promise.resolve()
      : new Promise<void>(resolve => {
          wake = resolve;
        });
}
