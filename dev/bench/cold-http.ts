// The first request of each HTTP function in the cold-start benchmark: a real one, on the path Hosting forwards
// (its rewrites keep the original path). Where a request needs a browser's earlier steps (the state of a connect or
// a sign-in, Google's consent), they are taken beforehand through the stack's warm functions, so the cold process
// answers only its own step.
import { DEMO_ADMIN_EMAIL } from '../google/fixture/demo.ts';
import { notificationOf } from '../google/directory/push/delivery.ts';
import { pushChannels, pushPaths } from '../../functions/src/push/push-documents.ts';
import { consentAtGoogle } from './admin-client.ts';
import { waitFor, waitForQuietTenant, type ColdWorld, type FirstRequest } from './cold-world.ts';

type HttpRequestMaker = (world: ColdWorld) => Promise<FirstRequest>;

const sessionCookieOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .find((value) => value.startsWith('__session='))
    ?.split(';')[0];

const redirectTo = (response: Response, expected: RegExp): string | undefined => {
  const location = response.headers.get('location') ?? '';
  return response.status === 303 && expected.test(location) ? undefined : `HTTP ${response.status} to "${location}"`;
};

// Sends `url`'s path and query (an address on the public origin) to the cold process, as Hosting's rewrite would.
function sendOnPath(url: string, cookie: string | undefined) {
  return (origin: string) => {
    const { pathname, search } = new URL(url);
    return fetch(`${origin}${pathname}${search}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  };
}

/** The first request of each HTTP function. */
export const HTTP_FIRST_REQUESTS: Readonly<Record<string, HttpRequestMaker>> = {
  // The config page's first call: the integration's state, with the admin's ID token verified (revocation too).
  adminApi: async (world) => {
    const token = await world.admin.idToken();
    return {
      send: (origin) => fetch(`${origin}/api/integrations/google`, { headers: { Authorization: `Bearer ${token}` } }),
      check: (response, body) =>
        response.status === 200 && body.includes('"connected"') ? undefined : `HTTP ${response.status}: ${body}`,
    };
  },

  // Google's return from a reconnect by the super admin: code exchange, the directory read, the refresh token
  // stored, channels kept and a sync started (waited for).
  oauthCallback: async (world) => {
    const started = await world.admin.call('POST', '/api/integrations/google/connect', world.client);
    const { authorizationUrl } = (await started.json()) as { authorizationUrl: string };
    const base = world.stack.addresses.publicBaseUrl;
    const callbackUrl = await consentAtGoogle(authorizationUrl, `${base}/oauth/google/callback`, DEMO_ADMIN_EMAIL);
    return {
      send: sendOnPath(callbackUrl, sessionCookieOf(started)),
      check: (response) => redirectTo(response, /[?&]google=connected\b/),
      settle: () => waitForQuietTenant(world),
    };
  },

  // The "G" button: discovery at Google, the state recorded, the browser sent to Google.
  ssoStart: async (world) => ({
    send: (origin) => fetch(`${origin}/t/${world.tenantId}/sso/google`, { redirect: 'manual' }),
    check: (response) => redirectTo(response, /\/o\/oauth2\/v2\/auth\?/),
  }),

  // An employee back from Google: the code exchanged, the ID token checked against Google's keys (downloaded, as on
  // any cold instance), the user admitted and a session created.
  ssoCallback: async (world) => {
    const base = world.stack.addresses.publicBaseUrl;
    const start = await fetch(`${base}/t/${world.tenantId}/sso/google`, { redirect: 'manual' });
    const authorizationUrl = start.headers.get('location');
    if (start.status !== 303 || !authorizationUrl) throw new Error(`The "G" button answered ${start.status}`);
    const callbackUrl = await consentAtGoogle(authorizationUrl, `${base}/sso/google/callback`, world.user.email);
    return {
      send: sendOnPath(callbackUrl, sessionCookieOf(start)),
      check: (response) => redirectTo(response, new RegExp(`/t/${world.tenantId}/home`)),
    };
  },

  // The login page asking whether to show the "G" button.
  userApi: async (world) => ({
    send: (origin) => fetch(`${origin}/t/${world.tenantId}/api/sign-in`),
    check: (response, body) =>
      response.status === 200 && body === '{"google":true}' ? undefined : `HTTP ${response.status}: ${body}`,
  }),

  // Google's notification of a changed user on the tenant's live channel: checked and queued as a pushUser task,
  // which the stack's warm tasks process then applies (waited for).
  directoryPush: async (world) => {
    const { db } = world.app;
    const now = Date.now();
    const records = await pushChannels(db).where('tenant', '==', world.tenantId).get();
    const record = records.docs.find((doc) => doc.data().event === 'update' && doc.data().expiresAt > now);
    const channel = world.stack.google.push.channels.all().find((open) => open.id === record?.id);
    const user = world.stack.google.fixtures.findUserAnywhere(world.user.userId)?.user;
    if (!channel || !user) throw new Error(`Tenant ${world.tenantId} has no live update channel for its user`);
    // Far above the stand-in's own numbering, so it names a notification of its own.
    const messageNumber = 1_000_000 + world.nextSerial();
    const notification = notificationOf(channel, 'update', messageNumber, user);
    const claim = pushPaths(db, world.tenantId).event(`${channel.id}:${messageNumber}`);
    return {
      send: (origin) =>
        fetch(`${origin}/google/directory/push`, {
          method: 'POST',
          headers: notification.headers,
          body: notification.body,
        }),
      check: (response) => (response.status === 200 ? undefined : `HTTP ${response.status}`),
      settle: () =>
        waitFor(
          async () => (await claim.get()).get('status') === 'done',
          `the pushUser task of notification ${messageNumber}`,
        ),
    };
  },
};
