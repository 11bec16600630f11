// The built-in GJSON modifiers (`@reverse`, `@keys`, ...) and `!` literals, applied to parsed values instead of
// raw JSON text. Whitespace-only modifiers (@pretty, @ugly, @valid) have nothing to do on a parsed value.

import { balancedEnd, compareCodePoints, isPlainObject, setOwn, truthyGo } from './gjson-text.ts';
import type { Res } from './gjson-text.ts';

type Modifier = (input: Res, arg: string) => Res;

/** A boolean option of a modifier argument such as `{"deep":true}`, read with gjson's truthiness. */
function option(arg: string, name: string): boolean {
  const parsed = parseJson(arg);
  if (parsed === undefined || !isPlainObject(parsed.value) || !Object.hasOwn(parsed.value, name)) return false;
  return truthyGo({ value: parsed.value[name] });
}

/** Strict JSON parse of text, or nothing. */
export function parseJson(text: string): Res {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

function flattenModifier(input: Res, arg: string): Res {
  return Array.isArray(input?.value) ? { value: flatten(input.value, option(arg, 'deep')) } : input;
}

function flatten(list: readonly unknown[], deep: boolean): unknown[] {
  const out: unknown[] = [];
  for (const item of list) {
    if (Array.isArray(item)) out.push(...(deep ? flatten(item as unknown[], true) : (item as unknown[])));
    else out.push(item);
  }
  return out;
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(compareCodePoints)) setOwn(out, key, sortKeysDeep(value[key]));
  return out;
}

function pretty(input: Res, arg: string): Res {
  return input !== undefined && option(arg, 'sortKeys') ? { value: sortKeysDeep(input.value) } : input;
}

function reverse(input: Res): Res {
  const v = input?.value;
  if (Array.isArray(v)) return { value: [...(v as unknown[])].reverse() };
  if (!isPlainObject(v)) return input;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v).reverse()) setOwn(out, key, v[key]);
  return { value: out };
}

function join(input: Res, arg: string): Res {
  const v = input?.value;
  if (!Array.isArray(v)) return input;
  // Without "preserve" gjson keeps each key at its first position with its last value; with it, duplicates
  // survive in the JSON text, and reading that text back keeps the first one.
  const preserve = option(arg, 'preserve');
  const out: Record<string, unknown> = {};
  for (const item of v) {
    if (!isPlainObject(item)) continue;
    for (const key of Object.keys(item)) {
      if (!preserve || !Object.hasOwn(out, key)) setOwn(out, key, item[key]);
    }
  }
  return { value: out };
}

function group(input: Res): Res {
  const v = input?.value;
  if (!isPlainObject(v)) return undefined;
  const rows: Record<string, unknown>[] = [];
  for (const key of Object.keys(v)) {
    const column = v[key];
    if (!Array.isArray(column)) continue;
    column.forEach((cell: unknown, row) => {
      const target = rows[row] ?? {};
      rows[row] = target;
      setOwn(target, key, cell);
    });
  }
  return { value: rows };
}

function fromString(input: Res): Res {
  if (input === undefined) return undefined;
  const v = input.value;
  if (typeof v === 'string') return parseJson(v);
  // A JSON null has an empty string form in gjson, which parses to nothing.
  return v === null ? undefined : input;
}

const modifiers = new Map<string, Modifier>([
  ['this', (input) => input],
  ['valid', (input) => input],
  ['ugly', (input) => input],
  ['pretty', pretty],
  ['reverse', reverse],
  ['flatten', flattenModifier],
  ['join', join],
  ['group', group],
  [
    'keys',
    (input) => {
      if (input === undefined) return { value: [] };
      const v = input.value;
      if (isPlainObject(v)) return { value: Object.keys(v) };
      return { value: Array.isArray(v) ? v.map(() => null) : [null] };
    },
  ],
  [
    'values',
    (input) => {
      if (input === undefined) return { value: [] };
      const v = input.value;
      if (isPlainObject(v)) return { value: Object.values(v) };
      return Array.isArray(v) ? input : { value: [v] };
    },
  ],
  ['tostr', (input) => ({ value: input === undefined ? '' : jsonText(input.value) })],
  ['fromstr', fromString],
]);

/** Whether `name` (without the `@`) is a built-in modifier; any other `@name` is an ordinary key. */
export function isModifierName(name: string): boolean {
  return modifiers.has(name);
}

/** The result of a modifier or literal at the head of a path, and the path text that follows it. */
export type HeadResult = { readonly res: Res; readonly rest: string };

/** Splits `@name[:arg]` at the head of `path` (which starts with `@`) into name, argument and the rest. */
export function splitModifier(path: string): { name: string; arg: string; rest: string } {
  const stop = path.slice(1).search(/[:.|]/);
  if (stop < 0) return { name: path.slice(1), arg: '', rest: '' };
  const name = path.slice(1, stop + 1);
  const after = path.slice(stop + 1);
  if (!after.startsWith(':')) return { name, arg: '', rest: after };
  const argText = after.slice(1);
  const first = argText.charAt(0);
  if (first === '{' || first === '[' || first === '"') {
    const end = balancedEnd(argText, 0);
    const cut = end < 0 ? argText.length : end;
    return { name, arg: argText.slice(0, cut), rest: argText.slice(cut) };
  }
  // A bare argument runs to the next pipe; gjson does not end it at a dot.
  const pipe = argText.indexOf('|');
  return pipe < 0 ? { name, arg: argText, rest: '' } : { name, arg: argText.slice(0, pipe), rest: argText.slice(pipe) };
}

/** Runs the modifier at the head of `path` on `input`, or returns undefined when the name is not a modifier. */
export function runModifier(input: Res, path: string): HeadResult | undefined {
  const { name, arg, rest } = splitModifier(path);
  const fn = modifiers.get(name);
  return fn === undefined ? undefined : { res: fn(input, arg), rest };
}

const literalWords: Record<string, unknown> = { true: true, false: false, null: null };

/** Reads the `!` literal at the head of `path`: JSON text, a number, or a word; undefined when it is none. */
export function readLiteral(path: string): { text: string; value: unknown; rest: string } | undefined {
  const body = path.slice(1);
  const first = body.charAt(0);
  if (first === '{' || first === '[' || first === '"') {
    const end = balancedEnd(body, 0);
    if (end < 0) return undefined;
    const parsed = parseJson(body.slice(0, end));
    return parsed === undefined ? undefined : { text: body.slice(0, end), value: parsed.value, rest: body.slice(end) };
  }
  const num = /^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(body);
  if (num !== null) return { text: num[0], value: Number(num[0]), rest: body.slice(num[0].length) };
  const stop = body.search(/[.|]/);
  const word = stop < 0 ? body : body.slice(0, stop);
  const rest = stop < 0 ? '' : body.slice(stop);
  if (Object.hasOwn(literalWords, word)) return { text: word, value: literalWords[word], rest };
  const lower = word.toLowerCase();
  if (lower === 'nan') return { text: word, value: Number.NaN, rest };
  if (lower === 'inf') return { text: word, value: Infinity, rest };
  return undefined;
}

/** Runs the `!` literal at the head of `path`, or returns undefined when it is not a literal. */
export function runLiteral(path: string): HeadResult | undefined {
  const lit = readLiteral(path);
  return lit === undefined ? undefined : { res: { value: lit.value }, rest: lit.rest };
}

// JSON.stringify gives undefined for undefined and functions, though its typings promise a string.
function jsonText(value: unknown): string {
  const text: string | undefined = JSON.stringify(value);
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- see above: the typings are wrong here
  return text ?? '';
}
