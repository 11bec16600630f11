// Drives syncs through the admin API and waits for them, as the page does.
import assert from 'node:assert/strict';
import { getApp } from '../../functions/src/app.ts';
import type { Extension } from '../../functions/src/extensions/extension.ts';
import type { RunView } from '../../functions/src/sync/run/run-view.ts';
import { DEFAULT_SETTINGS, type SyncSettings } from '../../functions/src/sync/settings/settings.ts';
import { adminApi, connect } from './connect-flow.ts';
import { createTestTenant, type TestTenant } from './tenants.ts';

/** A business tenant connected to the demo Workspace. */
export async function connectedTenant(): Promise<TestTenant> {
  const tenant = await createTestTenant();
  assert.equal(await connect(tenant), 'connected');
  return tenant;
}

/** Saves settings ("Save") and returns the run it started. */
export async function saveSettings(tenant: TestTenant, overrides: Partial<SyncSettings> = {}): Promise<RunView> {
  const response = await adminApi(tenant, 'PUT', '/api/sync/settings', { ...DEFAULT_SETTINGS, ...overrides });
  const body = (await response.json()) as { run: RunView; error?: { message: string } };
  assert.equal(response.status, 200, body.error?.message);
  return body.run;
}

/** "Sync now". */
export async function syncNow(tenant: TestTenant): Promise<RunView> {
  const response = await adminApi(tenant, 'POST', '/api/sync/runs', {});
  const body = (await response.json()) as { run: RunView; error?: { message: string } };
  assert.equal(response.status, 200, body.error?.message);
  return body.run;
}

/** Polls a run until it is no longer running, nor applying approved removals. */
export async function waitForRun(tenant: TestTenant, runId: string, timeoutMs = 60_000): Promise<RunView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await adminApi(tenant, 'GET', `/api/sync/runs/${runId}`);
    const { run } = (await response.json()) as { run: RunView };
    if (run.status !== 'running' && run.heldDecision !== 'approving') return run;
    if (Date.now() > deadline) throw new Error(`Run ${runId} still running after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Saves settings and waits for the run. */
export async function syncWith(tenant: TestTenant, overrides: Partial<SyncSettings> = {}): Promise<RunView> {
  const run = await saveSettings(tenant, overrides);
  return waitForRun(tenant, run.id);
}

/** The tenant's extensions by number. */
export async function extensionsOf(tenantId: string): Promise<Map<string, Extension>> {
  const snapshot = await getApp().db.collection(`tenants/${tenantId}/extensions`).get();
  return new Map(snapshot.docs.map((doc) => [doc.id, doc.data() as Extension]));
}
