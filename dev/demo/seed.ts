// The demo world of the local stack: the tenants, their first admin in the Auth emulator, and the OAuth client an
// admin would create in Google Cloud (guide Step 2), registered at the Google stand-in.
import { Firestore } from '@google-cloud/firestore';
import type { GoogleStandIn } from '../google/server.ts';
import { DEMO_ADMIN_EMAIL } from '../google/fixture/demo.ts';
import type { StackAddresses } from '../stack/stack-config.ts';

/** What npm start prints for a person to try the product. */
export interface DemoWorld {
  readonly tenantId: string;
  readonly adminEmail: string;
  readonly adminPassword: string;
  readonly googleAdminEmail: string;
  readonly oauthClientId: string;
  readonly oauthClientSecret: string;
}

const DEMO = {
  tenantId: 'acme',
  adminEmail: 'pbx-admin@acme.example',
  adminPassword: 'demo-password-1',
  oauthClientId: '123456789012-acmepbxdemo.apps.googleusercontent.com',
  oauthClientSecret: 'GOCSPX-local-demo-secret-acme',
} as const;

/** A Firestore client on the stack's emulator with the emulator's admin credentials. */
export function emulatorFirestore(addresses: StackAddresses): Firestore {
  const [host, port] = addresses.firestoreHost.split(':');
  return new Firestore({
    projectId: addresses.projectId,
    host,
    port: Number(port),
    ssl: false,
    customHeaders: { Authorization: 'Bearer owner' },
  });
}

/** Creates an Auth emulator user with custom claims; returns its uid. */
export async function createAuthUser(
  addresses: StackAddresses,
  user: { email: string; password: string; claims: Record<string, string> },
): Promise<string> {
  const base = `http://${addresses.authHost}/identitytoolkit.googleapis.com/v1`;
  const signUp = await fetch(`${base}/accounts:signUp?key=local`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  const created = (await signUp.json()) as { localId?: string; error?: { message: string } };
  if (!created.localId) throw new Error(`Auth emulator refused ${user.email}: ${created.error?.message}`);
  const update = await fetch(`${base}/projects/${addresses.projectId}/accounts:update`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer owner' },
    body: JSON.stringify({ localId: created.localId, customAttributes: JSON.stringify(user.claims) }),
  });
  if (!update.ok) throw new Error(`Auth emulator could not set claims: ${await update.text()}`);
  return created.localId;
}

/** Seeds the demo tenants, admin and OAuth client. */
export async function seedDemo(addresses: StackAddresses, google: GoogleStandIn): Promise<DemoWorld> {
  const db = emulatorFirestore(addresses);
  try {
    const now = new Date().toISOString();
    await db.doc(`tenants/${DEMO.tenantId}`).set({
      name: 'Acme Corp',
      plan: 'business',
      timeZone: 'Europe/Berlin',
      status: 'active',
      createdAt: now,
    });
    await db.doc('tenants/basic-co').set({
      name: 'Basic Co',
      plan: 'essentials',
      timeZone: 'America/New_York',
      status: 'active',
      createdAt: now,
    });
  } finally {
    await db.terminate();
  }
  await createAuthUser(addresses, {
    email: DEMO.adminEmail,
    password: DEMO.adminPassword,
    claims: { tenant: DEMO.tenantId, role: 'admin' },
  });
  google.registerClient({
    client_id: DEMO.oauthClientId,
    client_secret: DEMO.oauthClientSecret,
    redirect_uris: [`${addresses.publicBaseUrl}/oauth/google/callback`, `${addresses.publicBaseUrl}/sso/google/callback`],
  });
  return { ...DEMO, googleAdminEmail: DEMO_ADMIN_EMAIL };
}
