// A stored document of the wrong shape, written to the emulator, is refused where it is read with a coded error
// naming its path: whether read whole (a converter), as a select() projection, or beside other kinds of document in
// one transaction. Fields no schema names are kept as stored.
import assert from 'node:assert/strict';
import { getApp } from '../../functions/src/app.ts';
import { integrationRef } from '../../functions/src/connect/integration.ts';
import { MalformedDocument } from '../../functions/src/platform/typed-documents.ts';
import { endRun, readRun } from '../../functions/src/sync/run/run-control.ts';
import { runView } from '../../functions/src/sync/run/run-view.ts';
import { DEFAULT_SETTINGS } from '../../functions/src/sync/settings/settings.ts';
import { syncPaths } from '../../functions/src/tenants/paths.ts';
import { adminApi } from '../support/connect-flow.ts';
import { uniqueTenantId, useStack } from '../support/stack.ts';
import { createTestTenant } from '../support/tenants.ts';

/** Writes a document as given, past every converter, as another service or an older release could have. */
async function writeRaw(path: string, data: Record<string, unknown>): Promise<void> {
  await getApp().db.doc(path).set(data);
}

/** A run document as startRun writes it. */
function storedRun(): Record<string, unknown> {
  const now = new Date().toISOString();
  return {
    status: 'running',
    trigger: 'manual',
    settings: DEFAULT_SETTINGS,
    createdAt: now,
    lastProgressAt: now,
    managedAtStart: 0,
  };
}

/** Asserts that `read` fails with a MalformedDocument naming `path` and each of `fields`. */
async function assertMalformed(read: Promise<unknown>, path: string, fields: readonly string[]): Promise<void> {
  await assert.rejects(read, (error: unknown) => {
    assert.ok(error instanceof MalformedDocument, String(error));
    assert.equal(error.code, 'internal');
    assert.equal(error.path, path);
    assert.ok(error.message.startsWith(`Firestore document ${path} is malformed: `), error.message);
    for (const field of fields) assert.match(error.message, new RegExp(`\\b${field}: `));
    return true;
  });
}

describe('malformed documents', function () {
  this.timeout(60_000);

  before(async () => {
    await useStack();
  });

  it('a run document of the wrong shape is refused when read, naming its path and wrong fields', async () => {
    const paths = syncPaths(getApp().db, uniqueTenantId());
    const runRef = paths.run('20250101T000000-malform1');
    await writeRaw(runRef.path, { ...storedRun(), status: 'half-done', managedAtStart: 'many' });
    await assertMalformed(readRun(paths, runRef.id), runRef.path, ['status', 'managedAtStart']);
  });

  it('a page record whose projected field has the wrong type names the page it was read from', async () => {
    const paths = syncPaths(getApp().db, uniqueTenantId());
    const runId = '20250101T000000-malform2';
    await writeRaw(paths.run(runId).path, storedRun());
    const page = paths.page(runId, 'domain', 0);
    await writeRaw(page.path, { status: 'done', chain: 'domain', page: 0, last: true, listed: 'forty', userIds: [] });
    await assertMalformed(runView(getApp().db, paths.tenant.id, runId), page.path, ['listed']);
  });

  it('in a transaction that reads a run and the sync state together, each is parsed as its own kind', async () => {
    const paths = syncPaths(getApp().db, uniqueTenantId());
    const runId = '20250101T000000-malform3';
    await writeRaw(paths.run(runId).path, storedRun());
    await writeRaw(paths.state.path, { activeRunId: 42, rerunRequested: false });
    await assertMalformed(endRun(getApp().db, paths, runId, 'failed'), paths.state.path, ['activeRunId']);
    assert.equal((await readRun(paths, runId))?.status, 'running', 'the transaction wrote nothing');
  });

  it("an extension keeps the fields no schema names (another service's) when read", async () => {
    const paths = syncPaths(getApp().db, uniqueTenantId());
    const stored = {
      number: '201',
      source: 'local',
      email: 'front.desk@acme.example',
      voicemail: { box: '201', pin: false },
    };
    await writeRaw(paths.extension('201').path, stored);
    assert.deepEqual((await paths.extension('201').get()).data(), stored);
  });

  it('the admin API answers a malformed integration document with 500 and no detail, as for any internal fault', async () => {
    const tenant = await createTestTenant();
    await writeRaw(integrationRef(getApp().db, tenant.tenantId).path, { status: 'connected', scopes: 'all of them' });
    const response = await adminApi(tenant, 'GET', '/api/integrations/google');
    assert.equal(response.status, 500);
    assert.deepEqual(await response.json(), {
      error: { code: 'internal', message: 'Something went wrong on our side. Try again.' },
    });
  });
});
