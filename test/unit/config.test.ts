import assert from 'node:assert/strict';
import { ConfigError, LOCAL_ONLY_VARIABLES, loadConfig } from '../../functions/src/config.ts';
import { localEnvironment } from '../support/environments.ts';

const local = localEnvironment();

const live = {
  TELIQON_MODE: 'live',
  GOOGLE_CLOUD_PROJECT: 'teliqon-prod',
  PUBLIC_BASE_URL: 'https://pbx-google.teliqon.example',
  SMTP_URL: 'smtps://mailer@smtp.teliqon.example:465',
};

describe('config', () => {
  it('builds the local configuration with every endpoint pointed at the stand-ins', () => {
    const config = loadConfig(local);
    assert.equal(config.mode, 'local');
    assert.deepEqual(config.emulators.firestore, { host: '127.0.0.1', port: 5080 });
    assert.equal(config.google.issuer, 'http://127.0.0.1:5070');
    assert.deepEqual(
      config.google.issuers,
      ['http://127.0.0.1:5070', '127.0.0.1:5070'],
      'the stand-in and its legacy form, as Google has two',
    );
    assert.equal(config.google.tokenUrl, 'http://127.0.0.1:5070/token');
    assert.equal(config.redirectUris.connect, 'http://localhost:5050/oauth/google/callback');
    assert.equal(config.redirectUris.sso, 'http://localhost:5050/sso/google/callback');
    assert.equal(config.sso.allowHttpIssuer, true, 'openid-client may reach the http stand-in');
  });

  it("uses Google's endpoints and both issuers in live mode", () => {
    const config = loadConfig(live);
    assert.equal(config.google.authorizationUrl, 'https://accounts.google.com/o/oauth2/v2/auth');
    assert.deepEqual(config.google.issuers, ['https://accounts.google.com', 'accounts.google.com']);
    assert.equal(config.google.directoryRootUrl, 'https://admin.googleapis.com/');
    assert.deepEqual(config.emulators, {});
    assert.equal(config.sso.allowHttpIssuer, false, 'openid-client speaks only https to Google');
  });

  for (const variable of LOCAL_ONLY_VARIABLES) {
    it(`refuses to start in live mode when ${variable} is set`, () => {
      assert.throws(
        () => loadConfig({ ...live, [variable]: local[variable] }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.match(error.message, new RegExp(`Live mode refuses .*${variable}`));
          return true;
        },
      );
    });
  }

  it('starts a function that sends no mail without SMTP credentials, and refuses to start welcomeMail without them', () => {
    const { SMTP_URL: _omitted, ...withoutSmtp } = live;
    assert.equal(loadConfig({ ...withoutSmtp, FUNCTION_TARGET: 'syncPage' }).smtp.url, undefined);
    assert.throws(
      () => loadConfig({ ...withoutSmtp, FUNCTION_TARGET: 'welcomeMail' }),
      /welcomeMail sends mail and needs SMTP_URL/,
    );
    assert.equal(loadConfig({ ...live, FUNCTION_TARGET: 'welcomeMail' }).smtp.url, live.SMTP_URL);
  });

  it('refuses a plain-http public URL in live mode', () => {
    assert.throws(
      () => loadConfig({ ...live, PUBLIC_BASE_URL: 'http://pbx.teliqon.example' }),
      /https:\/\/ PUBLIC_BASE_URL/,
    );
  });

  it('refuses local mode with a missing stand-in, so nothing reaches real Google by accident', () => {
    const { GOOGLE_STANDIN_URL: _omitted, ...withoutStandIn } = local;
    assert.throws(() => loadConfig(withoutStandIn), /Local mode needs .*GOOGLE_STANDIN_URL/);
  });

  it('names every invalid variable and what to fix', () => {
    assert.throws(
      () =>
        loadConfig({
          ...local,
          TELIQON_MODE: 'prod',
          FIRESTORE_EMULATOR_HOST: 'nowhere',
          PUBLIC_BASE_URL: 'http://x.example/app',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /TELIQON_MODE must be "local" or "live"/);
        assert.match(error.message, /FIRESTORE_EMULATOR_HOST must be host:port/);
        assert.match(error.message, /PUBLIC_BASE_URL must be an origin/);
        return true;
      },
    );
  });

  it('accepts only a canonical origin, which browsers send byte for byte in Origin', () => {
    for (const url of [
      'https://PBX.teliqon.example',
      'https://pbx.teliqon.example:443',
      'https://pbx.teliqon.example/?x',
      'https://u:p@pbx.teliqon.example',
    ]) {
      assert.throws(() => loadConfig({ ...live, PUBLIC_BASE_URL: url }), /PUBLIC_BASE_URL must be an origin/, url);
    }
  });

  it('is frozen, so no module can change it after start-up', () => {
    const config = loadConfig(local);
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.google));
    assert.throws(() => {
      (config.redirectUris as { connect: string }).connect = 'https://attacker.example';
    }, TypeError);
  });
});
