// Which lasting problem each of Google's refresh refusals means, and which of them a Reauthorize alone cannot fix.
import assert from 'node:assert/strict';
import { authorizationProblemOf } from '../../functions/src/connect/authorization-problem.ts';

describe('authorization problems from refresh refusals', () => {
  it('tells each refusal apart, and which ones need a new client or secret', () => {
    const cases: Array<[object, string, boolean]> = [
      [{ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }, 'grant_revoked', false],
      [
        {
          error: 'invalid_grant',
          error_description: 'reauth related error (invalid_rapt)',
          error_subtype: 'invalid_rapt',
        },
        'reauth_required',
        false,
      ],
      [{ error: 'invalid_grant', error_description: 'reauth related error (invalid_rapt)' }, 'reauth_required', false],
      [{ error: 'admin_policy_enforced' }, 'app_blocked', false],
      [{ error: 'invalid_client', error_description: 'Unauthorized' }, 'client_secret_invalid', true],
      [{ error: 'deleted_client', error_description: 'The OAuth client was deleted.' }, 'client_deleted', true],
      [{ error: 'unauthorized_client', error_description: 'Unauthorized' }, 'client_unauthorized', true],
    ];
    for (const [body, code, needsNewCredentials] of cases) {
      const problem = authorizationProblemOf(body, '2026-12-03T00:00:00.000Z');
      assert.deepEqual(
        [problem?.code, problem?.needsNewCredentials, problem?.at],
        [code, needsNewCredentials, '2026-12-03T00:00:00.000Z'],
        JSON.stringify(body),
      );
      assert.match(problem?.message ?? '', needsNewCredentials ? /Certificates & Secrets/ : /Reauthorize/);
    }
  });

  it('says nothing lasting of an outage or an answer it does not know', () => {
    assert.equal(authorizationProblemOf(undefined), undefined);
    assert.equal(authorizationProblemOf({ error: 'temporarily_unavailable' }), undefined);
    assert.equal(authorizationProblemOf({}), undefined);
  });
});
