// Partial responses: Google's `fields` parameter (`kind,users(id,name/fullName),nextPageToken`, `a/b`, `*`).
// A field left out of the mask is left out of the response, nextPageToken included.
import { invalidParameter, type DirectoryError } from './errors.ts';

/** A parsed mask: each selected name maps to `true` (everything below it) or to a mask of its sub-fields. */
export type FieldMask = Map<string, FieldMask | true>;

/** Known field names of a response, to reject selections of fields that do not exist as Google does. */
export type FieldShape = { readonly [name: string]: FieldShape | true };

function invalidSelection(what: string): DirectoryError {
  return invalidParameter('fields', `Invalid field selection ${what}`);
}

function merge(mask: FieldMask, name: string, sub: FieldMask | true): void {
  const existing = mask.get(name);
  if (existing === true || sub === true || existing === undefined)
    mask.set(name, existing === true || sub === true ? true : sub);
  else for (const [key, value] of sub) merge(existing, key, value);
}

// A small recursive-descent parser over the mask text; `at` is the read position.
function parseList(text: string, state: { at: number }, nested: boolean): FieldMask {
  const mask: FieldMask = new Map();
  for (;;) {
    const match = /^[A-Za-z0-9_*]+(\/[A-Za-z0-9_*]+)*/.exec(text.slice(state.at));
    if (!match) throw invalidSelection(text.slice(state.at) || text);
    state.at += match[0].length;
    let sub: FieldMask | true = true;
    if (text[state.at] === '(') {
      state.at++;
      sub = parseList(text, state, true);
      if (text[state.at] !== ')') throw invalidSelection(text);
      state.at++;
    }
    const names = match[0].split('/');
    for (const name of names.slice(1).reverse()) sub = new Map([[name, sub]]);
    merge(mask, names[0] ?? '', sub);
    if (text[state.at] === ',') {
      state.at++;
      continue;
    }
    if (state.at === text.length || (nested && text[state.at] === ')')) return mask;
    throw invalidSelection(text);
  }
}

function check(mask: FieldMask, shape: FieldShape): void {
  for (const [name, sub] of mask) {
    if (name === '*') continue;
    const known = shape[name];
    if (known === undefined) throw invalidSelection(name);
    if (sub !== true && known !== true) check(sub, known);
  }
}

/** Parses and checks a `fields` parameter; undefined when absent (the whole response is returned). */
export function parseFields(text: string | undefined, shape: FieldShape): FieldMask | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const mask = parseList(text.replace(/\s+/g, ''), { at: 0 }, false);
  check(mask, shape);
  return mask;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keeps only the selected fields of a value; objects left empty are dropped, as Google drops them. */
export function applyFields(value: unknown, mask: FieldMask | undefined): unknown {
  if (mask === undefined) return value;
  if (Array.isArray(value)) return value.map((item) => applyFields(item, mask)).filter((item) => item !== undefined);
  if (!isRecord(value)) return value;
  const all = mask.get('*');
  const result: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const selection = mask.get(key) ?? all;
    if (selection === undefined) continue;
    const picked = selection === true ? field : applyFields(field, selection);
    if (picked !== undefined) result[key] = picked;
  }
  return Object.keys(result).length > 0 ? result : undefined;
}
