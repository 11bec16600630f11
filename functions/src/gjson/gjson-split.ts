// Splitting of GJSON path text, step by step as tidwall/gjson does it: an object step and an array step read the
// same text differently (only arrays know `#`, only objects honour `\` escapes), so each has its own splitter.

import { isModifierName, splitModifier } from './gjson-modifiers.ts';
import { balancedEnd, trimBlank, unescapeGo } from './gjson-text.ts';

/** A `#(...)` query split into its parts; `end` is the index just past its closing bracket. */
export type QueryParts = {
  readonly lhs: string;
  readonly op: string;
  readonly value: string;
  readonly end: number;
  readonly all: boolean;
};

/** Splits the query that opens `path` (`#(` or the legacy `#[`), or returns undefined when it never closes. */
export function scanQuery(path: string): QueryParts | undefined {
  let depth = 1;
  let opAt = 0;
  let escaped = false;
  let i = 2;
  for (; i < path.length; i++) {
    const ch = path.charAt(i);
    // The first operator character at the query's own level ends its path; later ones belong to the value.
    if (depth === 1 && opAt === 0 && '!=<>%'.includes(ch)) {
      opAt = i;
      continue;
    }
    if (ch === '\\') {
      i++;
    } else if (ch === '(' || ch === '[') {
      depth++;
    } else if (ch === ')' || ch === ']') {
      if (--depth === 0) break;
    } else if (ch === '"') {
      for (i++; i < path.length; i++) {
        const c = path.charAt(i);
        if (c === '"') break;
        if (c === '\\') {
          escaped = true;
          i++;
        }
      }
    }
  }
  if (depth > 0) return undefined;
  const end = i + 1;
  const all = path.charAt(end) === '#';
  if (opAt === 0) return { lhs: trimBlank(path.slice(2, i)), op: '', value: '', end, all };
  let rhs = trimBlank(path.slice(opAt, i));
  let size = 0;
  const two = rhs.slice(0, 2);
  if (rhs.length === 1) {
    size = 1;
  } else if (two === '!=' || two === '!%' || two === '<=' || two === '>=') {
    size = 2;
  } else if (two === '==') {
    rhs = rhs.slice(1);
    size = 1;
  } else if ('<>=%'.includes(rhs.charAt(0))) {
    size = 1;
  }
  let value = trimBlank(rhs.slice(size));
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    value = value.slice(1, -1);
    if (escaped) value = unescapeGo(value);
  }
  return { lhs: trimBlank(path.slice(2, opAt)), op: rhs.slice(0, size), value, end, all };
}

/** Whether the text after a `.` starts a new path of its own: a built-in modifier or a multipath. */
function isDotPipe(rest: string): boolean {
  const c = rest.charAt(0);
  if (c === '[' || c === '{') return true;
  return c === '@' && isModifierName(splitModifier(rest).name);
}

/** One object step: the key (escapes removed), its glob pattern, and either the path below it or a piped path. */
export type ObjectStep = { key: string; pattern: string; wild: boolean; rest?: string; pipe?: string };

/** Splits the first object step off `path`. */
export function splitObjectStep(path: string): ObjectStep {
  const step: ObjectStep = { key: '', pattern: '', wild: false };
  for (let i = 0; i < path.length; i++) {
    const ch = path.charAt(i);
    if (ch === '|') return { ...step, pipe: path.slice(i + 1) };
    if (ch === '.') {
      const rest = path.slice(i + 1);
      return rest !== '' && isDotPipe(rest) ? { ...step, pipe: rest } : { ...step, rest };
    }
    if (ch === '\\') {
      // An escaped character stays literal, also inside a wildcard pattern.
      const lit = path.charAt(++i);
      step.key += lit;
      step.pattern += '*?\\'.includes(lit) && lit !== '' ? `\\${lit}` : lit;
      continue;
    }
    if (ch === '*' || ch === '?') step.wild = true;
    step.key += ch;
    step.pattern += ch;
  }
  return step;
}

/** One array step: an index, `#`, `#.` (map the rest over the elements) or a query. */
export type ArrayStep = {
  part: string;
  hash: boolean;
  rest?: string;
  pipe?: string;
  map?: string;
  query?: QueryParts;
  broken?: boolean;
};

/** Splits the first array step off `path`; gjson does not honour `\` escapes here. */
export function splitArrayStep(path: string): ArrayStep {
  const step: ArrayStep = { part: path, hash: false };
  for (let i = 0; i < path.length; i++) {
    const ch = path.charAt(i);
    if (ch === '|') return { ...step, part: path.slice(0, i), pipe: path.slice(i + 1) };
    if (ch === '.') {
      const rest = path.slice(i + 1);
      const piped = !step.hash && rest !== '' && isDotPipe(rest);
      return piped ? { ...step, part: path.slice(0, i), pipe: rest } : { ...step, part: path.slice(0, i), rest };
    }
    if (ch !== '#') continue;
    step.hash = true;
    if (i !== 0 || path.length < 2) continue;
    const next = path.charAt(1);
    if (next === '.') {
      step.map = path.slice(2);
    } else if (next === '(' || next === '[') {
      const query = scanQuery(path);
      if (query === undefined) return { ...step, broken: true };
      step.query = query;
      i = query.end - 1;
    }
  }
  return step;
}

/** Index of the `.` or `|` that ends the path component starting at `from` (or the text length). */
export function componentEnd(path: string, from: number): number {
  let i = from;
  const c = path.charAt(i);
  const next = path.charAt(i + 1);
  if (c === '#' && (next === '(' || next === '[')) {
    const query = scanQuery(path.slice(i));
    i = query === undefined ? path.length : i + query.end;
  } else if (c === '[' || c === '{' || (c === '!' && '{["'.includes(next) && next !== '')) {
    const end = balancedEnd(path, c === '!' ? i + 1 : i);
    i = end < 0 ? path.length : end;
  } else if (c === '@') {
    const mod = splitModifier(path.slice(i));
    if (isModifierName(mod.name)) i = path.length - mod.rest.length;
  }
  for (; i < path.length; i++) {
    const ch = path.charAt(i);
    if (ch === '\\') i++;
    else if (ch === '.' || ch === '|') return i;
  }
  return path.length;
}

/** Splits `path` at its first top-level `|`: what follows applies to the collected result of what precedes. */
export function splitTopPipe(path: string): [string, string | undefined] {
  for (let i = 0; i < path.length;) {
    const end = componentEnd(path, i);
    if (end >= path.length) break;
    if (path.charAt(end) === '|') return [path.slice(0, end), path.slice(end + 1)];
    i = end + 1;
  }
  return [path, undefined];
}
