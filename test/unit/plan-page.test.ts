// Every option of SPEC §5.1 as the page planner decides it, without I/O.
import assert from 'node:assert/strict';
import type { admin_directory_v1 } from '@googleapis/admin';
import { toDirectoryUser, usersFieldsMask, type DirectoryUser } from '../../functions/src/google/directory-user.ts';
import type { Extension } from '../../functions/src/extensions/extension.ts';
import { planPage, type PageState } from '../../functions/src/sync/apply/plan-page.ts';
import {
  DEFAULT_SETTINGS,
  parseSyncSettings,
  propertyRoot,
  type SyncSettings,
} from '../../functions/src/sync/settings/settings.ts';

function user(id: string, extra: admin_directory_v1.Schema$User = {}): DirectoryUser {
  const converted = toDirectoryUser({
    id,
    primaryEmail: `user${id}@acme.example`,
    name: { givenName: `Given${id}`, familyName: `Family${id}` },
    orgUnitPath: '/Sales',
    phones: [
      { type: 'work', value: '+1 415-555-0100' },
      { type: 'mobile', value: `+1 628-555-0${id}` },
    ],
    organizations: [{ title: 'Seller' }, { title: 'Lead', primary: true }],
    ...extra,
  });
  assert.ok(converted);
  return converted;
}

const empty: PageState = { links: new Map(), extensions: new Map(), emailKeys: new Map() };

function googleExtension(number: string, of: DirectoryUser): Extension {
  return {
    number,
    source: 'google',
    ...of.fields,
    google: { userId: of.id, primaryEmail: of.primaryEmail, orgUnitPath: of.orgUnitPath, status: of.status },
  };
}

const settings = (overrides: Partial<SyncSettings> = {}): SyncSettings => ({ ...DEFAULT_SETTINGS, ...overrides });

describe('planPage', () => {
  it('maps the Directory user: names, primary e-mail, the mobile phone, and the primary organization title', () => {
    const u = user('101');
    assert.deepEqual(u.fields, {
      firstName: 'Given101',
      lastName: 'Family101',
      email: 'user101@acme.example',
      mobile: '+1 628-555-0101',
      jobTitle: 'Lead',
    });
    assert.equal(user('102', { organizations: [{ title: 'First' }, { title: 'Second' }] }).fields.jobTitle, 'First');
  });

  it('Specific Users: never creates nor associates an unassigned user, and keeps an assigned one up to date', () => {
    const assigned = user('1');
    const pending = user('2');
    const local: Extension = { number: '2002', source: 'local', ...pending.fields };
    const state: PageState = {
      links: new Map([['1', '2001']]),
      extensions: new Map([
        ['2001', { ...googleExtension('2001', assigned), jobTitle: 'Old title' }],
        ['2002', local],
      ]),
      emailKeys: new Map([
        [assigned.fields.email, '2001'],
        [pending.fields.email, '2002'],
      ]),
    };
    const specific = settings({
      range: 'specific',
      specific: { orgUnits: [{ id: 'ou', path: '/Sales' }], groups: [] },
      autoAssociate: true,
    });
    assert.deepEqual(
      planPage([assigned, pending], specific, state).map((d) => d.kind),
      ['update', 'not_synced'],
    );
    assert.throws(
      () => parseSyncSettings({ ...DEFAULT_SETTINGS, range: 'specific' }),
      /Pick at least one group or organizational unit in "Search Criteria"/,
    );
  });

  it('creates new users with automatic numbers', () => {
    const decisions = planPage([user('1'), user('2')], settings(), empty);
    assert.deepEqual(
      decisions.map((d) => [d.kind, 'number' in d ? d.number : null]),
      [
        ['create', undefined],
        ['create', undefined],
      ],
    );
  });

  it('leaves a user whose synced fields did not change unwritten, and updates one whose did', () => {
    const a = user('1');
    const b = user('2');
    const state: PageState = {
      links: new Map([
        ['1', '1000'],
        ['2', '1001'],
      ]),
      extensions: new Map([
        ['1000', googleExtension('1000', a)],
        ['1001', { ...googleExtension('1001', b), jobTitle: 'Old title' }],
      ]),
      emailKeys: new Map([
        [a.fields.email, '1000'],
        [b.fields.email, '1001'],
      ]),
    };
    assert.deepEqual(
      planPage([a, b], settings(), state).map((d) => d.kind),
      ['unchanged', 'update'],
    );
  });

  it('applies the status severity order: Suspended covers suspended, archived and deleted users', () => {
    const users = [
      user('1'),
      user('2', { suspended: true }),
      user('3', { archived: true }),
      user('4', { deletionTime: '2026-01-01T00:00:00Z' }),
    ];
    const kinds = (deleteWhen: SyncSettings['deleteWhen']) =>
      planPage(users, settings({ deleteWhen }), empty).map((d) => d.kind);
    assert.deepEqual(kinds('suspended'), ['create', 'not_synced', 'not_synced', 'not_synced']);
    assert.deepEqual(kinds('archived'), ['create', 'create', 'not_synced', 'not_synced']);
    assert.deepEqual(kinds('deleted'), ['create', 'create', 'create', 'not_synced']);
  });

  it('proposes deleting the extension of a linked user who reached the chosen status', () => {
    const suspended = user('1', { suspended: true });
    const state: PageState = {
      links: new Map([['1', '1000']]),
      extensions: new Map([['1000', googleExtension('1000', user('1'))]]),
      emailKeys: new Map(),
    };
    assert.deepEqual(planPage([suspended], settings({ deleteWhen: 'suspended' }), state), [
      { kind: 'delete', userId: '1', number: '1000', status: 'suspended' },
    ]);
    assert.equal(
      planPage([suspended], settings({ deleteWhen: 'archived' }), state)[0]?.kind,
      'update',
      'a lesser status stays, with its status shown',
    );
  });

  it('associates a local extension with the same e-mail (case-insensitively) when auto associate is on, else skips', () => {
    const u = user('1', { primaryEmail: 'Mixed.Case@acme.example' });
    const state: PageState = {
      links: new Map(),
      extensions: new Map([
        [
          '3001',
          {
            number: '3001',
            source: 'local',
            firstName: 'M',
            lastName: 'C',
            email: 'mixed.case@acme.example',
            mobile: '',
            jobTitle: '',
          },
        ],
      ]),
      emailKeys: new Map([['mixed.case@acme.example', '3001']]),
    };
    assert.deepEqual(
      planPage([u], settings({ autoAssociate: true }), state).map((d) => [d.kind, 'number' in d ? d.number : '']),
      [['associate', '3001']],
    );
    const skipped = planPage([u], settings({ autoAssociate: false }), state)[0];
    assert.deepEqual(skipped, {
      kind: 'skip',
      userId: '1',
      email: 'mixed.case@acme.example',
      reason: 'email already used by extension 3001',
    });
  });

  it('never associates a Google-managed extension of another user', () => {
    const other = user('9');
    const u = user('1', { primaryEmail: other.primaryEmail });
    const state: PageState = {
      links: new Map([['9', '1009']]),
      extensions: new Map([['1009', googleExtension('1009', other)]]),
      emailKeys: new Map([[other.fields.email, '1009']]),
    };
    assert.equal(planPage([u], settings(), state)[0]?.kind, 'skip');
  });

  describe('Read Specific Property Value', () => {
    const byProperty = settings({ numbering: { mode: 'property', path: 'externalIds.#(type=="organization").value' } });
    const withId = (id: string, value: unknown) =>
      user(id, { externalIds: [{ type: 'organization', value: value as string }] });

    it('creates with the property value, and skips a missing, invalid or taken value with its reason', () => {
      const taken: PageState = {
        links: new Map(),
        extensions: new Map([
          [
            '2500',
            {
              number: '2500',
              source: 'local',
              firstName: '',
              lastName: '',
              email: 'x@acme.example',
              mobile: '',
              jobTitle: '',
            },
          ],
        ]),
        emailKeys: new Map(),
      };
      const decisions = planPage(
        [withId('1', '2101'), user('2'), withId('3', '01x'), withId('4', '2500'), withId('5', '2101')],
        byProperty,
        taken,
      );
      assert.deepEqual(
        decisions.map((d) => (d.kind === 'skip' ? d.reason : `${d.kind} ${'number' in d ? d.number : ''}`)),
        [
          'create 2101',
          'property externalIds.#(type=="organization").value is missing',
          'property externalIds.#(type=="organization").value value "01x" is not a valid extension number',
          'extension 2500 is already used by another extension',
          'extension 2101 is already used by another extension',
        ],
      );
    });

    it('renumbers a linked user whose value changed, which is not a deletion', () => {
      const u = withId('1', 2102);
      const state: PageState = {
        links: new Map([['1', '2101']]),
        extensions: new Map([['2101', googleExtension('2101', u)]]),
        emailKeys: new Map(),
      };
      assert.deepEqual(
        planPage([u], byProperty, state).map((d) => d.kind === 'renumber' && [d.from, d.to]),
        [['2101', '2102']],
      );
    });

    it('reads the root of the path into the fields mask, keeping nextPageToken', () => {
      assert.equal(propertyRoot(byProperty), 'externalIds');
      assert.equal(
        usersFieldsMask('externalIds'),
        'nextPageToken,users(id,primaryEmail,name(givenName,familyName),phones,organizations,orgUnitPath,suspended,archived,deletionTime,externalIds)',
      );
      assert.match(usersFieldsMask(undefined), /^nextPageToken,/);
    });
  });

  describe('settings', () => {
    it('refuses an invalid property path at the position of the fault, and a bad start number', () => {
      assert.throws(
        () =>
          parseSyncSettings({
            ...DEFAULT_SETTINGS,
            numbering: { mode: 'property', path: 'externalIds.#(type=="organization"' },
          }),
        /"Property Name" is not a valid path: .* at position 12/,
      );
      assert.throws(
        () => parseSyncSettings({ ...DEFAULT_SETTINGS, numbering: { mode: 'auto', start: '0100' } }),
        /"Start Extension Number from" must be 2 to 7 digits/,
      );
      assert.deepEqual(parseSyncSettings(DEFAULT_SETTINGS), DEFAULT_SETTINGS);
    });
  });
});
