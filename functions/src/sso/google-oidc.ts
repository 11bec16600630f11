// The OpenID relying party for "Sign in with Google", on openid-client. The issuer is configuration (Google live,
// the stand-in locally), and so are the forms of it an ID token may name (Google's legacy one too, see
// token-response-tape.ts). A warm instance discovers the issuer once, keeps each tenant's client configuration,
// and shares the issuer's keys between them, so a callback costs no discovery and no key download, only the token
// call.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import type * as client from 'openid-client';
import type { AppConfig } from '../config.ts';
import { tapedFetch, TokenResponseTape } from './token-response-tape.ts';

/** What the callback hands over: the tenant's client, and a way to read its secret only when not yet cached. */
export interface TenantClient {
  readonly clientId: string;
  /** The pinned Secret Manager version of the client secret; a new version means a new configuration. */
  readonly secretVersion: string;
  readonly readSecret: () => Promise<string>;
}

/** The checks of one authorization response, from the state record. */
export interface CodeChecks {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

/** Time spent waiting for Google during one request, so the callback can report its own time apart from it. */
export interface GoogleWait {
  ms: number;
}

const googleWait = new AsyncLocalStorage<GoogleWait>();

/** Runs `work`, adding the time of every request made to Google on its behalf to `wait`. */
export function measureGoogleWait<T>(wait: GoogleWait, work: () => Promise<T>): Promise<T> {
  return googleWait.run(wait, work);
}

// Reads the whole answer inside the measured span, so body download counts as Google's time, not ours.
const timedFetch: client.CustomFetch = async (url, options) => {
  const started = performance.now();
  try {
    const response = await fetch(url, options);
    const body = await response.arrayBuffer();
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  } finally {
    const wait = googleWait.getStore();
    if (wait) wait.ms += performance.now() - started;
  }
};

const googleFetch = tapedFetch(timedFetch);

/** Enough tenants for a warm instance; the oldest configuration is dropped beyond this. */
const MAX_CLIENTS = 500;
const TIMEOUT_SECONDS = 10;

/** Google as an OpenID provider for every tenant's own OAuth client. */
export class GoogleOidc {
  /** openid-client itself, loaded when the first relying party is built: only the sign-in functions need it. */
  readonly #openid: typeof client;
  readonly #issuer: URL;
  /** Every `iss` an ID token may carry: the discovered issuer and its legacy form. */
  readonly #issuers: readonly string[];
  readonly #execute: Array<(configuration: client.Configuration) => void>;
  #metadata: Promise<client.ServerMetadata> | undefined;
  #keys: client.ExportedJWKSCache | undefined;
  readonly #clients = new Map<string, Promise<client.Configuration>>();

  constructor(config: AppConfig) {
    this.#openid = createRequire(import.meta.url)('openid-client') as typeof client;
    this.#issuer = new URL(config.google.issuer);
    this.#issuers = config.google.issuers;
    // The code comes over TLS from Google's token endpoint, which openid-client would trust without checking the
    // ID token's signature; non-repudiation checks make it verify the signature against the issuer's keys too.
    this.#execute = [
      // Only the local stand-in is served over http (config refuses it in live mode).
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      ...(config.sso.allowHttpIssuer ? [this.#openid.allowInsecureRequests] : []),
      this.#openid.enableNonRepudiationChecks,
    ];
  }

  /** Google's authorization URL for `clientId` with the given parameters. */
  async authorizationUrl(clientId: string, parameters: Record<string, string>): Promise<URL> {
    return this.#openid.buildAuthorizationUrl(
      this.#configure(await this.#serverMetadata(clientId), clientId),
      parameters,
    );
  }

  /** Exchanges the code of `callbackUrl` and checks the ID token (signature, iss, aud, exp, nonce); returns its
   * claims. */
  async exchangeCode(tenant: TenantClient, callbackUrl: URL, checks: CodeChecks): Promise<client.IDToken> {
    const metadata = await this.#serverMetadata(tenant.clientId);
    const tape = new TokenResponseTape(metadata.token_endpoint);
    try {
      return await tape.recording(() => this.#authorizationCodeGrant(tenant, metadata.issuer, callbackUrl, checks));
    } catch (error) {
      const issuer = tape.otherIssuerNamed(this.#issuers, metadata.issuer);
      if (issuer === undefined) throw error;
      return tape.replaying(() => this.#checkTokenResponse(tenant, issuer, checks.nonce));
    }
  }

  async #authorizationCodeGrant(
    tenant: TenantClient,
    issuer: string,
    callbackUrl: URL,
    checks: CodeChecks,
  ): Promise<client.IDToken> {
    const configuration = await this.#clientConfiguration(tenant, issuer);
    try {
      const tokens = await this.#openid.authorizationCodeGrant(configuration, callbackUrl, {
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        pkceCodeVerifier: checks.codeVerifier,
        idTokenExpected: true,
      });
      return claimsOf(this.#openid, tokens);
    } finally {
      this.#keys = this.#openid.getJwksCache(configuration) ?? this.#keys;
    }
  }

  // The recorded token response, processed by openid-client as a token endpoint response of a configuration whose
  // issuer is the form its ID token names: the signature against the issuer's keys, iss, aud, azp, exp and iat. The
  // authorization response (state, its own iss parameter) passed its checks in the first grant; the nonce, which
  // only the authorization code grant compares, is compared here. The grant's parameters are never sent: the tape
  // answers the token endpoint.
  async #checkTokenResponse(tenant: TenantClient, issuer: string, nonce: string): Promise<client.IDToken> {
    const configuration = await this.#clientConfiguration(tenant, issuer);
    try {
      const claims = claimsOf(
        this.#openid,
        await this.#openid.genericGrantRequest(configuration, 'authorization_code', {}),
      );
      if (claims.nonce !== nonce) throw new this.#openid.ClientError('unexpected ID Token "nonce" claim value');
      return claims;
    } finally {
      this.#keys = this.#openid.getJwksCache(configuration) ?? this.#keys;
    }
  }

  // Discovery runs once per instance: the issuer's metadata is the same for every tenant.
  #serverMetadata(clientId: string): Promise<client.ServerMetadata> {
    this.#metadata ??= this.#openid
      .discovery(this.#issuer, clientId, undefined, this.#openid.None(), {
        execute: this.#execute,
        [this.#openid.customFetch]: googleFetch,
        timeout: TIMEOUT_SECONDS,
      })
      .then((discovered) => discovered.serverMetadata())
      .catch((error: unknown) => {
        this.#metadata = undefined;
        throw error;
      });
    return this.#metadata;
  }

  // `issuer` is the discovered one or another form of it: the server metadata is otherwise the same.
  #clientConfiguration(tenant: TenantClient, issuer: string): Promise<client.Configuration> {
    const key = `${issuer} ${tenant.clientId} ${tenant.secretVersion}`;
    const cached = this.#clients.get(key);
    if (cached) {
      // Most recently used last, so the oldest is the first to go.
      this.#clients.delete(key);
      this.#clients.set(key, cached);
      return cached;
    }
    const building = Promise.all([this.#serverMetadata(tenant.clientId), tenant.readSecret()]).then(
      ([metadata, secret]) => {
        const configuration = this.#configure({ ...metadata, issuer }, tenant.clientId, secret);
        if (this.#keys) this.#openid.setJwksCache(configuration, this.#keys);
        return configuration;
      },
    );
    building.catch(() => this.#clients.delete(key));
    this.#clients.set(key, building);
    if (this.#clients.size > MAX_CLIENTS) this.#clients.delete(this.#clients.keys().next().value!);
    return building;
  }

  #configure(metadata: client.ServerMetadata, clientId: string, clientSecret?: string): client.Configuration {
    // Google signs ID tokens with RS256 only; anything else, `none` included, is refused.
    const configuration = new this.#openid.Configuration(metadata, clientId, {
      client_secret: clientSecret,
      id_token_signed_response_alg: 'RS256',
    });
    configuration[this.#openid.customFetch] = googleFetch;
    configuration.timeout = TIMEOUT_SECONDS;
    for (const extension of this.#execute) extension(configuration);
    return configuration;
  }
}

function claimsOf(
  openid: typeof client,
  tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers,
): client.IDToken {
  const claims = tokens.claims();
  if (!claims) throw new openid.ClientError('The token response carried no ID token');
  return claims;
}
