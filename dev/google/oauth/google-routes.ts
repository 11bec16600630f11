// The Google endpoints oidc-provider does not serve the way Google does: X.509 certificates by key id, a revoke
// endpoint that takes `?token=` without client authentication and kills every token of the account at that client,
// and tokeninfo.
import express, { type Router } from 'express';
import type Provider from 'oidc-provider';
import type { WorkspaceUsers } from './accounts.ts';
import type { StandInStore } from './adapter.ts';
import type { SigningKey } from './keys.ts';
import { GOOGLE_PATHS } from './provider.ts';
import { grantedScopeString } from './granted-scope.ts';

/** What an access token stands for, as the Directory stand-in needs it. */
export interface AccessTokenInfo {
  readonly email: string;
  readonly scopes: readonly string[];
  readonly clientId: string;
  readonly expiresIn: number;
}

/** Looks up a live access token: unknown, expired and revoked tokens give undefined. */
export async function inspectAccessToken(
  provider: Provider,
  users: WorkspaceUsers,
  consumers: Map<string, string>,
  token: string,
): Promise<AccessTokenInfo | undefined> {
  const accessToken = await provider.AccessToken.find(token);
  if (!accessToken || accessToken.isExpired || !accessToken.accountId) return undefined;
  if (accessToken.grantId && !(await provider.Grant.find(accessToken.grantId))) return undefined;
  const email = users.userById(accessToken.accountId)?.primaryEmail ?? consumers.get(accessToken.accountId);
  if (!email) return undefined;
  return {
    email,
    scopes: (accessToken.scope ?? '').split(' ').filter(Boolean),
    clientId: accessToken.clientId ?? '',
    expiresIn: accessToken.remainingTTL,
  };
}

/** Google's revoke, PEM certificate and tokeninfo routes. */
export function googleRoutes(options: {
  provider: Provider;
  store: StandInStore;
  key: SigningKey;
  inspect: (token: string) => Promise<AccessTokenInfo | undefined>;
}): Router {
  const { provider, store, key } = options;
  const router = express.Router();

  router.get(GOOGLE_PATHS.pemCerts, (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').json({ [key.kid]: key.certificatePem });
  });

  router.post(GOOGLE_PATHS.revoke, express.urlencoded({ extended: false }), async (req, res) => {
    const token = textOf(req.query['token']) || textOf((req.body as { token?: unknown } | undefined)?.token);
    const found = (await provider.RefreshToken.find(token)) ?? (await provider.AccessToken.find(token));
    if (!found?.accountId || !found.clientId) {
      res.status(400).json({ error: 'invalid_token', error_description: 'Token expired or revoked' });
      return;
    }
    // Google: "If the token is an access token and it has a corresponding refresh token, the refresh token will
    // also be revoked", and every other token of the account at the client goes with them.
    store.revokeAccountAtClient(found.accountId, found.clientId);
    res.status(200).json({});
  });

  // GET ?access_token= as documented, and POST with the token as a bearer credential, as google-auth-library's
  // getTokenInfo sends it.
  const tokenInfo: express.RequestHandler = async (req, res) => {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
    const info = await options.inspect(bearer ?? textOf(req.query['access_token']));
    if (!info) {
      res.status(400).json({ error: 'invalid_token', error_description: 'Invalid Value' });
      return;
    }
    res.json({
      azp: info.clientId,
      aud: info.clientId,
      scope: grantedScopeString(info.scopes.join(' ')),
      expires_in: String(info.expiresIn),
      email: info.email,
      email_verified: 'true',
    });
  };
  router.get(GOOGLE_PATHS.tokenInfo, tokenInfo);
  router.post(GOOGLE_PATHS.tokenInfo, tokenInfo);
  return router;
}

// A query or form parameter as Google reads it: the text, or nothing when absent or repeated.
function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
