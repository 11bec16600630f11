// The tenant admin's side of the benchmark, over HTTP through the Hosting gateway as the console and a browser
// would do it: the Auth emulator sign-in, the admin API, and connect through Google's sign-in and consent pages.
// A small copy of test/support's helpers: those start their own test stack on first use, which would clash here.
import type { RunView } from '../../functions/src/sync/run/run-view.ts';
import type { StackAddresses } from '../stack/stack-config.ts';

type Method = 'GET' | 'POST' | 'PUT';

// ID tokens last an hour; a 100k run with its set-up stays well inside this.
const TOKEN_REUSE_MS = 30 * 60_000;

/** Calls the admin API as one tenant admin. */
export class AdminClient {
  readonly addresses: StackAddresses;
  readonly email: string;
  readonly #password: string;
  #token: { value: string; at: number } | undefined;

  constructor(addresses: StackAddresses, email: string, password: string) {
    this.addresses = addresses;
    this.email = email;
    this.#password = password;
  }

  /** Sends a request with the admin's ID token; fails on any non-2xx answer, naming the route. */
  async call(method: Method, path: string, body?: object): Promise<Response> {
    const response = await fetch(`${this.addresses.publicBaseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${await this.idToken()}`, ...(body && { 'Content-Type': 'application/json' }) },
      ...(body && { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return response;
  }

  /** A call whose answer carries a run, as every sync route's does. */
  async run(method: Method, path: string, body?: object): Promise<RunView> {
    const { run } = (await (await this.call(method, path, body)).json()) as { run: RunView | null };
    if (!run) throw new Error(`${method} ${path} answered without a run`);
    return run;
  }

  /** The whole connect (guide Steps 1-3) with this OAuth client, consented to by `googleEmail`. */
  async connect(client: { clientId: string; clientSecret: string }, googleEmail: string): Promise<void> {
    const started = await this.call('POST', '/api/integrations/google/connect', client);
    const { authorizationUrl } = (await started.json()) as { authorizationUrl: string };
    // The callback checks that the browser which started the connect is the one that comes back.
    const session =
      started.headers
        .getSetCookie()
        .find((value) => value.startsWith('__session='))
        ?.split(';')[0] ?? '';
    const callbackUrl = await consentAtGoogle(
      authorizationUrl,
      `${this.addresses.publicBaseUrl}/oauth/google/callback`,
      googleEmail,
    );
    const callback = await fetch(callbackUrl, { redirect: 'manual', headers: session ? { cookie: session } : {} });
    const outcome = new URL(callback.headers.get('location') ?? '', callbackUrl).searchParams.get('google');
    if (outcome !== 'connected')
      throw new Error(`Connect ended with "${outcome ?? `HTTP ${callback.status}`}", not "connected"`);
  }

  async idToken(): Promise<string> {
    if (this.#token && Date.now() - this.#token.at < TOKEN_REUSE_MS) return this.#token.value;
    const url = `http://${this.addresses.authHost}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=local-api-key`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: this.email, password: this.#password, returnSecureToken: true }),
    });
    const body = (await response.json()) as { idToken?: string; error?: { message: string } };
    if (!body.idToken) throw new Error(`Admin sign-in failed for ${this.email}: ${body.error?.message}`);
    this.#token = { value: body.idToken, at: Date.now() };
    return body.idToken;
  }
}

/** Follows Google's pages (Email → Next, then Allow with every scope ticked) until the redirect to the product. */
export async function consentAtGoogle(authorizationUrl: string, redirectUri: string, email: string): Promise<string> {
  const cookies = new Map<string, string>();
  let request: { url: string; body?: URLSearchParams } = { url: authorizationUrl };
  for (let hop = 0; hop < 20; hop++) {
    const response = await fetch(request.url, {
      method: request.body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
      ...(request.body && { body: request.body }),
    });
    for (const setCookie of response.headers.getSetCookie()) {
      const pair = setCookie.split(';')[0] ?? '';
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, request.url).href;
      if (next.startsWith(redirectUri)) return next;
      request = { url: next };
      continue;
    }
    const html = await response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (response.status !== 200 || !action)
      throw new Error(`Google's sign-in stopped at a page (HTTP ${response.status})`);
    const target = new URL(action, request.url).href;
    if (action.endsWith('/login')) {
      request = { url: target, body: new URLSearchParams({ email }) };
    } else {
      const body = new URLSearchParams({ decision: 'allow' });
      for (const [, scope] of html.matchAll(/name="scope" value="([^"]+)"/g)) if (scope) body.append('scope', scope);
      request = { url: target, body };
    }
  }
  throw new Error('Too many redirects at the Google stand-in');
}

/** As often as the admin's page asks while a run is shown (web/src/console/views/sync.ts): each poll reads the
 * run's live view, whose queries load the store like an admin watching the run; the wall comes from the run's own
 * end, so the interval adds nothing to it. */
const POLL_MS = 1000;

/** Polls a run until it is no longer running, reporting progress every 10 s. */
export async function waitForRun(
  admin: AdminClient,
  runId: string,
  timeoutMs: number,
  log: (line: string) => void,
): Promise<RunView> {
  const deadline = Date.now() + timeoutMs;
  let lastReport = Date.now();
  for (;;) {
    const run = await admin.run('GET', `/api/sync/runs/${runId}`);
    if (run.status !== 'running') return run;
    if (Date.now() > deadline) throw new Error(`Run ${runId} still running after ${(timeoutMs / 1000).toFixed(0)} s`);
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      log(`  … ${run.progress.pagesDone} pages, ${run.progress.usersListed} users listed`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
