// The operator's command creates a tenant and its first admin, whose claims the admin API trusts.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { getApp } from '../../functions/src/app.ts';
import { REPO_ROOT } from '../../dev/stack/stack-config.ts';
import { recordProgramOutput } from '../support/output.ts';
import { uniqueTenantId, useStack } from '../support/stack.ts';
import { signInAdmin } from '../support/tenants.ts';

const run = promisify(execFile);
// Its output, failed runs' included, joins the run's for the secret scan.
const cli = async (...args: string[]) => {
  const ran = await run(process.execPath, [path.join(REPO_ROOT, 'infra/tenant-cli.ts'), ...args, '--stack', 'test'], {
    cwd: REPO_ROOT,
  }).catch((error: { stdout?: string; stderr?: string }) => {
    recordProgramOutput('npm run tenant', `${error.stdout ?? ''}${error.stderr ?? ''}`);
    throw error;
  });
  recordProgramOutput('npm run tenant', `${ran.stdout}${ran.stderr}`);
  return ran;
};

describe('npm run tenant', function () {
  this.timeout(60_000);

  it('creates a tenant and its first admin, who can then use the admin API', async () => {
    const stack = await useStack();
    const id = uniqueTenantId('cli');
    const email = `first-admin@${id}.example`;
    const { stdout } = await cli(
      'create',
      '--id',
      id,
      '--name',
      'Globex',
      '--plan',
      'ultimate',
      '--time-zone',
      'Asia/Tokyo',
      '--admin-email',
      email,
      '--admin-password',
      'correct-horse-1',
    );
    assert.match(stdout, new RegExp(`Created tenant ${id} with admin ${email}`));
    const tenant = (await getApp().db.doc(`tenants/${id}`).get()).data();
    assert.deepEqual(
      [tenant?.['name'], tenant?.['plan'], tenant?.['timeZone'], tenant?.['status']],
      ['Globex', 'ultimate', 'Asia/Tokyo', 'active'],
    );
    const user = await getApp().auth.getUserByEmail(email);
    assert.deepEqual(user.customClaims, { tenant: id, role: 'admin' });
    const token = await signInAdmin(email, 'correct-horse-1');
    const me = await fetch(`${stack.addresses.publicBaseUrl}/api/me`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    assert.equal(((await me.json()) as { tenant: { id: string } }).tenant.id, id);
  });

  it('says what to fix and creates nothing on bad input', async () => {
    const id = uniqueTenantId('cli');
    await assert.rejects(
      cli(
        'create',
        '--id',
        id,
        '--name',
        'X',
        '--plan',
        'business',
        '--time-zone',
        'Mars/Olympus',
        '--admin-email',
        'nope',
        '--admin-password',
        'short',
      ),
      (error: { stderr: string }) => {
        assert.match(error.stderr, /time zone "Mars\/Olympus" is not an IANA time zone/);
        assert.match(error.stderr, /admin e-mail is not an e-mail address/);
        assert.match(error.stderr, /admin password must have at least 8 characters/);
        return true;
      },
    );
    assert.equal((await getApp().db.doc(`tenants/${id}`).get()).exists, false);
  });

  it('refuses a tenant id that exists, and changes plans', async () => {
    const id = uniqueTenantId('cli');
    const args = [
      '--id',
      id,
      '--name',
      'Y',
      '--plan',
      'business',
      '--time-zone',
      'UTC',
      '--admin-email',
      `a@${id}.example`,
      '--admin-password',
      'password-1',
    ];
    await cli('create', ...args);
    await assert.rejects(cli('create', ...args), (error: { stderr: string }) => /already exists/.test(error.stderr));
    await cli('set-plan', '--id', id, '--plan', 'essentials');
    assert.equal((await getApp().db.doc(`tenants/${id}`).get()).get('plan'), 'essentials');
  });
});
