import type { Request, Response } from 'express';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipped = promisify(gzip);

/** Bodies shorter than this go as they are (the compression middleware's own threshold). */
const GZIP_MIN_BYTES = 1024;

type EtagFunction = (body: Buffer) => string | undefined;

/** What is made once per kept body: its ETag and its gzip. */
interface Derived {
  etagOf?: EtagFunction;
  etag?: string;
  gzip?: Promise<Buffer>;
}

const derived = new WeakMap<Buffer, Derived>();

/**
 * A body that is JSON bytes already (a team's page is kept text of about 170 kB), sent as `res.json` sends a value:
 * the same content type, and the app's ETag, so express answers a matching If-None-Match with 304. Both the ETag
 * (hashing the page was a tenth of a request) and the gzip a client that accepts it gets are made once per body:
 * the compression middleware would deflate the same page again on every request, and leaves an encoded answer
 * alone.
 */
export async function sendJsonBytes(
  req: Request,
  res: Response,
  bytes: Buffer,
): Promise<void> {
  let kept = derived.get(bytes);
  if (!kept) {
    kept = {};
    derived.set(bytes, kept);
  }
  const etagOf = req.app.get('etag fn') as EtagFunction | undefined;
  if (etagOf && kept.etagOf !== etagOf) {
    kept.etagOf = etagOf;
    kept.etag = etagOf(bytes);
  }
  if (etagOf && kept.etag) res.set('ETag', kept.etag);
  res.set('Content-Type', 'application/json; charset=utf-8');
  res.vary('Accept-Encoding');
  if (
    bytes.length < GZIP_MIN_BYTES ||
    req.acceptsEncodings('gzip', 'identity') !== 'gzip'
  ) {
    res.send(bytes);
    return;
  }
  if (!kept.gzip) {
    const entry = kept;
    const encoding = gzipped(bytes);
    entry.gzip = encoding;
    // A failed gzip is not kept: the next request makes it again.
    encoding.catch(() => {
      if (entry.gzip === encoding) entry.gzip = undefined;
    });
  }
  res.set('Content-Encoding', 'gzip').send(await kept.gzip);
}
