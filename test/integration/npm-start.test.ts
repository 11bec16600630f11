// README's first command, as a developer runs it: npm start brings the whole product up beside the test stack,
// prints where everything is and how to sign in, serves it, and stops every process it started on Ctrl-C.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { requireFreePort } from '../../dev/stack/processes.ts';
import { REPO_ROOT, stackFile } from '../../dev/stack/stack-config.ts';
import { recordProgramOutput } from '../support/output.ts';
import { signInAdmin } from '../support/tenants.ts';

// Beside the test stack's ports and beside a developer's own npm start.
const OFFSET = Number(process.env['STACK_PORT_OFFSET'] ?? 0) + 300;

function printed(output: string, label: string): string {
  const value = new RegExp(`^${label}: (.+)$`, 'm').exec(output)?.[1];
  assert.ok(value, `npm start printed "${label}:"`);
  return value;
}

describe('npm start', function () {
  this.timeout(180_000);
  let child: ChildProcess | undefined;

  // A test that timed out leaves no stack behind.
  after(() => {
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
  });

  it('starts the stack, prints sign-in details that work, and stops everything it started on Ctrl-C', async () => {
    const started = spawn('npm', ['start'], {
      cwd: REPO_ROOT,
      env: { ...process.env, STACK_PORT_OFFSET: String(OFFSET) },
      // Its own process group, as a terminal's foreground job: Ctrl-C signals the whole group.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    let output = '';
    started.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    started.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    let ended = '';
    const exited = new Promise<string>((resolve) => started.once('exit', (code, signal) => resolve(signal ?? `code ${code}`)));
    try {
      await new Promise<void>((resolve, reject) => {
        const poll = setInterval(() => {
          if (/^Config page: /m.test(output)) finish(resolve);
          else if (started.exitCode !== null) finish(() => reject(new Error(`npm start exited early:\n${output}`)));
        }, 200);
        const finish = (then: () => void) => {
          clearInterval(poll);
          then();
        };
      });

      const login = await fetch(printed(output, 'PBX login'));
      assert.equal(login.status, 200);
      assert.match(await login.text(), /Sign in to Teliqon Cloud PBX/);

      const [adminEmail, adminPassword] = printed(output, 'Admin sign-in').split(' / ');
      const authHost = `127.0.0.1:${stackFile.stacks.start.auth + OFFSET}`;
      const idToken = await signInAdmin(adminEmail!, adminPassword!, authHost);
      const integration = await fetch(new URL('/api/integrations/google', printed(output, 'Config page')), {
        headers: { Authorization: `Bearer ${idToken}` },
      });
      assert.equal(integration.status, 200);
      const view = (await integration.json()) as { status: string; redirectUris: { connect: string } };
      assert.deepEqual([view.status, view.redirectUris.connect], ['not_connected', new URL('/oauth/google/callback', printed(output, 'Config page')).href]);

      // The printed OAuth client is the one Google knows: its secret authenticates, so a made-up code is the
      // only thing the token endpoint refuses.
      const [clientId, clientSecret] = printed(output, 'Google OAuth client').split(' / ');
      const token = await fetch(`http://127.0.0.1:${stackFile.stacks.start.google + OFFSET}/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'authorization_code', code: 'made-up', redirect_uri: view.redirectUris.connect, client_id: clientId!, client_secret: clientSecret! }),
      });
      assert.equal(((await token.json()) as { error: string }).error, 'invalid_grant');
    } finally {
      process.kill(-started.pid!, 'SIGINT');
      ended = await exited;
      recordProgramOutput('npm start', output);
      rmSync(path.join(REPO_ROOT, '.dev-data', `start-${OFFSET}`), { recursive: true, force: true });
    }
    // npm itself ends by the signal it was sent, as it does in a terminal; the stack under it ends normally.
    assert.ok(['SIGINT', 'code 0'].includes(ended), `npm start ended by ${ended}:\n${output}`);
    assert.match(output, /^Stopping…$/m);
    assert.doesNotMatch(output, /Error|failed/i, 'nothing failed while it ran or stopped');
    for (const [owner, port] of Object.entries(stackFile.stacks.start)) await requireFreePort(port + OFFSET, '127.0.0.1', owner);
  });
});
