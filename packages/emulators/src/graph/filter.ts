import { badRequest } from './errors';

/*
 * A small OData `$filter` parser and evaluator: comparison operators, `in`, `and`/`or`/`not`, `startswith`,
 * `endswith`, `contains`, lambda `any`/`all`, property paths (`servicePrincipal/id`) and literals (strings,
 * numbers, booleans, null, GUIDs, date-times). It also reports whether the expression needs Graph's advanced
 * query mode (ConsistencyLevel: eventual + $count=true) on directory objects.
 */

type Expr =
  | { type: 'prop'; path: string[] }
  | { type: 'lit'; value: unknown }
  | { type: 'cmp'; op: string; left: Expr; right: Expr }
  | { type: 'and' | 'or'; left: Expr; right: Expr }
  | { type: 'not'; expr: Expr }
  | { type: 'in'; left: Expr; values: Expr[] }
  | { type: 'call'; name: string; args: Expr[] }
  | {
      type: 'lambda';
      kind: 'any' | 'all';
      path: string[];
      variable: string;
      body: Expr | undefined;
    };

export interface Filter {
  test(item: Record<string, unknown>): boolean;
  /** Operators that directory objects support only in advanced query mode (ne, not, endswith, ...). */
  advancedFeatures: string[];
  /** `id eq '…'` ids when the whole filter is a disjunction of those (delta queries support only that). */
  idsOnly?: string[];
}

type Token = {
  kind: 'ident' | 'string' | 'number' | 'punct' | 'datetime' | 'guid';
  text: string;
};

const DATETIME =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})/;
const GUID =
  /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length)
          throw badRequest(
            `Invalid filter clause: unterminated string literal at position ${i}.`,
          );
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      tokens.push({ kind: 'string', text: value });
    } else if ('(),:'.includes(ch)) {
      tokens.push({ kind: 'punct', text: ch });
      i++;
    } else if (DATETIME.test(rest)) {
      const m = DATETIME.exec(rest)![0];
      tokens.push({ kind: 'datetime', text: m });
      i += m.length;
    } else if (GUID.test(rest)) {
      const m = GUID.exec(rest)![0];
      tokens.push({ kind: 'guid', text: m });
      i += m.length;
    } else if (/[-\d]/.test(ch) && /^-?\d+(\.\d+)?/.test(rest)) {
      const m = /^-?\d+(\.\d+)?/.exec(rest)![0];
      tokens.push({ kind: 'number', text: m });
      i += m.length;
    } else if (/[A-Za-z_@$]/.test(ch)) {
      const m = /^[A-Za-z_@$][\w@$.]*(\/[A-Za-z_@$][\w@$.]*)*/.exec(rest)![0];
      tokens.push({ kind: 'ident', text: m });
      i += m.length;
    } else {
      throw badRequest(
        `Invalid filter clause: syntax error at position ${i} in '${text}'.`,
      );
    }
  }
  return tokens;
}

const COMPARISONS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];

class Parser {
  #pos = 0;
  readonly advanced = new Set<string>();
  readonly #tokens: Token[];
  readonly #text: string;

  constructor(tokens: Token[], text: string) {
    this.#tokens = tokens;
    this.#text = text;
  }

  parse(): Expr {
    const expr = this.#or();
    if (this.#pos < this.#tokens.length)
      this.#error(`unexpected '${this.#tokens[this.#pos].text}'`);
    return expr;
  }

  #peek(): Token | undefined {
    return this.#tokens[this.#pos];
  }

  #keyword(word: string): boolean {
    const t = this.#peek();
    if (t?.kind === 'ident' && t.text.toLowerCase() === word) {
      this.#pos++;
      return true;
    }
    return false;
  }

  #punct(p: string): boolean {
    const t = this.#peek();
    if (t?.kind === 'punct' && t.text === p) {
      this.#pos++;
      return true;
    }
    return false;
  }

  #expect(p: string) {
    if (!this.#punct(p)) this.#error(`expected '${p}'`);
  }

  #error(problem: string): never {
    throw badRequest(`Invalid filter clause: ${problem} in '${this.#text}'.`);
  }

  #or(): Expr {
    let left = this.#and();
    while (this.#keyword('or')) left = { type: 'or', left, right: this.#and() };
    return left;
  }

  #and(): Expr {
    let left = this.#unary();
    while (this.#keyword('and'))
      left = { type: 'and', left, right: this.#unary() };
    return left;
  }

  #unary(): Expr {
    if (this.#keyword('not')) {
      this.advanced.add('not');
      return { type: 'not', expr: this.#unary() };
    }
    return this.#comparison();
  }

  #comparison(): Expr {
    const left = this.#primary();
    const t = this.#peek();
    if (t?.kind === 'ident' && COMPARISONS.includes(t.text.toLowerCase())) {
      this.#pos++;
      const op = t.text.toLowerCase();
      if (op === 'ne') this.advanced.add('ne');
      const right = this.#primary();
      if (right.type === 'lit' && right.value === null)
        this.advanced.add(`${op} null`);
      return { type: 'cmp', op, left, right };
    }
    if (this.#keyword('in')) {
      this.#expect('(');
      const values: Expr[] = [];
      if (!this.#punct(')')) {
        do values.push(this.#primary());
        while (this.#punct(','));
        this.#expect(')');
      }
      return { type: 'in', left, values };
    }
    return left;
  }

  #primary(): Expr {
    const t = this.#peek();
    if (!t) this.#error('unexpected end of expression');
    this.#pos++;
    if (t.kind === 'punct' && t.text === '(') {
      const inner = this.#or();
      this.#expect(')');
      return inner;
    }
    if (t.kind === 'string' || t.kind === 'guid')
      return { type: 'lit', value: t.text };
    if (t.kind === 'number') return { type: 'lit', value: Number(t.text) };
    if (t.kind === 'datetime') return { type: 'lit', value: new Date(t.text) };
    if (t.kind !== 'ident') this.#error(`unexpected '${t.text}'`);
    const lowered = t.text.toLowerCase();
    if (lowered === 'true' || lowered === 'false')
      return { type: 'lit', value: lowered === 'true' };
    if (lowered === 'null') return { type: 'lit', value: null };
    const path = t.text.split('/');
    const last = path[path.length - 1].toLowerCase();
    if ((last === 'any' || last === 'all') && this.#punct('(')) {
      if (this.#punct(')'))
        return {
          type: 'lambda',
          kind: last,
          path: path.slice(0, -1),
          variable: '',
          body: undefined,
        };
      const variable = this.#peek();
      if (variable?.kind !== 'ident') this.#error('expected a lambda variable');
      this.#pos++;
      this.#expect(':');
      const body = this.#or();
      this.#expect(')');
      return {
        type: 'lambda',
        kind: last,
        path: path.slice(0, -1),
        variable: variable.text,
        body,
      };
    }
    if (this.#punct('(')) {
      if (
        !['startswith', 'endswith', 'contains', 'tolower', 'toupper'].includes(
          lowered,
        )
      )
        this.#error(`unknown function '${t.text}'`);
      if (lowered === 'endswith' || lowered === 'contains')
        this.advanced.add(lowered);
      const args: Expr[] = [];
      if (!this.#punct(')')) {
        do args.push(this.#or());
        while (this.#punct(','));
        this.#expect(')');
      }
      return { type: 'call', name: lowered, args };
    }
    return { type: 'prop', path };
  }
}

/** Reads a property case-insensitively, as Graph matches property names. */
function read(item: unknown, path: string[]): unknown {
  let current: unknown = item;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    const record = current as Record<string, unknown>;
    if (segment in record) {
      current = record[segment];
      continue;
    }
    const key = Object.keys(record).find(
      k => k.toLowerCase() === segment.toLowerCase(),
    );
    current = key === undefined ? undefined : record[key];
  }
  return current;
}

function compare(op: string, a: unknown, b: unknown): boolean {
  if (b instanceof Date) {
    const left = typeof a === 'string' ? Date.parse(a) : NaN;
    return numeric(op, left, b.getTime());
  }
  if (b === null || a === null || a === undefined)
    return equality(op, (a ?? null) === b);
  if (typeof a === 'string' && typeof b === 'string') {
    // Graph compares strings case-insensitively.
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return numeric(op, Number(x > y) - Number(x < y), 0);
  }
  if (typeof a === 'number' && typeof b === 'number') return numeric(op, a, b);
  return equality(op, a === b);
}

/** Only eq and ne are defined between values of different kinds. */
function equality(op: string, equal: boolean): boolean {
  if (op === 'eq') return equal;
  if (op === 'ne') return !equal;
  return false;
}

function numeric(op: string, a: number, b: number): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    default:
      return a <= b;
  }
}

function evaluate(
  expr: Expr,
  item: unknown,
  scope: Map<string, unknown>,
): unknown {
  switch (expr.type) {
    case 'lit':
      return expr.value;
    case 'prop': {
      const [head, ...rest] = expr.path;
      if (scope.has(head))
        return rest.length ? read(scope.get(head), rest) : scope.get(head);
      return read(item, expr.path);
    }
    case 'cmp':
      return compare(
        expr.op,
        evaluate(expr.left, item, scope),
        evaluate(expr.right, item, scope),
      );
    case 'and':
      return (
        Boolean(evaluate(expr.left, item, scope)) &&
        Boolean(evaluate(expr.right, item, scope))
      );
    case 'or':
      return (
        Boolean(evaluate(expr.left, item, scope)) ||
        Boolean(evaluate(expr.right, item, scope))
      );
    case 'not':
      return !evaluate(expr.expr, item, scope);
    case 'in': {
      const value = evaluate(expr.left, item, scope);
      return expr.values.some(v =>
        compare('eq', value, evaluate(v, item, scope)),
      );
    }
    case 'call': {
      const args = expr.args.map(a => evaluate(a, item, scope));
      if (expr.name === 'tolower' || expr.name === 'toupper') {
        if (typeof args[0] !== 'string') return args[0];
        return expr.name === 'tolower'
          ? args[0].toLowerCase()
          : args[0].toUpperCase();
      }
      const [s, part] = args.map(a =>
        typeof a === 'string' ? a.toLowerCase() : undefined,
      );
      if (s === undefined || part === undefined) return false;
      if (expr.name === 'startswith') return s.startsWith(part);
      if (expr.name === 'endswith') return s.endsWith(part);
      return s.includes(part);
    }
    case 'lambda': {
      const collection = evaluate(
        { type: 'prop', path: expr.path },
        item,
        scope,
      );
      if (!Array.isArray(collection)) return false;
      if (!expr.body) return collection.length > 0;
      const test = (element: unknown) =>
        Boolean(
          evaluate(
            expr.body!,
            item,
            new Map(scope).set(expr.variable, element),
          ),
        );
      return expr.kind === 'any'
        ? collection.some(test)
        : collection.every(test);
    }
    default:
      return false;
  }
}

function idDisjunction(expr: Expr): string[] | undefined {
  if (expr.type === 'or') {
    const left = idDisjunction(expr.left);
    const right = idDisjunction(expr.right);
    return left && right ? [...left, ...right] : undefined;
  }
  if (
    expr.type === 'cmp' &&
    expr.op === 'eq' &&
    expr.left.type === 'prop' &&
    expr.left.path.join('/').toLowerCase() === 'id' &&
    expr.right.type === 'lit'
  ) {
    return [String(expr.right.value).toLowerCase()];
  }
  return undefined;
}

export function parseFilter(text: string): Filter {
  const parser = new Parser(tokenize(text), text);
  const expr = parser.parse();
  return {
    test: item => Boolean(evaluate(expr, item, new Map())),
    advancedFeatures: [...parser.advanced],
    idsOnly: idDisjunction(expr),
  };
}
