import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import type { Sliced } from '../snapshot/slices';
import { SLICE_MS } from '../snapshot/slices';

/** Objects this shallow are written key by key; deeper ones (one user, one assignment) in one piece. */
const OBJECT_DEPTH = 2;
/** Text is handed to gzip in pieces about this long. */
const CHUNK_CHARS = 64 * 1024;

type Json = unknown;

function isOmitted(value: Json) {
  return (
    value === undefined ||
    typeof value === 'function' ||
    typeof value === 'symbol'
  );
}

/** What JSON.stringify writes for a value: its toJSON(key) when it has one (a Date), else the value. */
function toJsonValue(key: string, value: Json): Json {
  return value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
    ? (value as { toJSON: (key: string) => Json }).toJSON(key)
    : value;
}

/**
 * JSON.stringify's text of `value`, in pieces: arrays element by element and shallow objects key by key, one
 * step each, with JSON.stringify for every leaf. Concatenated, the pieces are exactly JSON.stringify(value)
 * (same key order, same omissions, `null` for what an array cannot hold).
 */
export function jsonPieces(
  value: Json,
  emit: (text: string) => void,
): Sliced<void> {
  return piecesOf(toJsonValue('', value), emit, 0);
}

/** The pieces of a value whose toJSON has been applied. */
function* piecesOf(
  json: Json,
  emit: (text: string) => void,
  depth: number,
): Sliced<void> {
  if (Array.isArray(json)) {
    emit('[');
    for (let i = 0; i < json.length; i++) {
      if (i > 0) emit(',');
      const element = toJsonValue(String(i), json[i]);
      if (isOmitted(element)) emit('null');
      else yield* piecesOf(element, emit, depth + 1);
      yield;
    }
    emit(']');
    return;
  }
  if (json === null || typeof json !== 'object' || depth >= OBJECT_DEPTH) {
    emit(JSON.stringify(json));
    return;
  }
  emit('{');
  let first = true;
  for (const name of Object.keys(json)) {
    const member = toJsonValue(name, (json as Record<string, Json>)[name]);
    if (isOmitted(member)) continue;
    emit(`${first ? '' : ','}${JSON.stringify(name)}:`);
    first = false;
    yield* piecesOf(member, emit, depth + 1);
    yield;
  }
  emit('}');
}

/** The SHA-256 (hex) and UTF-8 length of a JSON text, fed piece by piece. */
class TextDigest {
  readonly #hash = createHash('sha256');
  bytes = 0;

  update(text: string) {
    this.#hash.update(text, 'utf8');
    this.bytes += Buffer.byteLength(text, 'utf8');
  }

  digest() {
    return {
      contentChecksum: this.#hash.digest('hex'),
      contentBytes: this.bytes,
    };
  }
}

/**
 * The SHA-256 of JSON.stringify(value) and its length in bytes, stringified in slices: what a snapshot stored as a
 * delta is checked against once applied.
 */
export async function jsonDigestInSlices(
  value: Json,
  sliceMs = SLICE_MS,
): Promise<{ contentChecksum: string; contentBytes: number }> {
  const digest = new TextDigest();
  let pending: string[] = [];
  let pendingChars = 0;
  const work = jsonPieces(value, piece => {
    pending.push(piece);
    pendingChars += piece.length;
  });
  let sliceStart = performance.now();
  for (let step = work.next(); !step.done; step = work.next()) {
    if (pendingChars >= CHUNK_CHARS) {
      digest.update(pending.join(''));
      pending = [];
      pendingChars = 0;
    }
    if (performance.now() - sliceStart >= sliceMs) {
      await new Promise<void>(resolve => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  digest.update(pending.join(''));
  return digest.digest();
}

/**
 * gzip(JSON.stringify(value)) and the SHA-256 of the gzipped bytes (`checksum`), written in slices straight into
 * gzip: the event loop gets a turn between slices, and the whole text is never held at once. The text's own SHA-256
 * and length (`contentChecksum`, `contentBytes`) are taken on the way.
 */
export async function gzipJsonInSlices(
  value: Json,
  sliceMs = SLICE_MS,
): Promise<{
  data: Buffer;
  checksum: string;
  contentChecksum: string;
  contentBytes: number;
}> {
  const gzip = createGzip();
  const hash = createHash('sha256');
  const digest = new TextDigest();
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => {
    out.push(chunk);
    hash.update(chunk);
  });
  const ended = once(gzip, 'end');
  let pending: string[] = [];
  let pendingChars = 0;
  const emit = (text: string) => {
    pending.push(text);
    pendingChars += text.length;
  };
  const write = async () => {
    const text = pending.join('');
    pending = [];
    pendingChars = 0;
    digest.update(text);
    if (!gzip.write(text, 'utf8')) await once(gzip, 'drain');
  };
  const work = jsonPieces(value, emit);
  let sliceStart = performance.now();
  for (let step = work.next(); !step.done; step = work.next()) {
    if (pendingChars >= CHUNK_CHARS) await write();
    if (performance.now() - sliceStart >= sliceMs) {
      await new Promise<void>(resolve => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  await write();
  gzip.end();
  await ended;
  return {
    data: Buffer.concat(out),
    checksum: hash.digest('hex'),
    ...digest.digest(),
  };
}
