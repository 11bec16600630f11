// Connect's check that every required scope was granted (SPEC §4), against the `scope` string as Google reports it:
// the identity scopes by their long names ("email" as https://www.googleapis.com/auth/userinfo.email), never
// offline_access (github.com/googleapis/google-api-python-client/pull/1088).
import assert from 'node:assert/strict';
import { CONNECT_SCOPES, DIRECTORY_SCOPES, missingScopes } from '../../functions/src/google/scopes.ts';

const USERINFO_EMAIL = 'https://www.googleapis.com/auth/userinfo.email';

describe('granted scopes at connect', () => {
  it('counts email as granted when Google reports it as https://www.googleapis.com/auth/userinfo.email', () => {
    assert.deepEqual(missingScopes(['openid', USERINFO_EMAIL, ...DIRECTORY_SCOPES].join(' '), CONNECT_SCOPES), []);
  });

  it('still accepts the short name, and reports each missing scope by the name connect asked for', () => {
    assert.deepEqual(missingScopes(['openid', 'email', ...DIRECTORY_SCOPES].join(' '), CONNECT_SCOPES), []);
    const unticked = DIRECTORY_SCOPES.filter((scope) => !scope.endsWith('group.readonly'));
    assert.deepEqual(missingScopes(['openid', ...unticked].join(' '), CONNECT_SCOPES), [
      'https://www.googleapis.com/auth/admin.directory.group.readonly',
      'email',
    ]);
  });

  it('does not take userinfo.profile, or anything else, for email', () => {
    assert.deepEqual(
      missingScopes(
        ['openid', 'https://www.googleapis.com/auth/userinfo.profile', ...DIRECTORY_SCOPES].join(' '),
        CONNECT_SCOPES,
      ),
      ['email'],
    );
    assert.deepEqual(missingScopes(undefined, ['openid']), ['openid']);
  });
});
