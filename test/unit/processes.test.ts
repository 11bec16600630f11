import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startService } from '../../dev/stack/processes.ts';
import { globToRegExp } from '../../dev/stack/gateway.ts';

// A killed process whose parent died may linger as a zombie until it is reaped; that is not "running".
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('local stack processes', () => {
  it('stops a service together with the children it spawned (the gcloud/java case)', async () => {
    const logDir = mkdtempSync(path.join(tmpdir(), 'svc-'));
    // The wrapper shell ignores SIGTERM and its child would outlive it, as java outlives gcloud.
    const service = startService('wrapper', 'sh', ['-c', "trap '' TERM; sleep 300 & echo $! > child.pid; wait"], {
      cwd: logDir,
      logDir,
    });
    const pid = service.child.pid!;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const childPid = Number(readFileSync(path.join(logDir, 'child.pid'), 'utf8'));
    assert.ok(isAlive(pid) && isAlive(childPid));
    await service.stop();
    assert.equal(isAlive(pid), false, 'the wrapper is gone');
    assert.equal(isAlive(childPid), false, 'its child is gone');
  });
});

describe('Hosting rewrite globs', () => {
  it('matches like firebase.json: ** spans folders, * stays in one', () => {
    assert.ok(globToRegExp('/api/**').test('/api/settings/google'));
    assert.ok(globToRegExp('/t/*/login').test('/t/acme/login'));
    assert.equal(globToRegExp('/t/*/login').test('/t/acme/x/login'), false);
    assert.equal(globToRegExp('/api/**').test('/apix'), false);
    assert.equal(globToRegExp('/a.b').test('/aXb'), false);
  });
});
