// The Google stand-in: one origin serving what the product uses of accounts.google.com, oauth2.googleapis.com,
// www.googleapis.com and admin.googleapis.com, under Google's own paths, plus a control endpoint for tests.
import type { Server } from 'node:http';
import express from 'express';
import type { ClientMetadata } from 'oidc-provider';
import { createDirectoryControl } from './directory/control.ts';
import { DirectoryFaults } from './directory/faults.ts';
import { createPushControl } from './directory/push/control.ts';
import { DirectoryPush } from './directory/push/hub.ts';
import { createDirectoryApi } from './directory/router.ts';
import { loadFixture } from './fixture/load.ts';
import { demoFixture } from './fixture/demo.ts';
import { FixtureStore } from './fixture/store.ts';
import type { WorkspaceUsers } from './oauth/accounts.ts';
import { StandInStore } from './oauth/adapter.ts';
import { ClientStates, clientStateMiddleware } from './oauth/client-states.ts';
import { craftedTokenMiddleware, oauthControl, registerClient } from './oauth/control.ts';
import type { IdTokenRecipe } from './oauth/crafted-tokens.ts';
import { googleRoutes, inspectAccessToken } from './oauth/google-routes.ts';
import { grantedScopeMiddleware } from './oauth/granted-scope.ts';
import { interactionRoutes } from './oauth/interactions.ts';
import { generateSigningKey } from './oauth/keys.ts';
import { createProvider, INTERACTION_PREFIX } from './oauth/provider.ts';

/** A running Google stand-in. */
export interface GoogleStandIn {
  readonly url: string;
  readonly fixtures: FixtureStore;
  readonly faults: DirectoryFaults;
  /** Push channels (users.watch) and the notifications sent on them. */
  readonly push: DirectoryPush;
  /** What an admin did to OAuth clients: deleted, secret reset, blocked. */
  readonly clients: ClientStates;
  registerClient(client: Partial<ClientMetadata>): ClientMetadata;
  /** The OAuth clients registered so far. */
  registeredClients(): Iterable<ClientMetadata>;
  /** Every token and authorization code issued so far. */
  issuedCredentials(): Iterable<string>;
  close(): Promise<void>;
}

/** Starts the stand-in on a fixed loopback port: the issuer includes the port, so it is bound first. */
export async function startGoogleStandIn(options: {
  port: number;
  fixtureFile?: string | undefined;
  /** Whether push notifications are sent (true by default); the control API switches it. */
  pushDelivery?: boolean;
}): Promise<GoogleStandIn> {
  const url = `http://127.0.0.1:${options.port}`;
  const fixtures = new FixtureStore(options.fixtureFile ? loadFixture(options.fixtureFile) : demoFixture());
  const faults = new DirectoryFaults();
  const push = new DirectoryPush({ fixtures, clock: () => faults.now(), deliver: options.pushDelivery ?? true });
  const store = new StandInStore();
  const key = generateSigningKey();
  const consumers = new Map<string, string>();
  const recipes: IdTokenRecipe[] = [];
  const users: WorkspaceUsers = {
    userByEmail: (email) => fixtures.findUserAnywhere(email)?.user,
    userById: (id) => fixtures.findUserAnywhere(id)?.user,
    primaryDomainOf: (id) => fixtures.findUserAnywhere(id)?.org.domain,
  };

  const clientStates = new ClientStates(store);
  const provider = createProvider({ issuer: url, key, store, users, consumers });
  provider.use(craftedTokenMiddleware(key, recipes, users));
  provider.use(grantedScopeMiddleware());
  provider.use(clientStateMiddleware(provider, clientStates));
  const inspect = (token: string) => inspectAccessToken(provider, users, consumers, token);

  const app = express();
  app.disable('x-powered-by');
  app.use('/__control/directory/push', createPushControl(push));
  app.use('/__control/directory', createDirectoryControl({ fixtures, faults, push }));
  app.use('/__control/oauth', oauthControl(store, recipes, clientStates));
  app.use(googleRoutes({ provider, store, key, inspect }));
  app.use(INTERACTION_PREFIX, interactionRoutes(provider, users, consumers));
  app.use(createDirectoryApi({ fixtures, faults, push, inspectToken: inspect }));
  app.use(provider.callback());

  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(options.port, '127.0.0.1', () => resolve(listening));
    listening.once('error', reject);
  });
  return {
    url,
    fixtures,
    faults,
    push,
    clients: clientStates,
    registerClient: (client) => registerClient(store, client),
    registeredClients: () => store.clients.values(),
    issuedCredentials: () => store.everIssued.values(),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
