// The demo world of the local stack: two tenants (acme on Business, basic-co on Essentials) with their first
// admins, created by the operator command's own code, and the OAuth client an admin would create in Google
// Cloud (guide Step 2), registered at the Google stand-in.
import { Firestore } from '@google-cloud/firestore';
import type { App } from '../../functions/src/app.ts';
import { createTenant } from '../../functions/src/tenants/create-tenant.ts';
import { DEMO_ADMIN_EMAIL } from '../google/fixture/demo.ts';
import type { GoogleStandIn } from '../google/server.ts';
import type { StackAddresses } from '../stack/stack-config.ts';

/** What npm start prints for a person to try the product. */
export interface DemoWorld {
  readonly tenantId: string;
  readonly adminEmail: string;
  readonly adminPassword: string;
  readonly googleAdminEmail: string;
  readonly oauthClientId: string;
  readonly oauthClientSecret: string;
  readonly essentialsAdminEmail: string;
}

const DEMO = {
  tenantId: 'acme',
  adminEmail: 'pbx-admin@acme.example',
  adminPassword: 'demo-password-1',
  oauthClientId: '123456789012-acmepbxdemo.apps.googleusercontent.com',
  oauthClientSecret: 'GOCSPX-local-demo-secret-acme',
  essentialsAdminEmail: 'pbx-admin@basic-co.example',
} as const;

/** A Firestore client on the stack's emulator with the emulator's admin credentials. */
export function emulatorFirestore(addresses: StackAddresses): Firestore {
  const [host, port] = addresses.firestoreHost.split(':');
  return new Firestore({ projectId: addresses.projectId, host, port: Number(port), ssl: false });
}

/** Registers an OAuth client at the stand-in with the product's two redirect URIs, as guide Step 2 does. */
export function registerProductClient(
  google: GoogleStandIn,
  addresses: StackAddresses,
  clientId: string,
  clientSecret: string,
): void {
  google.registerClient({
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [
      `${addresses.publicBaseUrl}/oauth/google/callback`,
      `${addresses.publicBaseUrl}/sso/google/callback`,
    ],
  });
}

/** Seeds the demo tenants, admins and OAuth client. */
export async function seedDemo(app: App, addresses: StackAddresses, google: GoogleStandIn): Promise<DemoWorld> {
  await createTenant(app, {
    id: DEMO.tenantId,
    name: 'Acme Corp',
    plan: 'business',
    timeZone: 'Europe/Berlin',
    adminEmail: DEMO.adminEmail,
    adminPassword: DEMO.adminPassword,
  });
  await createTenant(app, {
    id: 'basic-co',
    name: 'Basic Co',
    plan: 'essentials',
    timeZone: 'America/New_York',
    adminEmail: DEMO.essentialsAdminEmail,
    adminPassword: DEMO.adminPassword,
  });
  registerProductClient(google, addresses, DEMO.oauthClientId, DEMO.oauthClientSecret);
  return { ...DEMO, googleAdminEmail: DEMO_ADMIN_EMAIL };
}
