// Evaluation of a GJSON path on a parsed JSON value. The control flow follows tidwall/gjson's Get step by step
// (object step, array step, pipes carried to the top), so that corner cases come out as the Go library has them.

import { parseJson, runLiteral, runModifier } from './gjson-modifiers.ts';
import type { HeadResult } from './gjson-modifiers.ts';
import { memberName, scanSelectors } from './gjson-selectors.ts';
import { splitArrayStep, splitObjectStep, splitTopPipe } from './gjson-split.ts';
import type { QueryParts } from './gjson-split.ts';
import { compareCodePoints, globMatch, isPlainObject, parseFloatGo, setOwn, truthyGo } from './gjson-text.ts';
import type { Res } from './gjson-text.ts';

/** A step's verdict: undefined lets a wildcard key try the next match; `{ res }` ends the search, even empty. */
type Outcome = { readonly res: Res } | undefined;

/**
 * What the steps of one evaluation share (gjson's parse context): the piped remainder of the path, applied to
 * whatever was found, and the list a `#(...)#` query collected. Such a list does not end a wildcard search; it
 * stands only if no later branch finds a value.
 */
type Context = { pipe?: string; collected?: Res };

/** A present value, or nothing for `undefined` (an array hole or a missing property). */
function found(value: unknown): Res {
  return value === undefined ? undefined : { value };
}

/** Evaluates `path` on `input` as gjson.Get does; the path is assumed valid. */
export function evaluate(input: Res, path: string): Res {
  if (path.length > 1) {
    const c = path.charAt(0);
    const head = c === '@' ? runModifier(input, path) : c === '!' ? runLiteral(path) : undefined;
    if (head !== undefined) return afterHead(head);
    if (c === '[' || c === '{') {
      const built = multipath(input, path);
      if (built !== undefined) return built.res;
    }
  }
  const context: Context = {};
  // `..` reads the input as JSON Lines; a parsed document is a stream of one line.
  const outcome = path.startsWith('..')
    ? arrayStep(input === undefined ? [] : [input.value], path.slice(2), context)
    : descend(input?.value, path, context);
  const out = outcome === undefined ? context.collected : outcome.res;
  return context.pipe === undefined ? out : evaluate(out, context.pipe);
}

/** After a modifier, literal or multipath both `.` and `|` apply the rest of the path to its result. */
function afterHead(head: HeadResult): Res {
  const sep = head.rest.charAt(0);
  return sep === '.' || sep === '|' ? evaluate(head.res, head.rest.slice(1)) : head.res;
}

function descend(value: unknown, path: string, context: Context): Outcome {
  if (Array.isArray(value)) return arrayStep(value, path, context);
  return isPlainObject(value) ? objectStep(value, path, context) : undefined;
}

function objectStep(obj: Record<string, unknown>, path: string, context: Context): Outcome {
  const step = splitObjectStep(path);
  if (step.pipe !== undefined) context.pipe = step.pipe;
  const visit = (key: string): Outcome => {
    const value = obj[key];
    if (step.rest !== undefined) return descend(value, step.rest, context);
    return value === undefined ? undefined : { res: { value } };
  };
  if (!step.wild) return Object.hasOwn(obj, step.key) ? visit(step.key) : undefined;
  // With a wildcard, keys are tried in document order until one leads to a result.
  for (const key of Object.keys(obj)) {
    if (!globMatch(key, step.pattern)) continue;
    const out = visit(key);
    if (out !== undefined) return out;
  }
  return undefined;
}

function arrayStep(arr: readonly unknown[], path: string, context: Context): Outcome {
  const step = splitArrayStep(path);
  if (step.broken === true) return undefined;
  if (step.pipe !== undefined) context.pipe = step.pipe;
  if (step.query !== undefined) return queryStep(arr, step.query, step.rest, context);
  if (step.map !== undefined) {
    // `#.rest` runs the rest on every element up to the first top-level pipe, which then sees the whole list.
    const [each, piped] = splitTopPipe(step.map);
    if (piped !== undefined) context.pipe = piped;
    const out: unknown[] = [];
    for (const item of arr) {
      const res = evaluate(found(item), each);
      if (res !== undefined) out.push(res.value);
    }
    return { res: { value: out } };
  }
  if (step.hash) return step.part === '#' ? { res: { value: arr.length } } : undefined;
  if (!/^\d+$/.test(step.part)) return undefined;
  const item = arr[Number(step.part)];
  if (step.rest !== undefined) return descend(item, step.rest, context);
  return item === undefined ? undefined : { res: { value: item } };
}

function queryStep(arr: readonly unknown[], query: QueryParts, rest: string | undefined, context: Context): Outcome {
  const all: unknown[] = [];
  for (const item of arr) {
    if (item === undefined) continue;
    const container = Array.isArray(item) || isPlainObject(item);
    // A scalar element can only be tested as itself.
    if (!container && query.lhs !== '') continue;
    if (!queryMatches(query, container ? evaluate({ value: item }, query.lhs) : { value: item })) continue;
    let res: Res = { value: item };
    if (rest !== undefined) {
      // gjson splits off a trailing pipe only once something matched, so an empty `#(...)#` ignores it.
      const [each, piped] = splitTopPipe(rest);
      if (piped !== undefined) context.pipe = piped;
      res = evaluate(res, each);
    }
    if (!query.all) return { res };
    if (res !== undefined) all.push(res.value);
  }
  if (query.all) context.collected ??= { value: all };
  return undefined;
}

function queryMatches(query: QueryParts, subject: Res): boolean {
  let expected = query.value;
  let actual = subject;
  if (expected.startsWith('~')) {
    // `~` compares truthiness; a missing value counts as false.
    expected = expected.slice(1);
    actual = { value: truthyGo(subject) };
  }
  if (actual === undefined) return false;
  const { op } = query;
  if (op === '') return true;
  const v = actual.value;
  if (typeof v === 'string') {
    if (op === '%') return globMatch(v, expected);
    if (op === '!%') return !globMatch(v, expected);
    return compare(op, compareCodePoints(v, expected));
  }
  if (typeof v === 'number') {
    const n = parseFloatGo(expected);
    // Written out rather than via a difference so that NaN compares false everywhere, as in Go.
    if (op === '=') return v === n;
    if (op === '!=') return v !== n;
    return op === '<' ? v < n : op === '<=' ? v <= n : op === '>' ? v > n : op === '>=' && v >= n;
  }
  // Booleans order false < true; as in gjson, `>=` on true and `<=` on false hold whatever the value says.
  if (v === true) {
    if (op === '=') return expected === 'true';
    if (op === '!=') return expected !== 'true';
    return (op === '>' && expected === 'false') || op === '>=';
  }
  if (v === false) {
    if (op === '=') return expected === 'false';
    if (op === '!=') return expected !== 'false';
    return (op === '<' && expected === 'true') || op === '<=';
  }
  return false;
}

/** Applies a comparison operator to the sign of a string comparison. */
function compare(op: string, sign: number): boolean {
  switch (op) {
    case '=':
      return sign === 0;
    case '!=':
      return sign !== 0;
    case '<':
      return sign < 0;
    case '<=':
      return sign <= 0;
    case '>':
      return sign > 0;
    case '>=':
      return sign >= 0;
    default:
      return false;
  }
}

function multipath(input: Res, path: string): Outcome {
  const scanned = scanSelectors(path);
  if (scanned === undefined) return undefined;
  const { sels, rest } = scanned;
  const sep = rest.charAt(0);
  if (rest !== '' && sep !== '.' && sep !== '|') return undefined;
  let value: unknown;
  if (path.startsWith('[')) {
    value = sels.flatMap((sel) => {
      const res = evaluate(input, sel.path);
      return res === undefined ? [] : [res.value];
    });
  } else {
    const obj: Record<string, unknown> = {};
    for (const sel of sels) {
      const res = evaluate(input, sel.path);
      if (res === undefined) continue;
      const key = sel.name === undefined || sel.name === '' ? memberName(sel.path) : memberKey(sel.name);
      // The JSON gjson builds may repeat a key; reading it back keeps the first.
      if (!Object.hasOwn(obj, key)) setOwn(obj, key, res.value);
    }
    value = obj;
  }
  return { res: rest === '' ? { value } : evaluate({ value }, rest.slice(1)) };
}

/** A member name: a JSON string literal is decoded, anything else is taken as written. */
function memberKey(name: string): string {
  if (!name.startsWith('"')) return name;
  const parsed = parseJson(name)?.value;
  return typeof parsed === 'string' ? parsed : name;
}
