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
  let chunk = header;
  for (const line of lines) {
    chunk += line;
    if (chunk.length < CHUNK) continue;
    const flushed = res.write(chunk);
    chunk = '';
    await (flushed ? new Promise(setImmediate) : drainedOrClosed(res));
    if (res.destroyed) return;
  }
  res.end(chunk);
}

/** Resolves when the socket has room again, or the client went away. */
export function drainedOrClosed(res: Response): Promise<void> {
  return new Promise(resolve => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
