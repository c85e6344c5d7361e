import { createHash } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { parseJsonInSlices } from '@aws-access/plugin-aws-access-node/alpha';
import { SLICE_MS } from '../snapshot/slices';

const nextTurn = () => new Promise<void>(resolve => setImmediate(resolve));

/** The UTF-8 text of gzipped bytes, as gunzip produces it (characters split across chunks are joined). */
async function* gunzipText(
  data: Buffer | readonly Buffer[],
): AsyncGenerator<string> {
  const gunzip = createGunzip({ chunkSize: 64 * 1024 });
  const decoder = new StringDecoder('utf8');
  for (const piece of Buffer.isBuffer(data) ? [data] : data)
    gunzip.write(piece);
  gunzip.end();
  try {
    for await (const chunk of gunzip) yield decoder.write(chunk as Buffer);
    const rest = decoder.end();
    if (rest) yield rest;
  } finally {
    gunzip.destroy();
  }
}

/**
 * JSON.parse(gunzip(data)), decompressed and parsed in slices as gunzip produces the text (the node library's
 * parseJsonInSlices): the whole text, tens of MB at 20,000 people, is never held at once. `data` may be given in
 * pieces, in order.
 */
export function gunzipJsonInSlices(
  data: Buffer | readonly Buffer[],
  sliceMs = SLICE_MS,
): Promise<unknown> {
  return parseJsonInSlices(gunzipText(data), sliceMs);
}

/**
 * The SHA-256 of bytes (hex), given whole or in pieces (in order), hashed a megabyte at a time with a turn of the
 * event loop between.
 */
export async function sha256InSlices(
  data: Buffer | readonly Buffer[],
): Promise<string> {
  const hash = createHash('sha256');
  const step = 1024 * 1024;
  let first = true;
  for (const piece of Buffer.isBuffer(data) ? [data] : data) {
    for (let offset = 0; offset < piece.length; offset += step) {
      if (!first) await nextTurn();
      first = false;
      hash.update(piece.subarray(offset, offset + step));
    }
  }
  return hash.digest('hex');
}
