import type { Response } from 'express';
import { SLICE_MS } from '../snapshot/slices';
import { jsonPieces } from '../store/slicedJson';
import { drainWaiter } from './streamCsv';

/** Text is written to the socket in chunks of about this many characters. */
const CHUNK_CHARS = 64 * 1024;

/**
 * Sends `value` as `res.json` would (the same text, `application/json`), written in slices: the text is built
 * piece by piece (jsonPieces), the event loop gets a turn whenever a slice has run `sliceMs`, and writing
 * waits while the socket is full. The catalog projection is tens of MB at 100,000 people: one JSON.stringify
 * of it held the backend for most of a second, and the whole text in memory at once.
 */
export async function streamJson(
  res: Response,
  value: unknown,
  sliceMs = SLICE_MS,
): Promise<void> {
  res.type('application/json');
  const drained = drainWaiter(res);
  let pending: string[] = [];
  let pendingChars = 0;
  const take = () => {
    const text = pending.join('');
    pending = [];
    pendingChars = 0;
    return text;
  };
  const work = jsonPieces(value, text => {
    pending.push(text);
    pendingChars += text.length;
  });
  let sliceStart = performance.now();
  for (let step = work.next(); !step.done; step = work.next()) {
    if (pendingChars >= CHUNK_CHARS && !res.write(take())) {
      await drained();
      sliceStart = performance.now();
    }
    if (res.destroyed) return;
    if (performance.now() - sliceStart >= sliceMs) {
      await new Promise<void>(resolve => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  res.end(take());
}
