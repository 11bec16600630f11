// Drives connect over HTTP through the gateway, as the console and a browser would: the admin API call (which
// sets the __session cookie), Google's sign-in and consent, and the callback.
import { useStack } from './stack.ts';
import { signInOverHttp, type SignInChoices } from './google-signin.ts';
import { signInAdmin, type TestTenant } from './tenants.ts';

/** The browser's side of one connect attempt. */
export interface ConnectAttempt {
  readonly authorizationUrl: string;
  readonly cookie: string;
}

/** Calls the admin API with the tenant admin's ID token. */
export async function adminApi(
  tenant: TestTenant,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: object,
  headers: Record<string, string> = {},
) {
  const stack = await useStack();
  const token = await signInAdmin(tenant.adminEmail, tenant.adminPassword);
  return fetch(`${stack.addresses.publicBaseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body && { 'Content-Type': 'application/json' }), ...headers },
    ...(body && { body: JSON.stringify(body) }),
  });
}

/** "Save" in the Integrate dialog (or "Reauthorize" when no credentials are given). */
export async function startConnect(
  tenant: TestTenant,
  credentials?: { clientId: string; clientSecret: string },
): Promise<ConnectAttempt> {
  const response = await adminApi(
    tenant,
    'POST',
    credentials ? '/api/integrations/google/connect' : '/api/integrations/google/reauthorize',
    credentials ?? {},
  );
  if (response.status !== 200) throw new Error(`connect answered ${response.status}: ${await response.text()}`);
  const { authorizationUrl } = (await response.json()) as { authorizationUrl: string };
  const cookie =
    response.headers
      .getSetCookie()
      .find((value) => value.startsWith('__session='))
      ?.split(';')[0] ?? '';
  return { authorizationUrl, cookie };
}

/** Google's sign-in and consent; returns the callback URL Google redirects the browser to. */
export async function consentAtGoogle(attempt: ConnectAttempt, choices: SignInChoices): Promise<string> {
  const stack = await useStack();
  const result = await signInOverHttp(
    attempt.authorizationUrl,
    `${stack.addresses.publicBaseUrl}/oauth/google/callback`,
    choices,
  );
  if (result.kind !== 'redirect') throw new Error(`Google stopped at a page (${result.status})`);
  return result.url.href;
}

/** The callback in the browser; returns the outcome the page is sent back with. */
export async function openCallback(callbackUrl: string, cookie: string): Promise<string> {
  const response = await fetch(callbackUrl, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const location = response.headers.get('location') ?? '';
  return new URL(location, callbackUrl).searchParams.get('google') ?? `HTTP ${response.status}`;
}

/** A whole connect with the tenant's own client; returns the outcome. */
export async function connect(
  tenant: TestTenant,
  choices: SignInChoices = { email: 'admin@acme.example' },
): Promise<string> {
  const attempt = await startConnect(tenant, { clientId: tenant.clientId, clientSecret: tenant.clientSecret });
  return openCallback(await consentAtGoogle(attempt, choices), attempt.cookie);
}
