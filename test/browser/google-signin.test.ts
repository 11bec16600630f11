// The Google stand-in's sign-in and consent pages in Chromium: "Email", "Next", scope checkboxes and "Allow",
// as an admin will meet them in guide Step 3.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CodeChallengeMethod, OAuth2Client } from 'google-auth-library';
import { loadConfig } from '../../functions/src/config.ts';
import { newBrowserContext } from '../support/browser.ts';
import { useStack } from '../support/stack.ts';

const GROUP_READONLY = 'https://www.googleapis.com/auth/admin.directory.group.readonly';

describe('Google stand-in sign-in in Chromium', function () {
  this.timeout(60_000);

  it('signs in with Email and Next, unticks a scope, clicks Allow, and returns a code for the granted scopes', async () => {
    const stack = await useStack();
    const google = loadConfig(stack.functionsEnv).google;
    const clientId = `4242${Date.now()}-browser${randomBytes(3).toString('hex')}.apps.googleusercontent.com`;
    const clientSecret = `GOCSPX-${randomBytes(12).toString('hex')}`;
    // A client of its own, returning to a page of no function, so only the stand-in is under test.
    const redirectUri = `${stack.addresses.publicBaseUrl}/stand-in-return`;
    stack.google.registerClient({ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri] });
    const oauth = new OAuth2Client({
      clientId,
      clientSecret,
      redirectUri,
      endpoints: { oauth2AuthBaseUrl: google.authorizationUrl, oauth2TokenUrl: google.tokenUrl },
    });
    const { codeVerifier, codeChallenge } = await oauth.generateCodeVerifierAsync();
    const authUrl = oauth.generateAuthUrl({
      access_type: 'offline',
      prompt: 'consent',
      scope: ['openid', 'email', 'https://www.googleapis.com/auth/admin.directory.user.readonly', GROUP_READONLY],
      state: 'browser-state',
      code_challenge: codeChallenge!,
      code_challenge_method: CodeChallengeMethod.S256,
    });

    const context = await newBrowserContext();
    try {
      const page = await context.newPage();
      await page.goto(authUrl);
      await page.getByLabel('Email').fill('admin@acme.example');
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByRole('checkbox', { name: 'View groups on your domain' }).uncheck();
      await Promise.all([
        page.waitForURL((url) => url.href.startsWith(redirectUri)),
        page.getByRole('button', { name: 'Allow' }).click(),
      ]);
      const returned = new URL(page.url());
      assert.equal(returned.searchParams.get('state'), 'browser-state');
      const { tokens } = await oauth.getToken({ code: returned.searchParams.get('code')!, codeVerifier });
      assert.ok(tokens.refresh_token);
      assert.equal(tokens.scope?.split(' ').includes(GROUP_READONLY), false);
    } finally {
      await context.close();
    }
  });
});
