// Test tenants: each test gets its own tenant, admin and Google OAuth client, so tests never share state.
import { randomBytes } from 'node:crypto';
import { getApp } from '../../functions/src/app.ts';
import { createTenant } from '../../functions/src/tenants/create-tenant.ts';
import { registerProductClient } from '../../dev/demo/seed.ts';
import { uniqueTenantId, useStack } from './stack.ts';

/** A tenant made for one test. */
export interface TestTenant {
  readonly tenantId: string;
  readonly adminEmail: string;
  readonly adminPassword: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Creates a tenant with its admin, and registers an OAuth client for it at the Google stand-in. */
export async function createTestTenant(options: { plan?: string } = {}): Promise<TestTenant> {
  const stack = await useStack();
  const tenantId = uniqueTenantId();
  const tenant = {
    tenantId,
    adminEmail: `admin@${tenantId}.example`,
    adminPassword: `pw-${randomBytes(8).toString('hex')}`,
    clientId: `${100000000000 + Math.floor(Math.random() * 1e11)}-${randomBytes(8).toString('hex')}.apps.googleusercontent.com`,
    clientSecret: `GOCSPX-${randomBytes(14).toString('base64url')}`,
  };
  await createTenant(getApp(), {
    id: tenantId,
    name: `Test ${tenantId}`,
    plan: options.plan ?? 'business',
    timeZone: 'Europe/Berlin',
    adminEmail: tenant.adminEmail,
    adminPassword: tenant.adminPassword,
  });
  registerProductClient(stack.google, stack.addresses, tenant.clientId, tenant.clientSecret);
  return tenant;
}

/** Signs in at the Auth emulator (the test stack's, unless another is named) with e-mail and password, as the
 * console does, and returns the ID token. */
export async function signInAdmin(email: string, password: string, authHost?: string): Promise<string> {
  const host = authHost ?? (await useStack()).addresses.authHost;
  const response = await fetch(
    `http://${host}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=local-api-key`,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password, returnSecureToken: true }),
    },
  );
  const body = (await response.json()) as { idToken?: string; error?: { message: string } };
  if (!body.idToken) throw new Error(`Sign-in failed for ${email}: ${body.error?.message}`);
  return body.idToken;
}
