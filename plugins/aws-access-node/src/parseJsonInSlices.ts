import { EventLoopSlices, SLICE_MS } from './slices';

/*
 * JSON.parse in slices (issue 18), for the backend's stored snapshots and the catalog module's projection. Arrays
 * down to ARRAY_DEPTH and objects down to OBJECT_DEPTH are built here, element by element and member by member;
 * every value below (one user, one assignment) and every string, number and literal is found in the text and
 * handed to JSON.parse, so each value is JSON.parse's own. The text is read as it arrives (a snapshot as gunzip
 * produces it): the whole text (tens of MB at 20,000 people) is never held at once.
 */

/** Containers this shallow are built here; deeper ones are parsed in one piece (what slicedJson.ts writes). */
const OBJECT_DEPTH = 2;
const ARRAY_DEPTH = 3;

const MORE = 'more';
/** The parse asks for more text (MORE) or offers a point to give the event loop a turn (undefined). */
type Parsing<T> = Generator<typeof MORE | undefined, T, void>;

/** The text not yet consumed, extended as more arrives. */
class Feed {
  text = '';
  pos = 0;
  ended = false;

  append(more: string) {
    this.text = this.text.slice(this.pos) + more;
    this.pos = 0;
  }

  /** Makes sure the character at pos + ahead exists; false at the end of the input. */
  *has(ahead = 0): Parsing<boolean> {
    while (this.pos + ahead >= this.text.length) {
      if (this.ended) return false;
      yield MORE;
    }
    return true;
  }

  error(what: string): SyntaxError {
    return new SyntaxError(
      `${what} in JSON at ${JSON.stringify(
        this.text.slice(this.pos, this.pos + 20),
      )}`,
    );
  }
}

const isSpace = (c: number) =>
  c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** The next character that is not white space, without consuming it; undefined at the end. */
function* peek(feed: Feed): Parsing<number | undefined> {
  for (;;) {
    if (!(yield* feed.has())) return undefined;
    const c = feed.text.charCodeAt(feed.pos);
    if (!isSpace(c)) return c;
    feed.pos++;
  }
}

function* expectOneOf(feed: Feed, chars: string): Parsing<string> {
  const c = yield* peek(feed);
  if (c === undefined) throw feed.error('Unexpected end');
  const char = String.fromCharCode(c);
  if (!chars.includes(char)) throw feed.error('Unexpected token');
  feed.pos++;
  return char;
}

/**
 * One value parsed by JSON.parse: its end is found first (strings skipped with their escapes, brackets counted),
 * keeping the scan's state while more text arrives.
 */
function* leaf(feed: Feed): Parsing<unknown> {
  let end = 0;
  let depth = 0;
  let inString = false;
  for (;;) {
    const text = feed.text;
    let i = feed.pos + end;
    let done = false;
    while (i < text.length && !done) {
      if (inString) {
        const quote = text.indexOf('"', i);
        if (quote < 0) {
          i = text.length;
          break;
        }
        let backslashes = 0;
        while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++;
        i = quote + 1;
        if (backslashes % 2 === 0) {
          inString = false;
          done = depth === 0;
        }
        continue;
      }
      const c = text.charCodeAt(i);
      if (c === 0x22) inString = true;
      else if (c === 0x5b || c === 0x7b) depth++;
      else if (c === 0x5d || c === 0x7d) {
        if (depth === 0) break; // the end of the enclosing container: a number or literal ended before it
        depth--;
        done = depth === 0;
      } else if (depth === 0 && (c === 0x2c || isSpace(c))) break;
      i++;
    }
    end = i - feed.pos;
    if (done || (i < text.length && depth === 0 && !inString)) break;
    if (!(yield* feed.has(end))) break; // the end of the input: JSON.parse says what is wrong, if anything
  }
  const value = JSON.parse(feed.text.slice(feed.pos, feed.pos + end));
  feed.pos += end;
  return value;
}

/** Sets a member as JSON.parse does: an own property, even one named __proto__. */
function setMember(
  object: Record<string, unknown>,
  key: string,
  value: unknown,
) {
  if (key === '__proto__')
    Object.defineProperty(object, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  else object[key] = value;
}

function* parseValue(feed: Feed, depth: number): Parsing<unknown> {
  const c = yield* peek(feed);
  if (c === undefined) throw feed.error('Unexpected end');
  if (c === 0x5b && depth < ARRAY_DEPTH) {
    feed.pos++;
    const array: unknown[] = [];
    if ((yield* peek(feed)) === 0x5d) {
      feed.pos++;
      return array;
    }
    do {
      array.push(yield* parseValue(feed, depth + 1));
      yield;
    } while ((yield* expectOneOf(feed, ',]')) === ',');
    return array;
  }
  if (c === 0x7b && depth < OBJECT_DEPTH) {
    feed.pos++;
    const object: Record<string, unknown> = {};
    if ((yield* peek(feed)) === 0x7d) {
      feed.pos++;
      return object;
    }
    do {
      if ((yield* peek(feed)) !== 0x22) throw feed.error('Expected a key');
      const key = (yield* leaf(feed)) as string;
      yield* expectOneOf(feed, ':');
      setMember(object, key, yield* parseValue(feed, depth + 1));
      yield;
    } while ((yield* expectOneOf(feed, ',}')) === ',');
    return object;
  }
  return yield* leaf(feed);
}

function* document(feed: Feed): Parsing<unknown> {
  const parsed = yield* parseValue(feed, 0);
  if ((yield* peek(feed)) !== undefined) throw feed.error('Unexpected data');
  return parsed;
}

/** The parse of a text as its pieces arrive, with a turn for the event loop whenever a slice is due. */
async function parseStream(
  pieces: readonly string[] | AsyncIterable<string>,
  sliceMs: number,
): Promise<unknown> {
  const feed = new Feed();
  const parsing = document(feed);
  const source =
    Symbol.asyncIterator in pieces
      ? pieces[Symbol.asyncIterator]()
      : pieces[Symbol.iterator]();
  const slices = new EventLoopSlices(sliceMs);
  try {
    for (;;) {
      const step = parsing.next();
      if (step.done) return step.value;
      if (step.value === MORE) {
        const next = await source.next();
        if (next.done) feed.ended = true;
        else feed.append(next.value);
      } else if (slices.due()) {
        await slices.turn();
      }
    }
  } finally {
    // A parse that stopped early (not JSON) releases its source (the gunzip stream).
    await source.return?.();
  }
}

/**
 * JSON.parse of the concatenated text pieces, parsed as they arrive and in slices of `sliceMs` that give the event
 * loop a turn. Throws as JSON.parse would on text that is not JSON (a SyntaxError), truncated text included; when
 * the text is in hand (a string or an array of pieces), the error is JSON.parse's own, message and all.
 *
 * @alpha
 */
export async function parseJsonInSlices(
  text: string | readonly string[] | AsyncIterable<string>,
  sliceMs = SLICE_MS,
): Promise<unknown> {
  const pieces = typeof text === 'string' ? [text] : text;
  try {
    return await parseStream(pieces, sliceMs);
  } catch (error) {
    if (error instanceof SyntaxError && !(Symbol.asyncIterator in pieces)) {
      return JSON.parse(pieces.join(''));
    }
    throw error;
  }
}
