// Validation of GJSON paths, for settings an admin saves. gjson itself never rejects a path (a broken one simply
// finds nothing); this parser names the first fault and its position instead, and yields the path's components.

import { sourceOf } from './gjson-ast.ts';
import type { GjsonComponent, GjsonPath, GjsonSeparator, Source } from './gjson-ast.ts';
import { parseLiteralAt, parseModifierAt, parseMultipathAt, parseQueryAt } from './gjson-parse-parts.ts';

const labels: Record<GjsonComponent['kind'], string> = {
  key: 'key',
  count: '"#"',
  map: '"#"',
  query: 'query',
  modifier: 'modifier',
  literal: 'literal',
  multipath: 'multipath',
};

/** Parses and validates a GJSON path; throws GjsonPathError naming the first fault and its position. */
export function parseGjsonPath(path: string): GjsonPath {
  return parseRange(sourceOf(path), 0, path.length);
}

function parseRange(src: Source, from: number, to: number): GjsonPath {
  const text = src.text;
  if (from >= to) src.fail(from, 'empty path');
  let i = from;
  const jsonLines = text.startsWith('..', from);
  if (jsonLines) i += 2;
  const components: GjsonComponent[] = [];
  let sep: GjsonSeparator | undefined;
  // Whether a `!literal` may start here: not right after a plain key and a dot, where gjson reads it as a key.
  let pathStart = true;
  for (;;) {
    const ch = text.charAt(i);
    if (i >= to || ch === '.' || ch === '|') {
      src.fail(i, sep === undefined ? 'missing key at the start of the path' : `missing key after "${sep}"`);
    }
    const comp = parseComponent(src, i, to, sep, pathStart);
    components.push(comp);
    i = comp.end;
    if (i >= to) break;
    const next = text.charAt(i);
    if (next !== '.' && next !== '|') src.fail(i, `unexpected "${next}" after ${labels[comp.kind]}`);
    sep = next;
    pathStart = next === '|' || comp.kind !== 'key';
    i++;
  }
  return { start: from, end: to, jsonLines, components };
}

function parseComponent(
  src: Source,
  at: number,
  to: number,
  sep: GjsonSeparator | undefined,
  pathStart: boolean,
): GjsonComponent {
  const text = src.text;
  const c = text.charAt(at);
  const next = at + 1 < to ? text.charAt(at + 1) : '';
  const sub = (from: number, end: number): GjsonPath => parseRange(src, from, end);
  if (c === '@' && next !== '') {
    const modifier = parseModifierAt(src, at, to, sep);
    if (modifier !== undefined) return modifier;
  }
  if (c === '!' && next !== '' && pathStart) {
    const literal = parseLiteralAt(src, at, to, sep);
    if (literal !== undefined) return literal;
  }
  if (c === '[' || c === '{') return parseMultipathAt(src, at, to, sep, sub);
  if (c === '#') {
    if (next === '' || next === '|') return { kind: 'count', sep, start: at, end: at + 1 };
    if (next === '.') return { kind: 'map', sep, start: at, end: at + 1 };
    if (next === '(' || next === '[') return parseQueryAt(src, at, to, sep, sub);
  }
  return parseKey(src, at, to, sep);
}

/** A key up to the next unescaped `.` or `|`; `\` makes the next character literal, `*` and `?` are wildcards. */
function parseKey(src: Source, at: number, to: number, sep: GjsonSeparator | undefined): GjsonComponent {
  const text = src.text;
  let key = '';
  let wildcard = false;
  let i = at;
  while (i < to) {
    const ch = text.charAt(i);
    if (ch === '.' || ch === '|') break;
    if (ch === '\\') {
      if (i + 1 >= to) src.fail(i, 'dangling escape "\\"');
      key += text.charAt(i + 1);
      i += 2;
      continue;
    }
    if (ch === '*' || ch === '?') wildcard = true;
    key += ch;
    i++;
  }
  return { kind: 'key', sep, start: at, end: i, key, wildcard };
}
