// GJSON paths (the syntax of the Go library tidwall/gjson) over parsed JSON values, used to read PBX properties
// out of Google Directory user resources. SYNTAX.md of tidwall/gjson is the reference.

import { evaluate } from './gjson-eval.ts';
import { parseGjsonPath } from './gjson-parse.ts';

export { GjsonPathError } from './gjson-ast.ts';
export type {
  GjsonComponent,
  GjsonMember,
  GjsonPath,
  GjsonQueryOp,
  GjsonQueryValue,
  GjsonSeparator,
  GjsonSpan,
} from './gjson-ast.ts';
export { parseGjsonPath } from './gjson-parse.ts';

/** What a path finds: `exists` is false when nothing is there; a JSON null that is there exists. */
export type GjsonResult = { readonly exists: boolean; readonly value: unknown };

const nothing: GjsonResult = { exists: false, value: undefined };

// A sync reads the same few paths for every user; remembering their validity saves re-parsing them.
const validity = new Map<string, boolean>();
const validityLimit = 512;

function isValid(path: string): boolean {
  const known = validity.get(path);
  if (known !== undefined) return known;
  let valid = true;
  try {
    parseGjsonPath(path);
  } catch {
    valid = false;
  }
  if (validity.size >= validityLimit) validity.clear();
  validity.set(path, valid);
  return valid;
}

/** Reads `path` from a parsed JSON document as gjson.Get does; an invalid path finds nothing (never throws). */
export function gjsonGet(doc: unknown, path: string): GjsonResult {
  if (!isValid(path)) return nothing;
  const found = evaluate(doc === undefined ? undefined : { value: doc }, path);
  return found === undefined ? nothing : { exists: true, value: found.value };
}

/** Escapes every character of `key` that has a meaning in a path, so that the key matches literally. */
export function escapeGjsonKey(key: string): string {
  let out = '';
  for (const ch of key) {
    const code = ch.codePointAt(0) ?? 0;
    // gjson's Escape leaves letters, digits, `_ - :` and anything outside printable ASCII alone; `:` is escaped
    // here as well, since inside a multipath it would start a member name.
    const safe = code <= 0x20 || code > 0x7e || /[A-Za-z0-9_-]/.test(ch);
    out += safe ? ch : `\\${ch}`;
  }
  return out;
}
