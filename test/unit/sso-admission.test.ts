// Who may sign in with Google (SPEC §6), as a pure decision over verified ID token claims and the tenant's link.
import assert from 'node:assert/strict';
import { admitUser, type LinkedExtension, type SignInClaims } from '../../functions/src/sso/admit-user.ts';
import { SsoError } from '../../functions/src/sso/sso-error.ts';
import type { Extension } from '../../functions/src/extensions/extension.ts';

const SUB = '104521876300000007919';

function linked(
  overrides: Partial<Extension['google'] & object> = {},
  extension: Partial<Extension> = {},
): LinkedExtension {
  return {
    number: '2001',
    extension: {
      number: '2001',
      firstName: 'Alex',
      lastName: 'Admin',
      email: 'admin@acme.example',
      mobile: '',
      jobTitle: '',
      source: 'google',
      google: { userId: SUB, primaryEmail: 'admin@acme.example', orgUnitPath: '/', status: 'active', ...overrides },
      ...extension,
    },
  };
}

const claims = (overrides: Partial<Record<keyof SignInClaims, unknown>> = {}): SignInClaims =>
  ({ sub: SUB, email: 'admin@acme.example', email_verified: true, hd: 'acme.example', ...overrides }) as SignInClaims;

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof SsoError, String(error));
    return error.reason;
  }
  assert.fail('the sign-in was admitted');
}

describe('SSO admission', () => {
  it('admits an active linked user whose hd is the domain of the linked primary e-mail, and returns the extension', () => {
    assert.equal(admitUser(claims(), linked(), 'acme.example'), '2001');
  });

  // Google does not document which domain `hd` names for a user of a secondary domain: both forms are admitted.
  it('admits a user of a secondary domain whose hd is their own domain, comparing without regard to case', () => {
    const labs = linked({ primaryEmail: 'Ravi.Patel@Acme-Labs.example' });
    assert.equal(
      admitUser(claims({ email: 'ravi.patel@acme-labs.example', hd: 'acme-labs.example' }), labs, 'acme.example'),
      '2001',
    );
    assert.equal(
      admitUser(claims({ email: 'ravi.patel@acme-labs.example', hd: 'ACME-LABS.example' }), labs, 'acme.example'),
      '2001',
    );
  });

  it('admits a user of a secondary domain whose hd is the Workspace’s primary domain', () => {
    const labs = linked({ primaryEmail: 'ravi.patel@acme-labs.example' });
    assert.equal(
      admitUser(claims({ email: 'ravi.patel@acme-labs.example', hd: 'acme.example' }), labs, 'acme.example'),
      '2001',
    );
    assert.equal(
      admitUser(claims({ email: 'ravi.patel@acme-labs.example', hd: 'Acme.Example' }), labs, 'ACME.example'),
      '2001',
    );
  });

  it('refuses a secondary-domain user whose hd is a third domain, neither their own nor the primary one', () => {
    const labs = linked({ primaryEmail: 'ravi.patel@acme-labs.example' });
    const third = () =>
      admitUser(claims({ email: 'ravi.patel@acme-labs.example', hd: 'globex.example' }), labs, 'acme.example');
    assert.equal(refusal(third), 'other_domain');
    assert.throws(third, /as an account of acme-labs\.example or acme\.example/);
  });

  it('refuses the primary domain as hd when the integration recorded none, since only the own domain is then known', () => {
    const labs = linked({ primaryEmail: 'ravi.patel@acme-labs.example' });
    assert.equal(
      refusal(() => admitUser(claims({ hd: 'acme.example' }), labs, undefined)),
      'other_domain',
    );
    assert.equal(admitUser(claims({ hd: 'acme-labs.example' }), labs, undefined), '2001');
  });

  it('refuses an e-mail Google has not verified, or a token that does not say', () => {
    assert.equal(
      refusal(() => admitUser(claims({ email_verified: false }), linked(), 'acme.example')),
      'email_unverified',
    );
    assert.equal(
      refusal(() => admitUser(claims({ email_verified: 'true' }), linked(), 'acme.example')),
      'email_unverified',
    );
    assert.equal(
      refusal(() => admitUser(claims({ email_verified: undefined }), linked(), 'acme.example')),
      'email_unverified',
    );
  });

  it('refuses an hd that is missing or another domain than the linked user’s and the Workspace’s primary one', () => {
    assert.equal(
      refusal(() => admitUser(claims({ hd: undefined }), linked(), 'acme.example')),
      'other_domain',
    );
    assert.equal(
      refusal(() => admitUser(claims({ hd: 'attacker.example' }), linked(), 'acme.example')),
      'other_domain',
    );
    assert.equal(
      refusal(() => admitUser(claims({ hd: 'acme-labs.example' }), linked(), 'acme.example')),
      'other_domain',
      'a primary-domain user with a secondary domain as hd',
    );
  });

  it('refuses suspended, archived and deleted users', () => {
    for (const status of ['suspended', 'archived', 'deleted'] as const) {
      assert.equal(
        refusal(() => admitUser(claims(), linked({ status }), 'acme.example')),
        'inactive_user',
        status,
      );
    }
  });

  it('tells an unlinked personal account, a user of another domain and an unsynced Workspace user apart', () => {
    assert.equal(
      refusal(() => admitUser(claims({ hd: undefined }), undefined, 'acme.example')),
      'unknown_user',
    );
    assert.equal(
      refusal(() => admitUser(claims({ hd: 'globex.example' }), undefined, 'acme.example')),
      'other_domain',
    );
    assert.equal(
      refusal(() => admitUser(claims(), undefined, 'acme.example')),
      'no_extension',
    );
  });

  it('refuses a link to an extension that is gone, no longer Google-managed, or managed for another user', () => {
    assert.equal(
      refusal(() => admitUser(claims(), { number: '2001', extension: undefined }, 'acme.example')),
      'no_extension',
    );
    assert.equal(
      refusal(() => admitUser(claims(), linked({}, { source: 'local' }), 'acme.example')),
      'no_extension',
    );
    assert.equal(
      refusal(() => admitUser(claims(), linked({ userId: '999' }), 'acme.example')),
      'no_extension',
    );
  });
});
