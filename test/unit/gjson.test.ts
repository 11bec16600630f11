// GJSON paths: the examples of tidwall/gjson's SYNTAX.md on its own document, paths a Workspace admin writes against
// a Directory API user, corner cases, and the faults parseGjsonPath reports. Expected values are what Go gjson
// returns for the same JSON text and path; `undefined` marks a path that finds nothing.

import assert from 'node:assert/strict';
import { escapeGjsonKey, GjsonPathError, gjsonGet, parseGjsonPath } from '../../functions/src/gjson/gjson.ts';

const syntaxDoc: unknown = JSON.parse(`{
  "name": {"first": "Tom", "last": "Anderson"},
  "age":37,
  "children": ["Sara","Alex","Jack"],
  "fav.movie": "Deer Hunter",
  "friends": [
    {"first": "Dale", "last": "Murphy", "age": 44, "nets": ["ig", "fb", "tw"]},
    {"first": "Roger", "last": "Craig", "age": 68, "nets": ["fb", "tw"]},
    {"first": "Jane", "last": "Murphy", "age": 47, "nets": ["ig", "tw"]}
  ]
}`);

const dale = { first: 'Dale', last: 'Murphy', age: 44, nets: ['ig', 'fb', 'tw'] };
const roger = { first: 'Roger', last: 'Craig', age: 68, nets: ['fb', 'tw'] };
const jane = { first: 'Jane', last: 'Murphy', age: 47, nets: ['ig', 'tw'] };

const truthDoc: unknown = JSON.parse(`{"vals": [
  {"a": 1, "b": true}, {"a": 2, "b": true}, {"a": 3, "b": false}, {"a": 4, "b": "0"}, {"a": 5, "b": 0},
  {"a": 6, "b": "1"}, {"a": 7, "b": 1}, {"a": 8, "b": "true"}, {"a": 9, "b": false}, {"a": 10, "b": null},
  {"a": 11}
]}`);

/** A Directory API user resource (admin.directory.v1 Users.get) with the fields the sync reads. */
const user: unknown = JSON.parse(`{
  "kind": "admin#directory#user",
  "id": "103456789012345678901",
  "primaryEmail": "jane.doe@example.com",
  "name": {"givenName": "Jane", "familyName": "Doe", "fullName": "Jane Doe"},
  "isAdmin": false,
  "suspended": false,
  "orgUnitPath": "/Sales/EMEA",
  "thumbnailPhotoUrl": null,
  "aliases": ["jd@example.com", "jane@example.com"],
  "emails": [
    {"address": "jane.doe@example.com", "primary": true},
    {"address": "jane@example.org", "type": "work"},
    {"address": "jd@home.example", "type": "home"}
  ],
  "phones": [
    {"value": "+31 20 555 0100", "type": "work"},
    {"value": "+31 6 5555 0101", "type": "mobile"},
    {"value": "2101", "type": "custom", "customType": "extension"}
  ],
  "organizations": [
    {"name": "Old Corp", "title": "Intern", "primary": false},
    {"name": "Example BV", "title": "Account Manager", "primary": true, "department": "Sales", "costCenter": "CC-42"}
  ],
  "externalIds": [
    {"value": "E-1001", "type": "organization"},
    {"value": "X9", "type": "custom", "customType": "badge"}
  ],
  "relations": [{"value": "boss@example.com", "type": "manager"}],
  "customSchemas": {"Telephony": {"extension": "1234", "did": "+31205550199", "voicemail": true, "pin": null}}
}`);

const misc: unknown = JSON.parse(`{
  "a": {"b": null, "c": [1, [2, [3]], {"d": "x"}]},
  "ab": {"x": 1}, "ac": {"y": 2},
  "@x": 5, "@reverse": "literal key", "#": {"k": "hash"}, "k.1": "dotted", "a*b": "star",
  "items": [{"v": "10"}, {"v": "9"}, {"v": 10}, {"v": 9}, {"v": true}, {"v": false}, {"v": null}, {}],
  "nested": [1, [2], [3, 4], [5, [6, 7]]],
  "parts": [{"first": "Tom", "age": 37}, {"age": 41}],
  "grid": {"id": ["123", "456"], "val": [2, 1]},
  "json": "{\\"id\\":1023,\\"name\\":\\"alert\\"}"
}`);

type Row = readonly [doc: unknown, path: string, expected: unknown];

const table: readonly Row[] = [
  // SYNTAX.md: basic, wildcards, escapes, arrays.
  [syntaxDoc, 'name.last', 'Anderson'],
  [syntaxDoc, 'name.first', 'Tom'],
  [syntaxDoc, 'age', 37],
  [syntaxDoc, 'children', ['Sara', 'Alex', 'Jack']],
  [syntaxDoc, 'children.0', 'Sara'],
  [syntaxDoc, 'children.1', 'Alex'],
  [syntaxDoc, 'friends.1', roger],
  [syntaxDoc, 'friends.1.first', 'Roger'],
  [syntaxDoc, 'child*.2', 'Jack'],
  [syntaxDoc, 'c?ildren.0', 'Sara'],
  [syntaxDoc, 'fav\\.movie', 'Deer Hunter'],
  [syntaxDoc, 'friends.#', 3],
  [syntaxDoc, 'friends.#.age', [44, 68, 47]],
  // SYNTAX.md: queries.
  [syntaxDoc, 'friends.#(last=="Murphy").first', 'Dale'],
  [syntaxDoc, 'friends.#(last=="Murphy")#.first', ['Dale', 'Jane']],
  [syntaxDoc, 'friends.#(age>45)#.last', ['Craig', 'Murphy']],
  [syntaxDoc, 'friends.#(first%"D*").last', 'Murphy'],
  [syntaxDoc, 'friends.#(first!%"D*").last', 'Craig'],
  [syntaxDoc, 'children.#(!%"*a*")', 'Alex'],
  [syntaxDoc, 'children.#(%"*a*")#', ['Sara', 'Jack']],
  [syntaxDoc, 'friends.#(nets.#(=="fb"))#.first', ['Dale', 'Roger']],
  [truthDoc, 'vals.#(b==~true)#.a', [1, 2, 6, 7, 8]],
  [truthDoc, 'vals.#(b==~false)#.a', [3, 4, 5, 9, 10, 11]],
  // SYNTAX.md: dot vs pipe.
  [syntaxDoc, 'friends.0.first', 'Dale'],
  [syntaxDoc, 'friends|0.first', 'Dale'],
  [syntaxDoc, 'friends.0|first', 'Dale'],
  [syntaxDoc, 'friends|0|first', 'Dale'],
  [syntaxDoc, 'friends|#', 3],
  [syntaxDoc, 'friends.#(last="Murphy")#', [dale, jane]],
  [syntaxDoc, 'friends.#(last="Murphy")#.first', ['Dale', 'Jane']],
  [syntaxDoc, 'friends.#(last="Murphy")#|first', undefined],
  [syntaxDoc, 'friends.#(last="Murphy")#.0', []],
  [syntaxDoc, 'friends.#(last="Murphy")#|0', dale],
  [syntaxDoc, 'friends.#(last="Murphy")#.#', []],
  [syntaxDoc, 'friends.#(last="Murphy")#|#', 2],
  // SYNTAX.md: modifiers and multipaths.
  [syntaxDoc, 'children.@reverse', ['Jack', 'Alex', 'Sara']],
  [syntaxDoc, 'children.@reverse.0', 'Jack'],
  [
    syntaxDoc,
    '{name.first,age,"the_murphys":friends.#(last="Murphy")#.first}',
    { first: 'Tom', age: 37, the_murphys: ['Dale', 'Jane'] },
  ],
  [
    syntaxDoc,
    '{name.first,age,"company":!"Happysoft","employed":!true}',
    { first: 'Tom', age: 37, company: 'Happysoft', employed: true },
  ],
  // More queries on the SYNTAX.md document.
  [syntaxDoc, 'friends.#(age=="44").first', 'Dale'],
  [syntaxDoc, 'friends.#(age>=47)#.first', ['Roger', 'Jane']],
  [syntaxDoc, 'friends.#(first<"Jane")#.first', ['Dale']],
  [syntaxDoc, 'friends.#(last==Murphy)#.first', ['Dale', 'Jane']],
  [syntaxDoc, 'friends.#(nets.#(=="ig")).last', 'Murphy'],
  [syntaxDoc, 'friends.#(age>100).first', undefined],
  [syntaxDoc, 'friends.#(age>100)#.first', []],
  [syntaxDoc, 'friends.#(last=="Murphy").nope', undefined],
  [syntaxDoc, 'friends.#[last=="Murphy"].first', 'Dale'],
  [syntaxDoc, 'friends.#.nets.#', [3, 2, 2]],
  [syntaxDoc, 'friends.#(age>45)#.last|0', 'Craig'],
  [syntaxDoc, 'friends.#.first|@reverse|0', 'Jane'],
  [syntaxDoc, 'children.#(=="Alex")', 'Alex'],
  [syntaxDoc, 'children.#(=="alex")', undefined],
  [syntaxDoc, 'children.5', undefined],
  [syntaxDoc, 'age.years', undefined],
  [syntaxDoc, 'friends.first', undefined],
  [syntaxDoc, 'name.#', undefined],
  [syntaxDoc, '[name.first,age,children.0]', ['Tom', 37, 'Sara']],
  [syntaxDoc, 'friends.#.nets|@flatten', ['ig', 'fb', 'tw', 'fb', 'tw', 'ig', 'tw']],
  [syntaxDoc, 'friends.0|@pretty:{"sortKeys":true}|@keys', ['age', 'first', 'last', 'nets']],
  [syntaxDoc, 'name|@values', ['Tom', 'Anderson']],
  [syntaxDoc, '@keys', ['name', 'age', 'children', 'fav.movie', 'friends']],
  [syntaxDoc, '@this.age', 37],
  [syntaxDoc, '..0.age', 37],
  [syntaxDoc, '..#', 1],
  // Directory API users, as an admin maps them to PBX properties.
  [user, 'primaryEmail', 'jane.doe@example.com'],
  [user, 'name.fullName', 'Jane Doe'],
  [user, 'name.givenName', 'Jane'],
  [user, 'kind', 'admin#directory#user'],
  [user, 'orgUnitPath', '/Sales/EMEA'],
  [user, 'isAdmin', false],
  [user, 'thumbnailPhotoUrl', null],
  [user, 'aliases.1', 'jane@example.com'],
  [user, 'aliases.#(%"jd@*")', 'jd@example.com'],
  [user, 'phones.#(type=="work").value', '+31 20 555 0100'],
  [user, 'phones.#(type=="mobile").value', '+31 6 5555 0101'],
  [user, 'phones.#(type=="home").value', undefined],
  [user, 'phones.#(customType=="extension").value', '2101'],
  [user, 'phones.#(type=="work")#.value', ['+31 20 555 0100']],
  [user, 'phones.#.type', ['work', 'mobile', 'custom']],
  [user, 'phones.#.customType', ['extension']],
  [user, 'phones.#', 3],
  [user, 'phones.0.value', '+31 20 555 0100'],
  [user, 'phones.5.value', undefined],
  [user, 'organizations.#(primary==true).title', 'Account Manager'],
  [user, 'organizations.#(primary).title', 'Intern'],
  [user, 'organizations.#(primary==~true).title', 'Account Manager'],
  [user, 'organizations.#(primary==~false).name', 'Old Corp'],
  [user, 'organizations.#(primary!=true)#.name', ['Old Corp']],
  [user, 'organizations.#(title%"*Manager").department', 'Sales'],
  [user, 'organizations.#(primary==true).costCenter', 'CC-42'],
  [user, 'externalIds.#(type=="organization").value', 'E-1001'],
  [user, 'externalIds.#(type=="organization")#.value', ['E-1001']],
  [user, 'externalIds.#(customType=="badge").value', 'X9'],
  [user, 'emails.#(primary==true).address', 'jane.doe@example.com'],
  [user, 'emails.#(primary).address', 'jane.doe@example.com'],
  [user, 'emails.#(type=="work").address', 'jane@example.org'],
  [user, 'emails.#(address%"*@example.org").address', 'jane@example.org'],
  [user, 'emails.#(type!="home")#.address', ['jane@example.org']],
  [user, 'relations.#(type=="manager").value', 'boss@example.com'],
  [user, 'customSchemas.Telephony.extension', '1234'],
  [user, 'customSchemas.Telephony.voicemail', true],
  [user, 'customSchemas.Telephony.pin', null],
  [user, 'customSchemas.Telephony.missing', undefined],
  [user, 'customSchemas.Tele*.extension', '1234'],
  [user, 'customSchemas.*.did', '+31205550199'],
  [user, 'organizations.#(primary==true)|title', 'Account Manager'],
  [
    user,
    '{"ext":customSchemas.Telephony.extension,"mail":primaryEmail}',
    { ext: '1234', mail: 'jane.doe@example.com' },
  ],
  [user, '[phones.#(type=="work").value,customSchemas.Telephony.extension]', ['+31 20 555 0100', '1234']],
  // Corner cases.
  [misc, 'a.b', null],
  [misc, 'a.b.c', undefined],
  [misc, 'a.*', null],
  [misc, 'a*.y', 2],
  [misc, 'a*|y', undefined],
  [misc, '@x', 5],
  [misc, '\\@reverse', 'literal key'],
  [misc, '\\#.k', 'hash'],
  [misc, '#.k', 'hash'],
  [misc, 'k\\.1', 'dotted'],
  [misc, 'a\\*b', 'star'],
  [misc, 'a.c.2.d', 'x'],
  [misc, 'a.c.1.1.0', 3],
  [misc, 'items.#(v>"5")#.v', ['9', 10, 9]],
  [misc, 'items.#(v==true)#.v', [true]],
  // Numbers compare with "false" read as 0, and gjson's `>=` holds for true whatever the right side.
  [misc, 'items.#(v>=false)#.v', [10, 9, true]],
  [misc, 'items.#(v)#.v', ['10', '9', 10, 9, true, false, null]],
  [misc, 'nested|@flatten', [1, 2, 3, 4, 5, [6, 7]]],
  [misc, 'nested|@flatten:{"deep":true}', [1, 2, 3, 4, 5, 6, 7]],
  [misc, 'parts|@join', { first: 'Tom', age: 41 }],
  [
    misc,
    'grid|@group',
    [
      { id: '123', val: 2 },
      { id: '456', val: 1 },
    ],
  ],
  [misc, 'json|@fromstr', { id: 1023, name: 'alert' }],
  [misc, 'json.@fromstr.name', 'alert'],
  [misc, 'ab|@tostr', '{"x":1}'],
  [misc, 'ab|@reverse', { x: 1 }],
  [misc, 'nested|@keys', [null, null, null, null]],
  [misc, 'nope|@keys', []],
  [misc, '!true', true],
  [misc, '!{"q":[1,2]}.q.1', 2],
];

describe('gjson', () => {
  describe('gjsonGet matches Go gjson', () => {
    for (const [doc, path, expected] of table) {
      const name = doc === syntaxDoc ? 'syntax' : doc === user ? 'user' : doc === truthDoc ? 'truth' : 'misc';
      it(`${name}: ${path}`, () => {
        const result = gjsonGet(doc, path);
        if (expected === undefined) {
          assert.deepEqual(result, { exists: false, value: undefined });
        } else {
          assert.deepEqual(result, { exists: true, value: expected });
        }
      });
    }
  });

  describe('gjsonGet on edges', () => {
    it('finds nothing for an invalid path instead of throwing', () => {
      assert.deepEqual(gjsonGet(syntaxDoc, 'friends.#(last=="Murphy"'), { exists: false, value: undefined });
      assert.deepEqual(gjsonGet(syntaxDoc, ''), { exists: false, value: undefined });
    });

    it('finds nothing below a scalar document or no document', () => {
      assert.equal(gjsonGet('text', 'length').exists, false);
      assert.equal(gjsonGet(undefined, 'a').exists, false);
      assert.deepEqual(gjsonGet(null, 'a'), { exists: false, value: undefined });
    });

    it('treats an unregistered @name as a key and a registered one as a modifier', () => {
      assert.deepEqual(gjsonGet({ '@reverse': 1, b: 2 }, '@reverse'), { exists: true, value: { b: 2, '@reverse': 1 } });
      assert.deepEqual(gjsonGet({ '@custom': { x: 1 } }, '@custom.x'), { exists: true, value: 1 });
    });

    it('does not let a "__proto__" key reach the prototype', () => {
      const doc: unknown = JSON.parse('{"__proto__": {"polluted": true}}');
      assert.deepEqual(gjsonGet(doc, '__proto__.polluted'), { exists: true, value: true });
      assert.equal(gjsonGet({}, '__proto__').exists, false);
      assert.equal(gjsonGet({}, 'constructor').exists, false);
    });
  });

  describe('escapeGjsonKey', () => {
    it('escapes the characters with a meaning in a path, as gjson.Escape does, and ":"', () => {
      assert.equal(escapeGjsonKey('fav.movie'), 'fav\\.movie');
      assert.equal(escapeGjsonKey('a*b?c|d#e@f!g'), 'a\\*b\\?c\\|d\\#e\\@f\\!g');
      assert.equal(escapeGjsonKey('plain_key-1'), 'plain_key-1');
      assert.equal(escapeGjsonKey('a:b'), 'a\\:b');
      assert.equal(escapeGjsonKey('naïve ключ'), 'naïve ключ');
    });

    it('makes a key with special characters readable', () => {
      const key = '#(a=="b").@this|{x}';
      assert.deepEqual(gjsonGet({ [key]: 7 }, escapeGjsonKey(key)), { exists: true, value: 7 });
    });
  });

  describe('parseGjsonPath', () => {
    const faults: readonly (readonly [path: string, position: number, message: RegExp])[] = [
      ['', 0, /^empty path at position 0$/],
      ['externalIds.#(type=="organization"', 12, /^unterminated query "#\(" at position 12$/],
      ['a.#(b=="x).c', 7, /unterminated string/],
      ['a.', 2, /missing key after "\."/],
      ['a..b', 2, /missing key after "\."/],
      ['|a', 0, /missing key/],
      ['a|', 2, /missing key after "\|"/],
      ['name\\', 4, /dangling escape/],
      ['a.#(b=!1)', 5, /bad operator "=!"/],
      ['a.#(b===1)', 5, /bad operator "==="/],
      ['a.#(b<>1)', 5, /bad operator "<>"/],
      ['a.#(b!1)', 5, /bad operator "!"/],
      ['a.#(b==)', 7, /missing value after "=="/],
      ['a.#()', 4, /empty query/],
      ['a.#(b==1)x', 9, /unexpected "x" after query/],
      ['a.#(b==1]', 8, /mismatched "\]"/],
      ['a.#(b==~yes)', 7, /~true or ~false/],
      ['a.#(b==x"y")', 8, /unexpected quote/],
      ['a.#(b=="\\q")', 7, /invalid string/],
      ['a.#(c.#(d=="x")', 2, /unterminated query/],
      ['a.#(c.#(d=="x"', 2, /unterminated query/],
      ['{a,b', 0, /unterminated multipath "\{"/],
      ['[a,]', 3, /empty path in multipath/],
      ['{a}x', 3, /unexpected "x" after multipath/],
      ['@pretty:{"a":', 8, /unterminated modifier argument/],
      ['@pretty:{a:1}', 8, /not valid JSON/],
      ['@reverse:{"a":1}z', 16, /unexpected "z" after modifier/],
      ['!{"a"', 0, /invalid literal/],
      ['friends.#(nets.#(=="fb")', 8, /unterminated query/],
    ];
    for (const [path, position, message] of faults) {
      it(`rejects ${JSON.stringify(path)} at ${position}`, () => {
        assert.throws(
          () => parseGjsonPath(path),
          (error: unknown) =>
            error instanceof GjsonPathError && error.position === position && message.test(error.message),
        );
      });
    }

    it('accepts every path of the table above', () => {
      for (const [, path] of table) assert.doesNotThrow(() => parseGjsonPath(path), path);
    });

    it('describes the components of a path', () => {
      const parsed = parseGjsonPath('externalIds.#(type=="organization").value');
      assert.deepEqual(
        parsed.components.map((c) => [c.kind, c.sep, c.start, c.end]),
        [
          ['key', undefined, 0, 11],
          ['query', '.', 12, 35],
          ['key', '.', 36, 41],
        ],
      );
      const query = parsed.components[1];
      assert.ok(query?.kind === 'query');
      assert.equal(query.op, '==');
      assert.deepEqual(query.value, { kind: 'string', text: 'organization' });
      assert.deepEqual(
        query.lhs?.components.map((c) => c.kind),
        ['key'],
      );
    });

    it('reads keys, counts, maps, modifiers, literals and multipaths', () => {
      const kinds = (path: string): string[] => parseGjsonPath(path).components.map((c) => c.kind);
      assert.deepEqual(kinds('a\\.b.c*'), ['key', 'key']);
      assert.deepEqual(kinds('friends.#.age'), ['key', 'map', 'key']);
      assert.deepEqual(kinds('friends|#'), ['key', 'count']);
      assert.deepEqual(kinds('children.@reverse|0'), ['key', 'modifier', 'key']);
      assert.deepEqual(kinds('@custom.x'), ['key', 'key']);
      assert.deepEqual(kinds('a|!true'), ['key', 'literal']);
      assert.deepEqual(kinds('a.!true'), ['key', 'key']);
      assert.deepEqual(kinds('{a,"b":c}.b'), ['multipath', 'key']);
    });
  });
});
