// The subset of Xero's `where` language the sandbox understands: comparisons of a field path with a string,
// Guid("..."), DateTime(y, m, d[, h, mi, s]), number, boolean or null, and a string field's `.Contains("...")`,
// `.StartsWith("...")`, `.EndsWith("...")`, joined by AND / OR (or && / ||) with parentheses. As Xero documents, numbers
// and dates compare with `==`, `!=`, `>=`, `<=`, `>`, `<`; strings, GUIDs, booleans and null only with `==` and `!=`
// (Xero has no order on text or GUIDs in a filter). Anything else is a QueryParseException, as Xero answers.

export class WhereParseError extends Error {
  override name = 'WhereParseError';
}

type Value =
  | { kind: 'string'; value: string }
  | { kind: 'guid'; value: string }
  | { kind: 'date'; ms: number }
  | { kind: 'number'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' };

type Op = '==' | '!=' | '>=' | '<=' | '>' | '<';

type Method = 'contains' | 'startswith' | 'endswith';

type Node =
  | { kind: 'or'; items: Node[] }
  | { kind: 'and'; items: Node[] }
  | { kind: 'cmp'; field: string; op: Op; value: Value }
  | { kind: 'method'; field: string; method: Method; text: string };

const METHOD = /^(.+)\.(Contains|StartsWith|EndsWith)$/i;

type Token = { type: 'ident' | 'string' | 'number' | 'op' | '(' | ')' | ',' | 'and' | 'or'; text: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '"') {
      let text = '';
      i += 1;
      while (i < input.length && input[i] !== '"') {
        if (input[i] === '\\' && i + 1 < input.length) i += 1;
        text += input[i];
        i += 1;
      }
      if (input[i] !== '"') throw new WhereParseError('unterminated string');
      i += 1;
      tokens.push({ type: 'string', text });
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: c, text: c });
      i += 1;
    } else if (input.startsWith('&&', i) || input.startsWith('||', i)) {
      tokens.push({ type: c === '&' ? 'and' : 'or', text: input.slice(i, i + 2) });
      i += 2;
    } else if (/[=!<>]/.test(c)) {
      const two = input.slice(i, i + 2);
      const op = ['==', '!=', '>=', '<='].includes(two) ? two : c === '<' || c === '>' ? c : undefined;
      if (!op) throw new WhereParseError(`unexpected "${c}"`);
      tokens.push({ type: 'op', text: op });
      i += op.length;
    } else if (/[-\d]/.test(c)) {
      const match = /^-?\d+(\.\d+)?/.exec(input.slice(i));
      if (!match) throw new WhereParseError(`unexpected "${c}"`);
      tokens.push({ type: 'number', text: match[0] });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(input.slice(i))!;
      const word = match[0];
      const upper = word.toUpperCase();
      tokens.push({ type: upper === 'AND' ? 'and' : upper === 'OR' ? 'or' : 'ident', text: word });
      i += word.length;
    } else {
      throw new WhereParseError(`unexpected "${c}"`);
    }
  }
  return tokens;
}

/** Parses a `where` expression; throws WhereParseError for anything outside the subset. */
export function parseWhere(input: string): (record: Record<string, unknown>) => boolean {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = () => tokens[pos];
  const take = (type?: Token['type']): Token => {
    const token = tokens[pos];
    if (!token || (type && token.type !== type)) throw new WhereParseError(`expected ${type ?? 'more input'}`);
    pos += 1;
    return token;
  };

  const parseValue = (): Value => {
    const token = take();
    if (token.type === 'string') return { kind: 'string', value: token.text };
    if (token.type === 'number') return { kind: 'number', value: Number(token.text) };
    if (token.type !== 'ident') throw new WhereParseError(`unexpected "${token.text}"`);
    const word = token.text.toLowerCase();
    if (word === 'true' || word === 'false') return { kind: 'bool', value: word === 'true' };
    if (word === 'null') return { kind: 'null' };
    if (word === 'guid') {
      take('(');
      const value = take('string').text;
      take(')');
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) throw new WhereParseError('bad Guid');
      return { kind: 'guid', value: value.toLowerCase() };
    }
    if (word === 'datetime') {
      take('(');
      const parts: number[] = [Number(take('number').text)];
      while (peek()?.type === ',') {
        take(',');
        parts.push(Number(take('number').text));
      }
      take(')');
      if (parts.length !== 3 && parts.length !== 6) throw new WhereParseError('DateTime takes 3 or 6 numbers');
      const [y, m, d, h = 0, mi = 0, s = 0] = parts;
      const ms = Date.UTC(y, m - 1, d, h, mi, s);
      if (Number.isNaN(ms) || new Date(ms).getUTCMonth() !== m - 1) throw new WhereParseError('bad DateTime');
      return { kind: 'date', ms };
    }
    throw new WhereParseError(`unsupported "${token.text}"`);
  };

  const parsePrimary = (): Node => {
    if (peek()?.type === '(') {
      take('(');
      const inner = parseOr();
      take(')');
      return inner;
    }
    const field = take('ident').text;
    const method = METHOD.exec(field);
    if (method && peek()?.type === '(') {
      // A GUID field (…ID) is no string: it has no such method.
      if (/id$/i.test(method[1])) throw new WhereParseError(`${method[1]} has no method ${method[2]}`);
      take('(');
      const text = take('string').text;
      take(')');
      return { kind: 'method', field: method[1], method: method[2].toLowerCase() as Method, text };
    }
    const op = take('op').text as Op;
    const value = parseValue();
    if (op !== '==' && op !== '!=' && value.kind !== 'number' && value.kind !== 'date') {
      throw new WhereParseError(`operator ${op} cannot compare a ${value.kind === 'bool' ? 'boolean' : value.kind}`);
    }
    return { kind: 'cmp', field, op, value };
  };
  const parseAnd = (): Node => {
    const items = [parsePrimary()];
    while (peek()?.type === 'and') {
      take();
      items.push(parsePrimary());
    }
    return items.length === 1 ? items[0] : { kind: 'and', items };
  };
  function parseOr(): Node {
    const items = [parseAnd()];
    while (peek()?.type === 'or') {
      take();
      items.push(parseAnd());
    }
    return items.length === 1 ? items[0] : { kind: 'or', items };
  }

  const tree = parseOr();
  if (pos !== tokens.length) throw new WhereParseError(`unexpected "${tokens[pos].text}"`);
  return (record) => evaluate(tree, record);
}

function fieldOf(record: Record<string, unknown>, path: string): unknown {
  let value: unknown = record;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    const entry = Object.entries(value).find(([key]) => key.toLowerCase() === part.toLowerCase());
    value = entry?.[1];
  }
  return value;
}

function compare(left: number | string, op: Op, right: number | string): boolean {
  switch (op) {
    case '==':
      return left === right;
    case '!=':
      return left !== right;
    case '>=':
      return left >= right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '<':
      return left < right;
  }
}

function evaluate(node: Node, record: Record<string, unknown>): boolean {
  if (node.kind === 'or') return node.items.some((item) => evaluate(item, record));
  if (node.kind === 'and') return node.items.every((item) => evaluate(item, record));
  if (node.kind === 'method') {
    const text = fieldOf(record, node.field);
    if (typeof text !== 'string') return false;
    return node.method === 'contains' ? text.includes(node.text) : node.method === 'startswith' ? text.startsWith(node.text) : text.endsWith(node.text);
  }
  const field = fieldOf(record, node.field);
  const { value } = node;
  switch (value.kind) {
    case 'null':
      return node.op === '==' ? field == null : node.op === '!=' ? field != null : false;
    case 'guid':
      return typeof field === 'string' && compare(field.toLowerCase(), node.op, value.value);
    case 'string':
      return typeof field === 'string' && compare(field, node.op, value.value);
    case 'number':
      return typeof field === 'number' && compare(field, node.op, value.value);
    case 'bool':
      return typeof field === 'boolean' && compare(String(field), node.op, String(value.value));
    case 'date': {
      const match = typeof field === 'string' ? /^\/Date\((-?\d+)/.exec(field) : null;
      return match !== null && compare(Number(match[1]), node.op, value.ms);
    }
  }
}
