// Signs in at the Google stand-in over plain HTTP, the way a browser would (cookies, redirects, the Email form,
// the consent form), for tests that need many sign-ins. The browser tests drive the same pages in Chromium.

/** What to do on the stand-in's pages. */
export interface SignInChoices {
  readonly email: string;
  /** Scopes to untick on the consent page. */
  readonly untick?: readonly string[];
  readonly decision?: 'allow' | 'cancel';
}

/** The outcome: the redirect back to the client, or the page where the flow stopped. */
export type SignInResult =
  | { readonly kind: 'redirect'; readonly url: URL }
  | { readonly kind: 'page'; readonly status: number; readonly html: string };

/** Follows an authorization URL through sign-in and consent until it redirects to `redirectUri`. */
export async function signInOverHttp(
  authUrl: string,
  redirectUri: string,
  choices: SignInChoices,
): Promise<SignInResult> {
  const cookies = new Map<string, string>();
  let request: { url: string; method: 'GET' | 'POST'; body?: URLSearchParams } = { url: authUrl, method: 'GET' };
  for (let hop = 0; hop < 20; hop++) {
    const response = await fetch(request.url, {
      method: request.method,
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
      ...(request.body && { body: request.body }),
    });
    for (const setCookie of response.headers.getSetCookie()) {
      const [pair] = setCookie.split(';');
      const at = pair!.indexOf('=');
      cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, request.url);
      if (next.href.startsWith(redirectUri)) return { kind: 'redirect', url: next };
      request = { url: next.href, method: 'GET' };
      continue;
    }
    const html = await response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (response.status !== 200 || !action) return { kind: 'page', status: response.status, html };
    const target = new URL(action, request.url).href;
    if (action.endsWith('/login')) {
      request = { url: target, method: 'POST', body: new URLSearchParams({ email: choices.email }) };
    } else {
      const body = new URLSearchParams({ decision: choices.decision ?? 'allow' });
      for (const [, scope] of html.matchAll(/name="scope" value="([^"]+)"/g)) {
        if (!choices.untick?.includes(scope!)) body.append('scope', scope!);
      }
      request = { url: target, method: 'POST', body };
    }
  }
  throw new Error('Too many redirects at the Google stand-in');
}
