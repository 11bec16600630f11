// Splitting of GJSON multipaths (`[a,b]`, `{name:a,"other":b}`) into their members, as tidwall/gjson does it.

import { stringEnd } from './gjson-text.ts';

/** One member of a multipath: an optional name (`name:` or `"name":`), its path and where that path starts. */
export type Selector = { readonly name: string | undefined; readonly path: string; readonly at: number };

/** Splits the multipath that opens `path` (`[...]` or `{...}`), or returns undefined when it never closes. */
export function scanSelectors(path: string): { sels: Selector[]; rest: string } | undefined {
  const sels: Selector[] = [];
  let depth = 1;
  let colon = 0;
  let start = 1;
  let modifier = false;
  const push = (at: number): void => {
    const from = colon !== 0 ? colon + 1 : start;
    sels.push({ name: colon !== 0 ? path.slice(start, colon) : undefined, path: path.slice(from, at), at: from });
    colon = 0;
    modifier = false;
    start = at + 1;
  };
  for (let i = 1; i < path.length; i++) {
    const ch = path.charAt(i);
    if (ch === '\\') {
      i++;
    } else if (ch === '@') {
      // Once a member shows a modifier, a later `:` is that modifier's argument, not a name.
      const prev = path.charAt(i - 1);
      if (prev === '.' || prev === '|') modifier = true;
    } else if (ch === ':') {
      if (!modifier && colon === 0 && depth === 1) colon = i;
    } else if (ch === ',') {
      if (depth === 1) push(i);
    } else if (ch === '"') {
      const end = stringEnd(path, i);
      i = end < 0 ? path.length : end - 1;
    } else if (ch === '[' || ch === '(' || ch === '{') {
      depth++;
    } else if (ch === ']' || ch === ')' || ch === '}') {
      if (--depth === 0) {
        push(i);
        return { sels, rest: path.slice(i + 1) };
      }
    }
  }
  return undefined;
}

/** The name gjson gives a multipath member without an explicit one: its last component, if simple, else "_". */
export function memberName(path: string): string {
  let last = path;
  for (let i = path.length - 1; i >= 0; i--) {
    const ch = path.charAt(i);
    if ((ch === '|' || ch === '.') && !(i > 0 && path.charAt(i - 1) === '\\')) {
      last = path.slice(i + 1);
      break;
    }
  }
  // Control characters, as GJSON's own check refuses them.
  // eslint-disable-next-line no-control-regex
  return /^[^\x00-\x1f[\]{}()#|!]*$/.test(last) ? last : '_';
}
