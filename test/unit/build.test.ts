// The functions package builds on its own, as Cloud Build does from functions/, and the Functions Framework
// serves the built output; the whole project typechecks under the strict settings.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../dev/stack/stack-config.ts';
import { delay } from '../../dev/stack/processes.ts';

const run = promisify(execFile);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
const bin = (name: string) => path.join(REPO_ROOT, 'node_modules/.bin', name);

describe('build', function () {
  this.timeout(120_000);

  it('typechecks every TypeScript file of the project under strict settings', async () => {
    const { stdout } = await run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'], { cwd: REPO_ROOT }).catch(
      (error: { stdout: string }) => ({ stdout: error.stdout }),
    );
    assert.equal(stdout.trim(), '', 'no type errors');
  });

  it('builds functions/ alone and the Functions Framework serves the built adminApi', async () => {
    const functionsDir = path.join(REPO_ROOT, 'functions');
    await run(process.execPath, [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
      cwd: functionsDir,
    });
    const port = await freePort();
    const framework = spawn(
      bin('functions-framework'),
      ['--target=adminApi', `--port=${port}`, `--source=${functionsDir}`],
      {
        env: {
          PATH: process.env['PATH'] ?? '',
          TELIQON_MODE: 'live',
          GOOGLE_CLOUD_PROJECT: 'teliqon-build-check',
          PUBLIC_BASE_URL: 'https://pbx.teliqon.example',
          // As Cloud Run runs it: only welcomeMail gets the SMTP credentials.
          FUNCTION_TARGET: 'adminApi',
        },
        stdio: 'ignore',
      },
    );
    try {
      let body: unknown;
      for (let attempt = 0; attempt < 100 && body === undefined; attempt++) {
        body = await fetch(`http://127.0.0.1:${port}/api/no-such-route`)
          .then((response) => response.json())
          .catch(() => undefined);
        if (body === undefined) await delay(100);
      }
      assert.deepEqual(body, { error: { code: 'not_found', message: 'No API route GET /api/no-such-route' } });
    } finally {
      framework.kill('SIGKILL');
    }
  });
});
