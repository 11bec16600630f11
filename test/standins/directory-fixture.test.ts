// The Directory fixture: the demo organisation, file loading and validation messages, and the store's look-ups.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DEMO_ADMIN_EMAIL,
  demoFixture,
  FixtureError,
  FixtureStore,
  loadFixture,
  parseFixture,
  type Organisation,
} from '../../dev/google/fixture/index.ts';
import { globexOrg } from './directory-harness.ts';

function messageOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof FixtureError, String(error));
    return error.message;
  }
  return assert.fail('expected a FixtureError');
}

describe('Directory fixture', () => {
  describe('demo organisation', () => {
    const [demo] = demoFixture() as [Organisation];

    it('has ~30 users with Google-style ids and the accounts a sync must handle', () => {
      assert.equal(demo.domain, 'acme.example');
      assert.match(demo.customerId, /^C[0-9a-z]{8}$/);
      assert.equal(demo.users.length, 30);
      const ids = demo.users.map((user) => user.id ?? '');
      assert.ok(ids.every((id) => /^\d{21}$/.test(id)));
      assert.equal(new Set(ids).size, 30);
      const admin = demo.users.find((user) => user.primaryEmail === DEMO_ADMIN_EMAIL);
      assert.equal(admin?.isAdmin, true);
      assert.equal(admin?.name?.fullName, 'Alex Admin');
      assert.equal(demo.users.filter((user) => user.suspended).length, 1);
      assert.equal(demo.users.filter((user) => user.archived).length, 1);
      assert.equal(demo.users.filter((user) => user.deletionTime).length, 1);
      assert.deepEqual(demo.users.filter((user) => user.primaryEmail?.endsWith('@acme-labs.example')).length, 1);
    });

    it('carries phones, organizations, externalIds and the Telephony schema', () => {
      const phoneTypes = new Set(
        demo.users.flatMap((user) => (user.phones as { type: string }[]).map((phone) => phone.type)),
      );
      assert.deepEqual([...phoneTypes].sort(), ['mobile', 'work']);
      assert.ok(demo.users.every((user) => (user.organizations as { primary: boolean }[])[0]?.primary === true));
      const marcus = demo.users.find((user) => user.primaryEmail === 'marcus.reed@acme.example');
      assert.deepEqual(marcus?.externalIds, [{ type: 'organization', value: '2101' }]);
      assert.ok(demo.users.filter((user) => user.customSchemas?.['Telephony']).length >= 10);
      assert.deepEqual(
        demo.orgUnits.map((unit) => unit.orgUnitPath),
        ['/', '/Sales', '/Sales/EMEA', '/Engineering', '/Support'],
      );
      assert.ok(
        demo.members['sales@acme.example']?.some(
          (member) => member.type === 'GROUP' && member.email === 'sales-emea@acme.example',
        ),
      );
    });

    it('passes its own validation after a JSON round trip', () => {
      assert.deepEqual(
        parseFixture(JSON.parse(JSON.stringify(demoFixture()))).map((org) => org.domain),
        ['acme.example', 'northwind.example'],
      );
    });
  });

  describe('loading and validation', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'directory-fixture-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('loads a file holding one organisation or an array of them', () => {
      const single = path.join(dir, 'single.json');
      writeFileSync(single, JSON.stringify(globexOrg()));
      assert.equal(loadFixture(single)[0]?.customerId, 'C04gl0b3x');
      const several = path.join(dir, 'several.json');
      writeFileSync(several, JSON.stringify([...demoFixture(), globexOrg()]));
      assert.deepEqual(
        loadFixture(several).map((org) => org.domain),
        ['acme.example', 'northwind.example', 'globex.example'],
      );
    });

    it('names the file and the reason when the file is not JSON', () => {
      const broken = path.join(dir, 'broken.json');
      writeFileSync(broken, '{"domain": ');
      assert.match(
        messageOf(() => loadFixture(broken)),
        /broken\.json[\s\S]*cannot be read as JSON/,
      );
    });

    it('names every bad field with its path', () => {
      const org = {
        ...globexOrg(),
        customerId: 'globex',
        users: [{ primaryEmail: 'not-an-email', name: { givenName: 'A', familyName: 'B' }, isAdmin: 'yes' }],
      };
      const message = messageOf(() => parseFixture([globexOrg(), org]));
      assert.match(message, /\[1\]\.customerId: must look like Google's customer ids/);
      assert.match(message, /\[1\]\.users\[0\]\.primaryEmail: must be an email address/);
      assert.match(message, /\[1\]\.users\[0\]\.isAdmin: Invalid input: expected boolean/);
    });

    it('checks cross references: domains, duplicates, units, groups and members', () => {
      const org: Organisation = {
        ...globexOrg(),
        users: [
          { primaryEmail: 'a@globex.example', name: { givenName: 'A', familyName: 'A' }, orgUnitPath: '/Nowhere' },
          {
            primaryEmail: 'b@globex.example',
            name: { givenName: 'B', familyName: 'B' },
            aliases: ['a@globex.example'],
          },
          { primaryEmail: 'c@initech.example', name: { givenName: 'C', familyName: 'C' } },
        ],
        members: {
          'villains@globex.example': [{ email: 'ghosts@globex.example', type: 'GROUP' }],
          'nobody@globex.example': [],
        },
      };
      const message = messageOf(() => parseFixture(org));
      assert.match(message, /users\[0\]\.orgUnitPath: unit '\/Nowhere' is not among orgUnits/);
      assert.match(
        message,
        /users\[1\]\.aliases\[0\]: 'a@globex\.example' is already used by \.users\[0\]\.primaryEmail/,
      );
      assert.match(message, /users\[2\]\.primaryEmail: 'c@initech\.example' is not on the organisation's domains/);
      assert.match(
        message,
        /members\['villains@globex\.example'\]\[0\]\.email: 'ghosts@globex\.example' is not a group in groups/,
      );
      assert.match(message, /members\['nobody@globex\.example'\]: is not the email of a group in groups/);
      assert.match(
        messageOf(() => parseFixture([globexOrg(), globexOrg()])),
        /\[1\]\.customerId: 'C04gl0b3x' is also the customerId of \[0\]/,
      );
    });
  });

  describe('FixtureStore', () => {
    it('looks organisations and users up by customer id, domain, email, alias and id', () => {
      const store = new FixtureStore([...demoFixture(), globexOrg()]);
      const acme = store.orgByCustomerId('C03az79cb');
      assert.equal(acme?.domain, 'acme.example');
      assert.equal(store.orgByDomain('ACME-LABS.example')?.customerId, 'C03az79cb');
      assert.equal(store.orgOfEmail('hank.scorpio@globex.example')?.customerId, 'C04gl0b3x');
      assert.equal(store.orgOfEmail('x@unknown.example'), undefined);
      const byAlias = acme ? store.findUser(acme, 'IT@acme.example') : undefined;
      assert.equal(byAlias?.primaryEmail, DEMO_ADMIN_EMAIL);
      assert.equal(acme ? store.findUser(acme, byAlias?.id ?? '')?.primaryEmail : undefined, DEMO_ADMIN_EMAIL);
      assert.equal(store.findUserAnywhere('root@globex.example')?.org.customerId, 'C04gl0b3x');
      assert.equal(store.findGroupAnywhere('helpdesk@acme.example')?.group.email, 'support@acme.example');
    });

    it('replaces and resets the organisations it serves', () => {
      const store = new FixtureStore(demoFixture());
      store.replace([globexOrg()]);
      assert.equal(store.version, 1);
      assert.equal(store.orgByCustomerId('C03az79cb'), undefined);
      store.reset();
      assert.equal(store.organisations[0]?.users.length, 30);
    });
  });
});
