// Sign in with Google over HTTP through the gateway, as a browser does it: the "G" button (which may set the
// __session cookie), Google's sign-in and consent, the callback, and the landing page's API. Every refusal test
// checks the same two things here: no session document, and no cookie set.
import assert from 'node:assert/strict';
import type { IdTokenRecipe } from '../../dev/google/oauth/crafted-tokens.ts';
import { getApp } from '../../functions/src/app.ts';
import type { Extension } from '../../functions/src/extensions/extension.ts';
import { signInOverHttp, type SignInChoices } from './google-signin.ts';
import { useStack } from './stack.ts';
import { connectedTenant, extensionsOf, syncWith } from './sync.ts';
import type { TestTenant } from './tenants.ts';

/** The browser's side of one sign-in attempt. */
export interface SsoAttempt {
  readonly authorizationUrl: URL;
  /** The `__session` cookie pair the browser holds after the "G" button. */
  readonly cookie: string;
}

/** What the browser meets at the callback. */
export interface SsoOutcome {
  readonly status: number;
  /** Where a success sends the browser. */
  readonly location: string | null;
  /** The refusal page's reason and message. */
  readonly reason: string | undefined;
  readonly message: string | undefined;
  /** The new `__session` cookie pair, if one was set. */
  readonly cookie: string | undefined;
  readonly setCookies: readonly string[];
  readonly serverTiming: string | null;
  readonly contentSecurityPolicy: string | null;
}

/** The `__session=…` pair of a response's Set-Cookie, if any. */
export function sessionCookieOf(response: Response): string | undefined {
  return response.headers
    .getSetCookie()
    .find((value) => value.startsWith('__session='))
    ?.split(';')[0];
}

/** Clicks the "G" button of /t/{tenantId}/login; `cookie` is the browser's current `__session`, if any. */
export async function startSso(tenantId: string, cookie = ''): Promise<SsoAttempt> {
  const stack = await useStack();
  const response = await fetch(`${stack.addresses.publicBaseUrl}/t/${tenantId}/sso/google`, {
    redirect: 'manual',
    headers: cookie ? { cookie } : {},
  });
  assert.equal(response.status, 303, `the "G" button answered ${response.status}: ${await response.text()}`);
  return { authorizationUrl: new URL(response.headers.get('location')!), cookie: sessionCookieOf(response) ?? cookie };
}

/** Google's sign-in (and consent) as `choices.email`; returns the URL Google sends the browser back to. */
export async function signInAtGoogle(attempt: SsoAttempt, choices: SignInChoices): Promise<string> {
  const stack = await useStack();
  const result = await signInOverHttp(
    attempt.authorizationUrl.href,
    `${stack.addresses.publicBaseUrl}/sso/google/callback`,
    choices,
  );
  if (result.kind !== 'redirect')
    throw new Error(`Google stopped at a page (${result.status}): ${result.html.slice(0, 300)}`);
  return result.url.href;
}

/** Opens the callback URL with the browser's cookie. */
export async function openSsoCallback(callbackUrl: string, cookie: string | undefined): Promise<SsoOutcome> {
  const response = await fetch(callbackUrl, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const html = await response.text();
  return {
    status: response.status,
    location: response.headers.get('location'),
    reason: /data-reason="([^"]+)"/.exec(html)?.[1],
    message: /<p role="alert">([^<]*)<\/p>/.exec(html)?.[1],
    cookie: sessionCookieOf(response),
    setCookies: response.headers.getSetCookie(),
    serverTiming: response.headers.get('server-timing'),
    contentSecurityPolicy: response.headers.get('content-security-policy'),
  };
}

/** A whole sign-in at `tenantId` as `email`. */
export async function signInWithGoogle(
  tenantId: string,
  email: string,
  cookie = '',
): Promise<SsoOutcome & { attempt: SsoAttempt }> {
  const attempt = await startSso(tenantId, cookie);
  return { ...(await openSsoCallback(await signInAtGoogle(attempt, { email }), attempt.cookie)), attempt };
}

/** Asks the stand-in to rewrite the ID token of its next token response to `clientId`, by a preset or a recipe.
 * Naming the client keeps token refreshes of other tenants' syncs from taking the recipe. */
export async function craftNextIdToken(clientId: string, recipe: { preset: string } | IdTokenRecipe): Promise<void> {
  const stack = await useStack();
  const response = await fetch(`${stack.addresses.googleUrl}/__control/oauth/next-id-token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...recipe, clientId }),
  });
  assert.equal(response.status, 202);
}

/** Calls the login and landing pages' API of `tenantId` with a cookie. */
export async function userApi(
  tenantId: string,
  name: string,
  cookie: string | undefined,
  method: 'GET' | 'POST' = 'GET',
  headers: Record<string, string> = {},
) {
  const stack = await useStack();
  return fetch(`${stack.addresses.publicBaseUrl}/t/${tenantId}/api/${name}`, {
    method,
    headers: { ...(cookie && { cookie }), ...headers },
  });
}

/** The session documents of a tenant. */
export async function sessionsOf(tenantId: string) {
  return (await getApp().db.collection('sessions').where('tenant', '==', tenantId).get()).docs;
}

/** Asserts that a sign-in was refused with `reason`, without a new session document and without any cookie. */
export async function assertRefused(
  outcome: SsoOutcome,
  reason: string,
  tenantId: string,
  sessionsBefore = 0,
): Promise<void> {
  assert.equal(
    outcome.reason,
    reason,
    `refused as ${reason} (got HTTP ${outcome.status}, ${outcome.reason}: ${outcome.message})`,
  );
  assert.ok(outcome.status >= 400, `a refusal page, not HTTP ${outcome.status}`);
  assert.ok(outcome.message && outcome.message.length > 20, 'the page says what happened');
  assert.deepEqual(outcome.setCookies, [], 'no cookie is set');
  assert.match(
    outcome.contentSecurityPolicy ?? '',
    /default-src 'none';.*frame-ancestors 'none'/,
    'the page sets its own CSP: nothing runs, nothing frames it',
  );
  assert.equal((await sessionsOf(tenantId)).length, sessionsBefore, 'no session is stored');
}

/** The extension synced for the Google user with this primary e-mail. */
export async function extensionOf(tenantId: string, email: string): Promise<Extension> {
  const extension = [...(await extensionsOf(tenantId)).values()].find(
    (candidate) => candidate.google?.primaryEmail === email,
  );
  assert.ok(extension, `${email} has an extension`);
  return extension;
}

/** A business tenant connected to the demo Workspace and synchronized with the default settings: its users may sign
 * in. */
export async function syncedTenant(): Promise<TestTenant> {
  const tenant = await connectedTenant();
  await syncWith(tenant);
  return tenant;
}
