import { EventLoopSlices, SLICE_MS } from './slices';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const isSpace = (c: number) =>
  c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Thrown inside the scan when the text is not the shape it reads; the caller lets JSON.parse say why. */
class NotTheShape extends Error {}

/**
 * Scans JSON text given in parts (as it was decoded): positions of values, never the values themselves
 * (JSON.parse makes those). Only the part being scanned is held as one string: joining tens of MB into one
 * string is itself a block of hundreds of ms.
 */
class Scanner {
  text = '';
  pos = 0;
  #next = 0;

  constructor(readonly parts: readonly string[]) {}

  /** Appends the next part, keeping the text from `keep` on; false when there is none. */
  refill(keep: number): boolean {
    if (this.#next >= this.parts.length) return false;
    this.text = this.text.slice(keep) + this.parts[this.#next++];
    this.pos -= keep;
    return true;
  }

  /** The character at pos, refilling as needed; NaN at the end of the input. */
  peek(): number {
    while (this.pos >= this.text.length) {
      if (!this.refill(this.pos)) return NaN;
    }
    return this.text.charCodeAt(this.pos);
  }

  skipSpace() {
    while (isSpace(this.peek())) this.pos++;
  }

  /** Consumes `c` (after white space); throws when something else is there. */
  expect(c: number) {
    this.skipSpace();
    if (this.peek() !== c) throw new NotTheShape();
    this.pos++;
  }

  /** Consumes `c` (after white space) when it is there. */
  accept(c: number): boolean {
    this.skipSpace();
    if (this.peek() !== c) return false;
    this.pos++;
    return true;
  }

  /** Moves past one value (string, number, literal, object or array) and returns its text. */
  value(): string {
    this.skipSpace();
    let start = this.pos;
    let depth = 0;
    /** Makes sure the character at pos + ahead is in the text; the value's text so far is kept. */
    const has = (ahead = 0) => {
      while (this.pos + ahead >= this.text.length) {
        if (!this.refill(start)) return false;
        start = 0;
      }
      return true;
    };
    for (; has(); this.pos++) {
      const c = this.text.charCodeAt(this.pos);
      if (c === QUOTE) {
        this.pos++;
        while (has() && this.text.charCodeAt(this.pos) !== QUOTE) {
          if (this.text.charCodeAt(this.pos) === BACKSLASH) this.pos++;
          this.pos++;
        }
        if (depth === 0) {
          this.pos++;
          return this.text.slice(start, this.pos);
        }
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        depth++;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (depth === 0) break;
        depth--;
        if (depth === 0) {
          this.pos++;
          return this.text.slice(start, this.pos);
        }
      } else if (depth === 0 && (c === COMMA || isSpace(c))) {
        break;
      }
    }
    if (depth !== 0 || this.pos === start) throw new NotTheShape();
    return this.text.slice(start, this.pos);
  }
}

/**
 * JSON.parse(text) of an object whose members are arrays (the catalog projection: tens of MB at 100,000 people),
 * parsed element by element with a turn for the event loop whenever a slice has run `sliceMs`. Every element
 * and every other member is JSON.parse's own value. Text of another shape, or not JSON, is handed to JSON.parse
 * whole, so its result or its error is JSON.parse's.
 */
export async function parseJsonInSlices(
  text: string | readonly string[],
  sliceMs = SLICE_MS,
): Promise<unknown> {
  const scan = new Scanner(typeof text === 'string' ? [text] : text);
  const slices = new EventLoopSlices(sliceMs);
  try {
    const result: Record<string, unknown> = {};
    scan.expect(OPEN_BRACE);
    if (!scan.accept(CLOSE_BRACE)) {
      do {
        const key = JSON.parse(scan.value());
        if (typeof key !== 'string') throw new NotTheShape();
        scan.expect(COLON);
        scan.skipSpace();
        if (scan.peek() === OPEN_BRACKET) {
          scan.pos++;
          const elements: unknown[] = [];
          if (!scan.accept(CLOSE_BRACKET)) {
            do {
              elements.push(JSON.parse(scan.value()));
              if (slices.due()) await slices.turn();
            } while (scan.accept(COMMA));
            scan.expect(CLOSE_BRACKET);
          }
          setMember(result, key, elements);
        } else {
          setMember(result, key, JSON.parse(scan.value()));
        }
      } while (scan.accept(COMMA));
      scan.expect(CLOSE_BRACE);
    }
    scan.skipSpace();
    if (!Number.isNaN(scan.peek())) throw new NotTheShape();
    return result;
  } catch (error) {
    if (error instanceof NotTheShape || error instanceof SyntaxError) {
      return JSON.parse(typeof text === 'string' ? text : text.join(''));
    }
    throw error;
  }
}

/** What JSON.parse does with a member: `__proto__` is an own property, and a later duplicate wins. */
function setMember(
  target: Record<string, unknown>,
  key: string,
  value: unknown,
) {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
