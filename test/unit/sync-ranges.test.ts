// The pure parts of the unit and group ranges (SPEC §5.1): which units are queried, which chains a run starts, how
// group members' accounts are fetched, the subtree query, the settings' checks, and the preview's sentence.
import assert from 'node:assert/strict';
import { orgUnitQuery } from '../../functions/src/google/directory-api.ts';
import { chooseUserChain } from '../../functions/src/sync/fetch/group-members.ts';
import type { RunView } from '../../functions/src/sync/run/run-view.ts';
import { zeroCounts } from '../../functions/src/sync/run/run.ts';
import { DEFAULT_SETTINGS, parseSyncSettings } from '../../functions/src/sync/settings/settings.ts';
import {
  chainKind,
  coveringUnits,
  firstChains,
  isInUnits,
  sourceKey,
} from '../../functions/src/sync/settings/sources.ts';
import { previewSentence } from '../../web/src/console/views/preview-sentence.ts';

const unit = (path: string) => ({ id: `id${path}`, path });

describe('organizational unit ranges', () => {
  it('queries only the units no other picked unit contains, each once', () => {
    assert.deepEqual(coveringUnits([unit('/Sales/EMEA'), unit('/Sales'), unit('/Support')]), [1, 2]);
    assert.deepEqual(
      coveringUnits([unit('/Sales'), unit('/sales')]),
      [0],
      'paths compare case-insensitively; the first of equals stays',
    );
    assert.deepEqual(
      coveringUnits([unit('/Sales'), unit('/SalesOps')]),
      [0, 1],
      'a prefix of the name is not a parent',
    );
    assert.deepEqual(coveringUnits([unit('/Engineering'), unit('/')]), [1], 'the root contains every unit');
  });

  it('puts a user in a unit when in it or below it', () => {
    assert.equal(isInUnits('/Sales/EMEA', [unit('/Sales')]), true);
    assert.equal(isInUnits('/Sales', [unit('/Sales/EMEA')]), false);
    assert.equal(isInUnits('/SalesOps', [unit('/Sales')]), false);
    assert.equal(isInUnits('/Anything', [unit('/')]), true);
  });

  it("quotes a unit path for users.list's query, escaping quotes and backslashes", () => {
    assert.equal(orgUnitQuery('/Sales Team'), "orgUnitPath='/Sales Team'");
    assert.equal(orgUnitQuery("/O'Brien\\Ops"), "orgUnitPath='/O\\'Brien\\\\Ops'");
  });
});

describe('chains of a run', () => {
  it('lists the domain and its deleted users for All Users, a query per covering unit, a member listing per group', () => {
    assert.deepEqual(firstChains(DEFAULT_SETTINGS), ['domain', 'deleted']);
    assert.deepEqual(
      firstChains({
        ...DEFAULT_SETTINGS,
        range: 'orgUnits',
        orgUnits: [unit('/Sales/EMEA'), unit('/Sales'), unit('/Support')],
      }),
      ['ou1', 'ou2'],
    );
    const groups = [
      { id: 'g1', email: 'a@x.example', name: 'A' },
      { id: 'g2', email: 'b@x.example', name: 'B' },
    ];
    const settings = { ...DEFAULT_SETTINGS, range: 'groups' as const, groups };
    assert.deepEqual(firstChains(settings), ['group0', 'group1']);
    assert.deepEqual(chainKind('group1'), { kind: 'group', index: 1 });
    assert.equal(sourceKey(settings, 'group1'), 'group:g2', 'a source is remembered by its id, which survives renames');
  });
});

describe("fetching group members' accounts with the fewest calls", () => {
  const members = (count: number, everyone = false) => ({
    ids: new Set(Array.from({ length: count }, (_, i) => String(i))),
    everyone,
  });

  it('looks members up one by one while that costs fewer calls than listing the domain (500 a call)', () => {
    assert.equal(chooseUserChain(members(20), 10_000), 'members', '20 lookups < 20 pages');
    assert.equal(chooseUserChain(members(21), 10_000), 'join', '21 lookups > 20 pages');
    assert.equal(chooseUserChain(members(1_000), 100_000), 'join');
  });

  it('without a known domain size, looks up at most 100 members, and joins for a group of the whole organisation', () => {
    assert.equal(chooseUserChain(members(100), undefined), 'members');
    assert.equal(chooseUserChain(members(101), undefined), 'join');
    assert.equal(chooseUserChain(members(1, true), 1_000_000), 'join');
  });
});

describe('range settings', () => {
  it('refuses a unit or group range with nothing picked, naming the field', () => {
    assert.throws(
      () => parseSyncSettings({ ...DEFAULT_SETTINGS, range: 'orgUnits', orgUnits: [] }),
      /"Organizational Units"/,
    );
    assert.throws(() => parseSyncSettings({ ...DEFAULT_SETTINGS, range: 'groups', groups: [] }), /"Group"/);
    assert.throws(
      () => parseSyncSettings({ ...DEFAULT_SETTINGS, range: 'orgUnits', orgUnits: [{ id: 'x', path: 'Sales' }] }),
      /starts with \//,
    );
  });

  it('reads settings saved before ranges existed as All Users, keeping nothing to delete automatically', () => {
    const { orgUnits: _units, groups: _groups, autoDelete: _autoDelete, ...older } = DEFAULT_SETTINGS;
    assert.deepEqual(parseSyncSettings(older), DEFAULT_SETTINGS);
  });
});

describe('the preview before "Save"', () => {
  const view = (counts: Partial<RunView['counts']>, status: RunView['status'] = 'succeeded') =>
    ({ status, failure: null, counts: { ...zeroCounts(), ...counts } }) as unknown as RunView;

  it('says what the change creates, deletes and releases, and what it associates or skips', () => {
    assert.equal(
      previewSentence(view({ created: 1, deleted: 2, released: 3 })),
      'This change will create 1 extension, delete 2 and release 3.',
    );
    assert.equal(
      previewSentence(view({ created: 0, associated: 2, skipped: 1 })),
      'This change will create 0 extensions, delete 0 and release 0. 2 existing extensions will be associated by e-mail; 1 user will be skipped.',
    );
  });

  it('says when the preview could not finish, and that saving is still possible', () => {
    assert.match(
      previewSentence({ ...view({}, 'failed'), failure: 'Google said no' }),
      /could not finish: Google said no\. You can still save\./,
    );
  });
});
