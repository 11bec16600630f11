// Low-level text and value helpers shared by the GJSON path validator and evaluator. Each mirrors one primitive of
// the Go library (tidwall/gjson and tidwall/match) so that comparisons, truthiness and globbing agree with it.

/** A found value; `undefined` in its place means "does not exist", which is distinct from a JSON null. */
export type Found = { readonly value: unknown };

/** The outcome of a lookup: a found value or nothing. */
export type Res = Found | undefined;

/** Whether a value is a JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Defines an own enumerable property, so that a key such as "__proto__" cannot reach the prototype. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Whether a character code is whitespace in the Go sense used by gjson's trim (any byte up to the space). */
function isBlank(code: number): boolean {
  return code <= 0x20;
}

/** Trims control characters and spaces from both ends, like gjson's trim. */
export function trimBlank(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

/** Index just past the string or bracketed block that starts at `from`, or -1 when it never closes. */
export function balancedEnd(text: string, from: number): number {
  // Like gjson's squash: nested brackets of any kind, strings and `\` escapes are skipped over.
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch === '\\') {
      i++;
    } else if (ch === '"') {
      const close = stringEnd(text, i);
      if (close < 0) return -1;
      i = close - 1;
      if (depth === 0) return close;
    } else if (ch === '{' || ch === '[' || ch === '(') {
      depth++;
    } else if (ch === '}' || ch === ']' || ch === ')') {
      depth--;
      if (depth <= 0) return i + 1;
    }
  }
  return -1;
}

/** Index just past the closing quote of the string whose opening quote is at `from`, or -1 when unterminated. */
export function stringEnd(text: string, from: number): number {
  for (let i = from + 1; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch === '\\') i++;
    else if (ch === '"') return i + 1;
  }
  return -1;
}

const simpleEscapes: Record<string, string> = {
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  '"': '"',
};

/** Decodes JSON string escapes the way gjson does: decoding stops silently at the first malformed escape. */
export function unescapeGo(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (text.charCodeAt(i) < 0x20) return out;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const esc = text.charAt(++i);
    const simple = simpleEscapes[esc];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    if (esc !== 'u' || i + 5 > text.length) return out;
    let unit = hex4(text, i + 1);
    i += 4;
    if (unit >= 0xd800 && unit <= 0xdbff && text.startsWith('\\u', i + 1)) {
      const low = hex4(text, i + 3);
      if (low >= 0xdc00 && low <= 0xdfff) {
        unit = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
        i += 6;
      }
    }
    // Go encodes a lone surrogate as the replacement character.
    out += unit >= 0xd800 && unit <= 0xdfff ? '\ufffd' : String.fromCodePoint(unit);
  }
  return out;
}

/** Four hex digits as a number; Go's failed parse yields zero. */
function hex4(text: string, at: number): number {
  const digits = text.slice(at, at + 4);
  return /^[0-9a-fA-F]{4}$/.test(digits) ? Number.parseInt(digits, 16) : 0;
}

/** Go's strconv.ParseFloat as gjson uses it: a malformed number reads as 0. */
export function parseFloatGo(text: string): number {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text);
  const word = /^([+-]?)(inf|infinity|nan)$/i.exec(text);
  if (word === null) return 0;
  if (word[2]?.toLowerCase() === 'nan') return Number.NaN;
  return word[1] === '-' ? -Infinity : Infinity;
}

/** gjson's Result.Bool: true, numbers other than 0, and the strings "1", "t", "true" in any case. */
export function truthyGo(found: Res): boolean {
  if (found === undefined) return false;
  const v = found.value;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return ['1', 't', 'true'].includes(v.toLowerCase());
  return false;
}

/** Orders strings by code point, which is the UTF-8 byte order Go compares strings in. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
}

/** Moves surrogates (code points above U+FFFF) after U+E000..U+FFFF, as UTF-8 orders them. */
function rank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  return unit >= 0xe000 ? unit - 0x800 : unit;
}

type GlobToken = { readonly any: boolean; readonly one: boolean; readonly lit: string };

/** tidwall/match: `*` matches any run of characters, `?` exactly one, `\c` the character c itself. */
export function globMatch(subject: string, pattern: string): boolean {
  // Matching is by code point, as the Go matcher decodes runes; a pattern ending in a lone `\` matches nothing.
  if (pattern === '*') return true;
  const tokens: GlobToken[] = [];
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    if (ch === '\\') {
      const next = chars[++i];
      if (next === undefined) return false;
      tokens.push({ any: false, one: false, lit: next });
    } else {
      tokens.push({ any: ch === '*', one: ch === '?', lit: ch });
    }
  }
  const str = Array.from(subject);
  // Classic linear wildcard matching: remember the last star and retry from one character further on mismatch.
  let s = 0;
  let p = 0;
  let star = -1;
  let mark = 0;
  while (s < str.length) {
    const tok = tokens[p];
    if (tok !== undefined && !tok.any && (tok.one || tok.lit === str[s])) {
      s++;
      p++;
    } else if (tok?.any === true) {
      star = p++;
      mark = s;
    } else if (star >= 0) {
      p = star + 1;
      s = ++mark;
    } else {
      return false;
    }
  }
  while (tokens[p]?.any === true) p++;
  return p === tokens.length;
}
