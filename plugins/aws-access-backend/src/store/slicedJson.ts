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
 * The SHA-256 and UTF-8 length of a JSON text handed over in pieces (`add`, e.g. as diffJson's `emit`), hashed in
 * chunks of about CHUNK_CHARS: the content checksum of a snapshot whose text is written piece by piece elsewhere.
 */
export class JsonTextDigest {
  readonly #digest = new TextDigest();
  #pending: string[] = [];
  #pendingChars = 0;

  readonly add = (piece: string) => {
    this.#pending.push(piece);
    this.#pendingChars += piece.length;
    if (this.#pendingChars >= CHUNK_CHARS) this.#flush();
  };

  #flush() {
    this.#digest.update(this.#pending.join(''));
    this.#pending = [];
    this.#pendingChars = 0;
  }

  digest(): { contentChecksum: string; contentBytes: number } {
    this.#flush();
    return this.#digest.digest();
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
  const digest = new JsonTextDigest();
  const work = jsonPieces(value, digest.add);
  let sliceStart = performance.now();
  for (let step = work.next(); !step.done; step = work.next()) {
    if (performance.now() - sliceStart >= sliceMs) {
      await new Promise<void>(resolve => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  return digest.digest();
}

/** gzip(JSON.stringify(value)) as {@link gzipJsonPiecesInSlices} writes it, in one buffer. */
export async function gzipJsonInSlices(
  value: Json,
  sliceMs = SLICE_MS,
): Promise<{
  data: Buffer;
  checksum: string;
  contentChecksum: string;
  contentBytes: number;
}> {
  const { pieces, ...rest } = await gzipJsonPiecesInSlices(value, sliceMs);
  return { data: Buffer.concat(pieces), ...rest };
}

/**
 * gzip(JSON.stringify(value)) in the pieces gzip produced them (concatenated: the gzipped bytes), and the SHA-256 of
 * the gzipped bytes (`checksum`), written in slices straight into gzip: the event loop gets a turn between slices,
 * and neither the whole text nor the whole gzip is ever one string or buffer (copying tens of MB into one buffer
 * blocks for tens of milliseconds). The text's own SHA-256 and length (`contentChecksum`, `contentBytes`) are taken
 * on the way.
 */
export async function gzipJsonPiecesInSlices(
  value: Json,
  sliceMs = SLICE_MS,
): Promise<{
  pieces: Buffer[];
  bytes: number;
  checksum: string;
  contentChecksum: string;
  contentBytes: number;
}> {
  const gzip = createGzip();
  const hash = createHash('sha256');
  const digest = new TextDigest();
  const out: Buffer[] = [];
  let bytes = 0;
  gzip.on('data', (chunk: Buffer) => {
    out.push(chunk);
    bytes += chunk.length;
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
    pieces: out,
    bytes,
    checksum: hash.digest('hex'),
    ...digest.digest(),
  };
}

/** The bytes of `pieces`, in order, regrouped into buffers of `size` bytes (the last one shorter). */
export function* regrouped(
  pieces: readonly Buffer[],
  size: number,
): Generator<Buffer> {
  let group: Buffer[] = [];
  let grouped = 0;
  for (let piece of pieces) {
    while (grouped + piece.length >= size) {
      const take = size - grouped;
      group.push(piece.subarray(0, take));
      yield Buffer.concat(group);
      piece = piece.subarray(take);
      group = [];
      grouped = 0;
    }
    if (piece.length > 0) {
      group.push(piece);
      grouped += piece.length;
    }
  }
  if (grouped > 0) yield Buffer.concat(group);
}
