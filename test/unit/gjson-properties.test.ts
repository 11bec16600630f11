// Properties of the GJSON path module over generated keys, documents and paths.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { escapeGjsonKey, GjsonPathError, gjsonGet, parseGjsonPath } from '../../functions/src/gjson/gjson.ts';

/** Keys of any characters, the path's special ones made likely. */
const key = fc
  .array(
    fc.oneof(fc.string({ unit: 'grapheme', maxLength: 3 }), fc.constantFrom(...'.|#@!*?\\()[]{}"=<>%~:, '.split(''))),
    {
      minLength: 1,
      maxLength: 8,
    },
  )
  .map((parts) => parts.join(''))
  .filter((k) => k !== '');

/** Path text built from the syntax's pieces, valid or not. */
const pathText = fc
  .array(
    fc.constantFrom(
      ...'ab01#.|()[]{}"\\@!*?%=<>~:, '.split(''),
      'first',
      'friends',
      'reverse',
      'keys',
      'this',
      'nets',
      'true',
      '==',
      '#(',
    ),
    { maxLength: 24 },
  )
  .map((parts) => parts.join(''));

/** Paths the syntax allows: keys, indexes, `#`, `#.`, queries, modifiers, pipes and multipaths. */
const validPath: fc.Arbitrary<string> = fc.letrec<{ path: string; comp: string }>((tie) => ({
  comp: fc.oneof(
    { depthSize: 'small' },
    // gjson trims the path inside a query, so a generated key must not start or end with a blank.
    { arbitrary: key.filter((k) => k.trim() === k && k.charCodeAt(0) > 0x20).map(escapeGjsonKey), weight: 6 },
    { arbitrary: fc.nat({ max: 20 }).map(String), weight: 2 },
    { arbitrary: fc.constantFrom('#', '@reverse', '@keys', '@values', '@this', '@flatten', 'a*', 'c?d'), weight: 2 },
    {
      arbitrary: fc
        .tuple(
          fc.option(tie('path'), { nil: '' }),
          fc.constantFrom('==', '=', '!=', '<', '<=', '>', '>=', '%', '!%'),
          fc.oneof(
            fc.string().map((s) => JSON.stringify(s)),
            fc.constantFrom('1', '-2.5', 'true', 'null', '~false', 'word'),
          ),
          fc.boolean(),
        )
        .map(([lhs, op, value, all]) => `#(${lhs}${op}${value})${all ? '#' : ''}`),
      weight: 2,
    },
    {
      arbitrary: fc.array(tie('path'), { minLength: 1, maxLength: 3 }).map((paths) => `[${paths.join(',')}]`),
      weight: 1,
    },
  ),
  path: fc
    .tuple(tie('comp'), fc.array(fc.tuple(fc.constantFrom('.', '|'), tie('comp')), { maxLength: 4 }))
    .map(([head, tail]) => head + tail.map(([sep, comp]) => sep + comp).join('')),
})).path;

describe('gjson properties', () => {
  it('reads back any key through escapeGjsonKey', () => {
    fc.assert(
      fc.property(key, fc.jsonValue(), (k, v) => {
        const result = gjsonGet({ [k]: v }, escapeGjsonKey(k));
        assert.deepEqual(result, { exists: true, value: v });
      }),
      { numRuns: 500 },
    );
  });

  it('reads back nested keys joined with "." and "|"', () => {
    fc.assert(
      fc.property(key, key, fc.constantFrom('.', '|'), fc.jsonValue(), (outer, inner, sep, v) => {
        const doc = { [outer]: { [inner]: v } };
        assert.deepEqual(gjsonGet(doc, escapeGjsonKey(outer) + sep + escapeGjsonKey(inner)), {
          exists: true,
          value: v,
        });
      }),
      { numRuns: 300 },
    );
  });

  it('reads back an escaped key inside a multipath and a query', () => {
    const unblank = key.filter((k) => k.trim() === k && k.charCodeAt(0) > 0x20);
    fc.assert(
      fc.property(unblank, fc.jsonValue(), (k, v) => {
        const escaped = escapeGjsonKey(k);
        assert.deepEqual(gjsonGet({ [k]: v }, `[${escaped}]`), { exists: true, value: [v] });
        assert.deepEqual(gjsonGet({ [k]: v }, `{"x":${escaped}}`), { exists: true, value: { x: v } });
        const rows = [{ other: 1 }, { [k]: 'hit', n: 2 }];
        assert.deepEqual(gjsonGet({ rows }, `rows.#(${escaped}=="hit").n`), { exists: true, value: 2 });
      }),
      { numRuns: 300 },
    );
  });

  it('reads any element of an array by index and counts it with "#"', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { minLength: 1 }), fc.nat(), (list, n) => {
        const i = n % list.length;
        assert.deepEqual(gjsonGet({ list }, `list.${i}`), { exists: true, value: list[i] });
        assert.deepEqual(gjsonGet({ list }, 'list.#'), { exists: true, value: list.length });
        assert.equal(gjsonGet({ list }, `list.${list.length}`).exists, false);
      }),
      { numRuns: 200 },
    );
  });

  it('finds by query the first element whose field equals a string', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ type: fc.string(), value: fc.integer() })), fc.string(), (rows, wanted) => {
        const first = rows.find((row) => row.type === wanted);
        const result = gjsonGet({ rows }, `rows.#(type==${JSON.stringify(wanted)}).value`);
        assert.deepEqual(
          result,
          first === undefined ? { exists: false, value: undefined } : { exists: true, value: first.value },
        );
        const all = gjsonGet({ rows }, `rows.#(type==${JSON.stringify(wanted)})#.value`);
        assert.deepEqual(
          all.value,
          rows.filter((row) => row.type === wanted).map((row) => row.value),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('parses generated valid paths', () => {
    fc.assert(
      fc.property(validPath, (path) => {
        parseGjsonPath(path);
      }),
      { numRuns: 500 },
    );
  });

  it('throws nothing but GjsonPathError, with a position inside the path', () => {
    fc.assert(
      fc.property(fc.oneof(pathText, fc.string()), (path) => {
        try {
          parseGjsonPath(path);
        } catch (error) {
          assert.ok(error instanceof GjsonPathError, String(error));
          assert.ok(error.position >= 0 && error.position <= path.length, `position ${error.position}`);
          assert.match(error.message, new RegExp(`at position ${error.position}$`));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws from gjsonGet, and finds nothing for a path that does not parse', () => {
    fc.assert(
      fc.property(fc.oneof(pathText, validPath), fc.jsonValue(), (path, doc) => {
        const result = gjsonGet(doc, path);
        let valid = true;
        try {
          parseGjsonPath(path);
        } catch {
          valid = false;
        }
        if (!valid) assert.deepEqual(result, { exists: false, value: undefined });
        if (!result.exists) assert.equal(result.value, undefined);
      }),
      { numRuns: 1000 },
    );
  });
});
