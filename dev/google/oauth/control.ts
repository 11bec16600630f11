// The OAuth side of the stand-in's control endpoint: tests and npm start register OAuth clients (an admin's
// "Create OAuth Client" in Google Cloud) and queue crafted ID tokens.
import express, { type Router } from 'express';
import type { ClientMetadata, KoaContextWithOIDC } from 'oidc-provider';
import type { WorkspaceUsers } from './accounts.ts';
import type { StandInStore } from './adapter.ts';
import type { ClientBlock, ClientStates } from './client-states.ts';
import { craftIdToken, resolveRecipe, type IdTokenRecipe } from './crafted-tokens.ts';
import type { SigningKey } from './keys.ts';
import { GOOGLE_PATHS } from './provider.ts';

const CLIENT_ID = /^\d+-[a-z0-9]+\.apps\.googleusercontent\.com$/;

/** Validates and registers an OAuth client the way Google Cloud's console would create it. */
export function registerClient(store: StandInStore, input: Partial<ClientMetadata>): ClientMetadata {
  const { client_id: clientId, client_secret: clientSecret, redirect_uris: redirectUris } = input;
  if (typeof clientId !== 'string' || !CLIENT_ID.test(clientId)) {
    throw new Error('client_id must look like <digits>-<chars>.apps.googleusercontent.com');
  }
  if (typeof clientSecret !== 'string' || clientSecret.length < 10) throw new Error('client_secret is required');
  if (!Array.isArray(redirectUris) || redirectUris.length === 0) throw new Error('redirect_uris is required');
  const client: ClientMetadata = { client_id: clientId, client_secret: clientSecret, redirect_uris: redirectUris };
  store.registerClient(client);
  return client;
}

/** Rewrites the next token response's ID token when a recipe is queued (for its client, if it names one). */
export function craftedTokenMiddleware(key: SigningKey, queue: IdTokenRecipe[], users: WorkspaceUsers) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    const body = ctx.body as { id_token?: unknown } | undefined;
    if (ctx.path !== GOOGLE_PATHS.token || ctx.status !== 200 || typeof body?.id_token !== 'string') return;
    const clientId = ctx.oidc.client?.clientId;
    const at = queue.findIndex((recipe) => recipe.clientId === undefined || recipe.clientId === clientId);
    if (at === -1) return;
    const [recipe] = queue.splice(at, 1);
    body.id_token = await craftIdToken(body.id_token, recipe!, key, users);
  };
}

const BLOCKS: readonly ClientBlock[] = ['app_blocked', 'reauth_required'];

/** Control routes for OAuth, mounted at /__control/oauth. */
export function oauthControl(store: StandInStore, queue: IdTokenRecipe[], states: ClientStates): Router {
  const router = express.Router();
  router.use(express.json());
  // What an admin does to a client under a live connection: delete it, reset its secret, block the app.
  const done = (res: express.Response, found: boolean) =>
    found ? res.status(204).end() : res.status(404).json({ error: 'no such client' });
  router.post('/clients/:clientId/delete', (req, res) => done(res, states.delete(req.params.clientId)));
  router.post('/clients/:clientId/reset-secret', (req, res) => {
    const secret = (req.body as { client_secret?: unknown } | undefined)?.client_secret;
    if (typeof secret !== 'string' || secret.length < 10)
      return void res.status(400).json({ error: 'client_secret is required' });
    done(res, states.resetSecret(req.params.clientId, secret));
  });
  router.post('/clients/:clientId/block', (req, res) => {
    const block = (req.body as { block?: unknown } | undefined)?.block ?? 'app_blocked';
    if (!BLOCKS.includes(block as ClientBlock))
      return void res.status(400).json({ error: `block must be one of ${BLOCKS.join(', ')}` });
    done(res, states.block(req.params.clientId, block as ClientBlock));
  });
  // An hour passing for the client's access tokens: the next call must refresh.
  router.post('/clients/:clientId/expire-access-tokens', (req, res) => {
    store.expireAccessTokens(req.params.clientId);
    res.status(204).end();
  });
  router.post('/clients/:clientId/unblock', (req, res) => {
    states.unblock(req.params.clientId);
    res.status(204).end();
  });
  router.post('/clients', (req, res) => {
    try {
      res.status(201).json(registerClient(store, (req.body ?? {}) as Partial<ClientMetadata>));
    } catch (error) {
      res.status(400).json({ error: (error as Error).message });
    }
  });
  router.post('/next-id-token', (req, res) => {
    try {
      queue.push(resolveRecipe((req.body ?? {}) as Parameters<typeof resolveRecipe>[0]));
      res.status(202).json({ queued: queue.length });
    } catch (error) {
      res.status(400).json({ error: (error as Error).message });
    }
  });
  router.post('/reset', (_req, res) => {
    queue.length = 0;
    states.reset();
    res.status(204).end();
  });
  return router;
}
