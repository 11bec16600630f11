// Validation of the compound path components: `#(...)` queries, `[...]`/`{...}` multipaths, `@modifier:arg` and
// `!literal`. Each returns the component and where it ends; the caller checks what follows.

import type { GjsonComponent, GjsonPath, GjsonQueryOp, GjsonQueryValue, GjsonSeparator } from './gjson-ast.ts';
import type { Source, SubParser } from './gjson-ast.ts';
import { isModifierName, parseJson, readLiteral } from './gjson-modifiers.ts';
import { scanSelectors } from './gjson-selectors.ts';
import { balancedEnd, stringEnd } from './gjson-text.ts';

type Sep = GjsonSeparator | undefined;

const operators = new Set<string>(['==', '=', '!=', '<', '<=', '>', '>=', '%', '!%']);

function isOperator(text: string): text is GjsonQueryOp {
  return operators.has(text);
}

/** The range [from, to) without surrounding blanks (gjson trims query parts the same way). */
function trimRange(text: string, from: number, to: number): [number, number] {
  let f = from;
  let t = to;
  while (f < t && text.charCodeAt(f) <= 0x20) f++;
  while (t > f && text.charCodeAt(t - 1) <= 0x20) t--;
  return [f, t];
}

/** Index of the bracket that closes the query opened at `at`, and where its operator starts (-1 if none). */
function queryBounds(src: Source, at: number, to: number): { close: number; opAt: number } {
  const text = src.text;
  const closers = [text.charAt(at + 1) === '(' ? ')' : ']'];
  let opAt = -1;
  for (let i = at + 2; i < to; i++) {
    const ch = text.charAt(i);
    if (closers.length === 1 && opAt < 0 && '!=<>%'.includes(ch)) {
      opAt = i;
    } else if (ch === '\\') {
      if (i + 1 >= to) src.fail(i, 'dangling escape "\\"');
      i++;
    } else if (ch === '"') {
      const end = stringEnd(text.slice(0, to), i);
      if (end < 0) src.fail(i, 'unterminated string');
      i = end - 1;
    } else if (ch === '(' || ch === '[') {
      closers.push(ch === '(' ? ')' : ']');
    } else if (ch === ')' || ch === ']') {
      if (closers.pop() !== ch) src.fail(i, `mismatched "${ch}"`);
      if (closers.length === 0) return { close: i, opAt };
    }
  }
  return src.fail(at, `unterminated query "${text.slice(at, at + 2)}"`);
}

/** Validates the right-hand side of a query in [from, to). */
function queryValue(src: Source, from: number, to: number): GjsonQueryValue {
  const text = src.text;
  const raw = text.slice(from, to);
  if (raw.startsWith('"')) {
    // queryBounds already found the closing quote, so the string ends inside the value.
    const end = from + stringEnd(raw, 0);
    if (end !== to) src.fail(end, 'unexpected text after the string');
    const parsed = parseJson(raw)?.value;
    if (typeof parsed !== 'string') src.fail(from, 'invalid string (bad escape or control character)');
    return { kind: 'string', text: parsed };
  }
  if (raw.startsWith('~')) {
    if (raw !== '~true' && raw !== '~false') src.fail(from, 'expected ~true or ~false');
    return { kind: 'truthy', expected: raw === '~true' };
  }
  const quote = raw.indexOf('"');
  if (quote >= 0) src.fail(from + quote, 'unexpected quote in an unquoted value');
  return { kind: 'bare', text: raw };
}

/** Validates the query `#(...)` or `#(...)#` at `at`. */
export function parseQueryAt(src: Source, at: number, to: number, sep: Sep, sub: SubParser): GjsonComponent {
  const text = src.text;
  const { close, opAt } = queryBounds(src, at, to);
  const [lf, lt] = trimRange(text, at + 2, opAt < 0 ? close : opAt);
  const lhs: GjsonPath | undefined = lf < lt ? sub(lf, lt) : undefined;
  let op: GjsonQueryOp | undefined;
  let value: GjsonQueryValue | undefined;
  if (opAt < 0) {
    if (lhs === undefined) src.fail(at + 2, 'empty query');
  } else {
    let opEnd = opAt;
    while (opEnd < close && '!=<>%'.includes(text.charAt(opEnd))) opEnd++;
    const opText = text.slice(opAt, opEnd);
    if (!isOperator(opText)) return src.fail(opAt, `bad operator "${opText}"`);
    op = opText;
    const [vf, vt] = trimRange(text, opEnd, close);
    if (vf === vt) src.fail(opEnd, `missing value after "${opText}"`);
    value = queryValue(src, vf, vt);
  }
  const all = close + 1 < to && text.charAt(close + 1) === '#';
  return { kind: 'query', sep, start: at, end: close + (all ? 2 : 1), lhs, op, value, all };
}

/** Validates the multipath `[...]` or `{...}` at `at`. */
export function parseMultipathAt(src: Source, at: number, to: number, sep: Sep, sub: SubParser): GjsonComponent {
  const text = src.text;
  const open = text.charAt(at);
  const scanned = scanSelectors(text.slice(at, to));
  if (scanned === undefined) return src.fail(at, `unterminated multipath "${open}"`);
  const members = scanned.sels.map((sel) => {
    const from = at + sel.at;
    if (sel.path === '') src.fail(from, 'empty path in multipath');
    const name = sel.name;
    if (name !== undefined && name.startsWith('"') && typeof parseJson(name)?.value !== 'string') {
      src.fail(from - name.length - 1, 'invalid member name');
    }
    return { name, path: sub(from, from + sel.path.length) };
  });
  const end = to - scanned.rest.length;
  return { kind: 'multipath', sep, start: at, end, shape: open === '[' ? 'array' : 'object', members };
}

/** Validates `@name[:arg]` at `at`, or returns undefined when `name` is no modifier (then it is a key). */
export function parseModifierAt(src: Source, at: number, to: number, sep: Sep): GjsonComponent | undefined {
  const text = src.text;
  let nameEnd = at + 1;
  while (nameEnd < to && !':.|'.includes(text.charAt(nameEnd))) nameEnd++;
  const name = text.slice(at + 1, nameEnd);
  if (!isModifierName(name)) return undefined;
  if (nameEnd >= to || text.charAt(nameEnd) !== ':') {
    return { kind: 'modifier', sep, start: at, end: nameEnd, name, arg: undefined };
  }
  const argAt = nameEnd + 1;
  const first = text.charAt(argAt);
  let end: number;
  if (argAt < to && '{["'.includes(first)) {
    const len = balancedEnd(text.slice(argAt, to), 0);
    if (len < 0) return src.fail(argAt, 'unterminated modifier argument');
    end = argAt + len;
    if (parseJson(text.slice(argAt, end)) === undefined) src.fail(argAt, 'modifier argument is not valid JSON');
  } else {
    // A bare argument runs to the next pipe, dots included, as in gjson.
    const pipe = text.indexOf('|', argAt);
    end = pipe < 0 || pipe > to ? to : pipe;
  }
  return { kind: 'modifier', sep, start: at, end, name, arg: text.slice(argAt, end) };
}

/** Validates the literal `!value` at `at`, or returns undefined when it reads as a plain key. */
export function parseLiteralAt(src: Source, at: number, to: number, sep: Sep): GjsonComponent | undefined {
  const lit = readLiteral(src.text.slice(at, to));
  if (lit === undefined) {
    // Text that can only be meant as JSON is an error rather than a surprising key.
    if ('{["+-0123456789'.includes(src.text.charAt(at + 1))) src.fail(at, 'invalid literal');
    return undefined;
  }
  return { kind: 'literal', sep, start: at, end: at + 1 + lit.text.length, value: lit.value };
}
