// The tape that lets openid-client check one token response again against Google's legacy issuer form: it records
// only the token endpoint's answer, a replay never reaches Google, and it names only an accepted other form.
import assert from 'node:assert/strict';
import type * as client from 'openid-client';
import { tapedFetch, TokenResponseTape } from '../../functions/src/sso/token-response-tape.ts';

const TOKEN_ENDPOINT = 'https://oauth2.googleapis.com/token';
const ISSUERS = ['https://accounts.google.com', 'accounts.google.com'];

const idTokenNaming = (iss: unknown) =>
  `e30.${Buffer.from(JSON.stringify({ iss, sub: '1' })).toString('base64url')}.sig`;

function fakeGoogle(body: object) {
  const calls: string[] = [];
  const fetchFromGoogle: client.CustomFetch = async (url) => {
    calls.push(url);
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { calls, fetch: tapedFetch(fetchFromGoogle) };
}

const options = {
  body: undefined,
  headers: {},
  method: 'POST',
  redirect: 'manual',
} as unknown as client.CustomFetchOptions;

describe('token response tape', () => {
  it('records the token endpoint’s answer and names the legacy issuer its ID token carries', async () => {
    const google = fakeGoogle({
      access_token: 'a',
      token_type: 'Bearer',
      id_token: idTokenNaming('accounts.google.com'),
    });
    const tape = new TokenResponseTape(TOKEN_ENDPOINT);
    const first = await tape.recording(() => google.fetch(TOKEN_ENDPOINT, options));
    assert.equal(
      ((await first.json()) as { access_token: string }).access_token,
      'a',
      'openid-client still gets the answer',
    );
    assert.equal(tape.otherIssuerNamed(ISSUERS, 'https://accounts.google.com'), 'accounts.google.com');

    const again = await tape.replaying(() => google.fetch(TOKEN_ENDPOINT, options));
    const replayedAgain = await tape.replaying(() => google.fetch(TOKEN_ENDPOINT, options));
    assert.equal(((await again.json()) as { access_token: string }).access_token, 'a');
    assert.equal(
      ((await replayedAgain.json()) as { access_token: string }).access_token,
      'a',
      'each replay has a body of its own',
    );
    assert.deepEqual(google.calls, [TOKEN_ENDPOINT], 'the code went to Google once');
  });

  it('names no issuer for the expected one, an unaccepted one, a missing ID token or an unreadable answer', async () => {
    for (const body of [
      { id_token: idTokenNaming('https://accounts.google.com') },
      { id_token: idTokenNaming('googleapis.com') },
      { id_token: idTokenNaming('https://accounts.attacker.example') },
      { id_token: idTokenNaming(7) },
      { id_token: 'not-a-jwt' },
      { error: 'invalid_grant' },
    ]) {
      const google = fakeGoogle(body);
      const tape = new TokenResponseTape(TOKEN_ENDPOINT);
      await tape.recording(() => google.fetch(TOKEN_ENDPOINT, options));
      assert.equal(tape.otherIssuerNamed(ISSUERS, 'https://accounts.google.com'), undefined, JSON.stringify(body));
    }
    assert.equal(
      new TokenResponseTape(TOKEN_ENDPOINT).otherIssuerNamed(ISSUERS, ISSUERS[0]!),
      undefined,
      'nothing recorded',
    );
  });

  it('passes other requests and requests outside an exchange straight to Google, and refuses to replay nothing', async () => {
    const google = fakeGoogle({ keys: [] });
    const tape = new TokenResponseTape(TOKEN_ENDPOINT);
    await tape.replaying(() => google.fetch('https://www.googleapis.com/oauth2/v3/certs', options));
    await google.fetch(TOKEN_ENDPOINT, options);
    assert.deepEqual(google.calls, ['https://www.googleapis.com/oauth2/v3/certs', TOKEN_ENDPOINT]);
    await assert.rejects(
      tape.replaying(() => google.fetch(TOKEN_ENDPOINT, options)),
      /No token response was recorded/,
    );
  });
});
