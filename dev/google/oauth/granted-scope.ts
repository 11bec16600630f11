// The `scope` Google reports in a token response (code exchange and refresh) and at tokeninfo. Google names the
// identity scopes by their long URLs whichever name was asked for: asked for "email profile", it reports
// "https://www.googleapis.com/auth/userinfo.email openid https://www.googleapis.com/auth/userinfo.profile"
// (github.com/googleapis/google-api-python-client/pull/1088; tokeninfo alike, github.com/google/oauth2l/issues/88).
// It never reports offline_access, which it does not know as a scope at all
// (github.com/lukaszraczylo/traefikoidc/issues/44): offline access is access_type=offline, and oidc-provider's
// offline_access is the stand-in's own way of granting it (provider.ts).
import type { KoaContextWithOIDC } from 'oidc-provider';
import { GOOGLE_PATHS } from './provider.ts';

const LONG_NAMES: Readonly<Record<string, string>> = {
  email: 'https://www.googleapis.com/auth/userinfo.email',
  profile: 'https://www.googleapis.com/auth/userinfo.profile',
};

/** A space-separated scope as the provider granted it, in Google's words. */
export function grantedScopeString(scope: string): string {
  const named = scope
    .split(' ')
    .filter((name) => name !== '' && name !== 'offline_access')
    .map((name) => LONG_NAMES[name] ?? name);
  return [...new Set(named)].join(' ');
}

/** Rewrites the `scope` of every successful token response (code exchange and refresh alike). */
export function grantedScopeMiddleware() {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    const body = ctx.body as { scope?: unknown } | undefined;
    if (ctx.path !== GOOGLE_PATHS.token || ctx.status !== 200 || typeof body?.scope !== 'string') return;
    body.scope = grantedScopeString(body.scope);
  };
}
