// Google's legacy `iss`. Google's doc says to "Verify that the value of the iss claim in the ID token is equal to
// https://accounts.google.com or accounts.google.com" (https://developers.google.com/identity/openid-connect/openid-connect#validatinganidtoken),
// and OpenID Connect Core 1.0 §15.6.2 "Google iss Value" tells relying parties that work with Google to accept the
// form without the scheme. openid-client compares `iss` with its configuration's issuer, exactly, and an
// authorization code can be exchanged only once. So the token endpoint's answer to one exchange is recorded here;
// if openid-client refuses it and its ID token names another accepted form of the issuer, the recorded answer is
// given to openid-client again, with a configuration whose issuer is that form, and every check runs on it again.
// Nothing is sent to Google twice, and nothing read from the recording is trusted before it has been checked.
import { AsyncLocalStorage } from 'node:async_hooks';
import type * as client from 'openid-client';

interface RecordedResponse {
  readonly body: ArrayBuffer;
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
}

const tapes = new AsyncLocalStorage<TokenResponseTape>();

const toResponse = (recorded: RecordedResponse) =>
  new Response(recorded.body.slice(0), {
    status: recorded.status,
    statusText: recorded.statusText,
    headers: recorded.headers,
  });

/** The token endpoint's answer to one code exchange, kept so it can be checked against another issuer form. */
export class TokenResponseTape {
  readonly #tokenEndpoint: string | undefined;
  #recorded: RecordedResponse | undefined;
  #replaying = false;

  constructor(tokenEndpoint: string | undefined) {
    this.#tokenEndpoint = URL.canParse(tokenEndpoint ?? '') ? new URL(tokenEndpoint!).href : undefined;
  }

  /** Runs `work`, recording the token endpoint's answer. */
  recording<T>(work: () => Promise<T>): Promise<T> {
    return tapes.run(this, work);
  }

  /** Runs `work` with the token endpoint answered from the recording, never from Google. */
  replaying<T>(work: () => Promise<T>): Promise<T> {
    this.#replaying = true;
    return tapes.run(this, work);
  }

  /** The accepted issuer, other than `expected`, that the recorded ID token names; undefined for anything else. It
   * only chooses which configuration checks the recording again, so it may be read before any check. */
  otherIssuerNamed(accepted: readonly string[], expected: string): string | undefined {
    const iss = this.#recorded && unverifiedIssuer(this.#recorded.body);
    return iss !== undefined && iss !== expected && accepted.includes(iss) ? iss : undefined;
  }

  /** Answers one request of openid-client during the exchange. */
  async fetch(url: string, options: client.CustomFetchOptions, fetchFromGoogle: client.CustomFetch): Promise<Response> {
    if (this.#tokenEndpoint === undefined || new URL(url).href !== this.#tokenEndpoint)
      return fetchFromGoogle(url, options);
    if (this.#replaying) {
      if (!this.#recorded) throw new TypeError('No token response was recorded to check again');
      return toResponse(this.#recorded);
    }
    const response = await fetchFromGoogle(url, options);
    this.#recorded = {
      body: await response.arrayBuffer(),
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    };
    return toResponse(this.#recorded);
  }
}

/** A fetch for openid-client that records (or replays) the token endpoint's answer inside a tape's exchange, and
 * otherwise fetches from Google. */
export function tapedFetch(fetchFromGoogle: client.CustomFetch): client.CustomFetch {
  return (url, options) => {
    const tape = tapes.getStore();
    return tape ? tape.fetch(url, options, fetchFromGoogle) : fetchFromGoogle(url, options);
  };
}

function unverifiedIssuer(body: ArrayBuffer): string | undefined {
  try {
    const idToken = (JSON.parse(new TextDecoder().decode(body)) as { id_token?: unknown }).id_token;
    const payload = typeof idToken === 'string' ? idToken.split('.')[1] : undefined;
    const iss = payload
      ? (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown }).iss
      : undefined;
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
}
