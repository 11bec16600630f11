// The tenant a benchmark measures: made, connected to the demo Workspace as its super admin, and synced once.
import { randomBytes } from 'node:crypto';
import { getApp } from '../../functions/src/app.ts';
import type { Extension } from '../../functions/src/extensions/extension.ts';
import { DEFAULT_SETTINGS, type SyncSettings } from '../../functions/src/sync/settings/settings.ts';
import { createTenant } from '../../functions/src/tenants/create-tenant.ts';
import { registerProductClient } from '../demo/seed.ts';
import { DEMO_ADMIN_EMAIL } from '../google/fixture/demo.ts';
import type { RunningStack } from '../stack/stack.ts';
import { AdminClient, waitForRun } from './admin-client.ts';

/** No schedule, so no scheduled run starts during a measurement; no mail to send. */
export const BENCH_SETTINGS: SyncSettings = {
  ...DEFAULT_SETTINGS,
  welcomeEmail: false,
  schedule: { frequency: 'off', time: '00:30' },
};

/** A benchmark's tenant: its id, its admin on the admin API, and the OAuth client it connected with. */
export interface BenchTenant {
  readonly tenantId: string;
  readonly admin: AdminClient;
  readonly client: { readonly clientId: string; readonly clientSecret: string };
}

/** A business tenant connected to the demo Workspace and synced once (All Users, no schedule, no mail). */
export async function syncedTenant(stack: RunningStack, prefix: string, log: (line: string) => void): Promise<string> {
  return (await syncedBenchTenant(stack, prefix, log)).tenantId;
}

/** syncedTenant's tenant, with its admin and OAuth client, for a benchmark that connects again or calls the API. */
export async function syncedBenchTenant(
  stack: RunningStack,
  prefix: string,
  log: (line: string) => void,
): Promise<BenchTenant> {
  const tenant = await connectedBenchTenant(stack, prefix, DEMO_ADMIN_EMAIL, log);
  log(`Syncing tenant ${tenant.tenantId}…`);
  const { admin } = tenant;
  const run = await waitForRun(admin, (await admin.run('PUT', '/api/sync/settings', BENCH_SETTINGS)).id, 120_000, log);
  if (run.status !== 'succeeded') throw new Error(`The sync ended ${run.status}: ${run.failure ?? ''}`);
  return tenant;
}

/** A business tenant with its admin, connected to the stand-in's Workspace as `googleAdmin`, not yet synced. */
export async function connectedBenchTenant(
  stack: RunningStack,
  prefix: string,
  googleAdmin: string,
  log: (line: string) => void,
): Promise<BenchTenant> {
  const suffix = randomBytes(4).toString('hex');
  const tenantId = `${prefix}-${suffix}`;
  const adminEmail = `pbx-admin@${tenantId}.example`;
  const adminPassword = `pw-${randomBytes(12).toString('hex')}`;
  const client = {
    clientId: `${100000000000 + Math.floor(Math.random() * 1e11)}-${prefix.replace(/[^a-z]/g, '')}${suffix}.apps.googleusercontent.com`,
    clientSecret: `GOCSPX-${randomBytes(14).toString('base64url')}`,
  };
  await createTenant(getApp(), {
    id: tenantId,
    name: `Benchmark ${tenantId}`,
    plan: 'business',
    timeZone: 'Europe/Berlin',
    adminEmail,
    adminPassword,
  });
  registerProductClient(stack.google, stack.addresses, client.clientId, client.clientSecret);
  const admin = new AdminClient(stack.addresses, adminEmail, adminPassword);
  log(`Connecting tenant ${tenantId} as ${googleAdmin}…`);
  await admin.connect(client, googleAdmin);
  return { tenantId, admin, client };
}

// The users who may sign in: every active Google-managed extension.
export async function activeUsers(tenantId: string): Promise<string[]> {
  const snapshot = await getApp()
    .db.collection(`tenants/${tenantId}/extensions`)
    .where('google.status', '==', 'active')
    .get();
  const emails = snapshot.docs.map((doc) => (doc.data() as Extension).google!.primaryEmail);
  if (emails.length === 0) throw new Error('The sync linked no active user');
  return emails;
}
