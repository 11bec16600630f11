// The Directory port's Google adapter without Google: Google's errors translated once into coded errors, and a
// tenant's session kept for one view of its directory, renewed once when Google refuses its access token.
import assert from 'node:assert/strict';
import { OAuth2Client } from 'google-auth-library';
import {
  AdminApiDisabled,
  DirectoryError,
  ReauthorizationRequired,
  refusalOf,
  type DirectoryRequest,
} from '../../functions/src/google/directory-errors.ts';
import { sessionScope } from '../../functions/src/google/google-directory.ts';
import type { TenantSession } from '../../functions/src/google/google-session.ts';

/** A client library error carrying Google's answer: `{"error":{"code","errors":[{"reason"}],"details"}}`. */
function googleAnswer(status: number, reason?: string, details?: object[]): Error {
  return Object.assign(new Error(`HTTP ${status}`), {
    response: {
      status,
      data: { error: { code: status, ...(reason && { errors: [{ reason }] }), ...(details && { details }) } },
    },
  });
}

const LISTING: DirectoryRequest = { what: 'the listing' };

function failureOf(error: Error, request: DirectoryRequest = LISTING): string | undefined {
  const refusal = refusalOf(error, request);
  return refusal instanceof DirectoryError ? refusal.failure : refusal?.constructor.name;
}

describe("Google's Directory errors, translated once", () => {
  it('asks again for rate limits, 429, 5xx and no answer at all', () => {
    for (const error of [
      googleAnswer(403, 'userRateLimitExceeded'),
      googleAnswer(403, 'quotaExceeded'),
      googleAnswer(429),
      googleAnswer(500, 'backendError'),
      googleAnswer(503),
      new Error('socket hang up'),
    ]) {
      assert.equal(refusalOf(error, LISTING), undefined, error.message);
    }
  });

  it('takes a 401 for Google refusing the access token: reauthorization, told to the console and to a run', () => {
    const refusal = refusalOf(googleAnswer(401, 'authError'), LISTING);
    assert.ok(refusal instanceof ReauthorizationRequired);
    assert.equal(refusal.code, 'conflict');
    assert.equal(refusal.message, 'Google Workspace needs reauthorization: click Reauthorize first.');
    assert.equal(refusal.runFailure, 'Google Workspace needs reauthorization: Google refused the access token.');
  });

  it('tells the Admin SDK API disabled, by reason or by ErrorInfo, with the activation link Google gives', () => {
    const url = 'https://console.developers.google.com/apis/api/admin.googleapis.com/overview?project=123';
    const refusal = refusalOf(
      googleAnswer(403, 'accessNotConfigured', [{ reason: 'SERVICE_DISABLED', metadata: { activationUrl: url } }]),
      LISTING,
    );
    assert.ok(refusal instanceof AdminApiDisabled);
    assert.ok(refusal.message.includes(`Enable it there (${url}) as in guide Step 2`));
    assert.equal(failureOf(googleAnswer(403, undefined, [{ reason: 'SERVICE_DISABLED' }])), 'AdminApiDisabled');
  });

  it('codes each refusal by what it means for the call: 400 by the page token or unit it carried', () => {
    assert.equal(failureOf(googleAnswer(404, 'notFound')), 'not_found');
    assert.equal(failureOf(googleAnswer(400, 'invalid')), 'invalid_input');
    assert.equal(
      failureOf(googleAnswer(400, 'invalid'), { what: 'the listing', pageToken: 'old', orgUnitPath: '/Sales' }),
      'expired_page_token',
    );
    assert.equal(
      failureOf(googleAnswer(400, 'invalid'), { what: 'the listing', orgUnitPath: '/Sales' }),
      'unknown_org_unit',
    );
    assert.equal(failureOf(googleAnswer(403, 'forbidden')), 'forbidden');
    assert.equal(failureOf(googleAnswer(403, 'insufficientPermissions')), 'insufficient_permissions');
    assert.equal(failureOf(googleAnswer(403)), 'insufficient_permissions');
    assert.equal(failureOf(googleAnswer(412, 'conditionNotMet')), 'refused');
  });

  it('says what was refused, with the HTTP status, as an internal error', () => {
    const refusal = refusalOf(googleAnswer(400, 'invalid'), { what: 'a group membership check' });
    assert.ok(refusal instanceof DirectoryError);
    assert.deepEqual(
      [refusal.code, refusal.status, refusal.message],
      ['internal', 400, 'The Directory API refused a group membership check (HTTP 400)'],
    );
  });
});

describe("a tenant's session in one view of its directory", () => {
  function opener(...outcomes: Array<'ok' | Error>) {
    const opened: OAuth2Client[] = [];
    let forgotten = 0;
    const open = async (): Promise<TenantSession> => {
      const outcome = outcomes.shift() ?? 'ok';
      if (outcome instanceof Error) throw outcome;
      const oauth = new OAuth2Client();
      opened.push(oauth);
      return { oauth, connectedBy: undefined };
    };
    return {
      opened,
      forgotten: () => forgotten,
      scope: sessionScope(open, () => {
        forgotten++;
      }),
    };
  }
  const refused = () => new ReauthorizationRequired('Google refused the access token');

  it('opens the session on the first call and keeps it for the others', async () => {
    const { opened, scope } = opener();
    const used = await Promise.all([1, 2, 3].map(() => scope.withAuth(async (auth) => auth)));
    assert.equal(opened.length, 1);
    assert.ok(used.every((auth) => auth === opened[0]));
  });

  it('makes a call whose access token Google refused once more with a fresh session, forgetting the cached one', async () => {
    const { opened, forgotten, scope } = opener();
    const calls: OAuth2Client[] = [];
    const result = await scope.withAuth(async (auth) => {
      calls.push(auth);
      if (calls.length === 1) throw refused();
      return 'listed';
    });
    assert.equal(result, 'listed');
    assert.deepEqual([opened.length, forgotten(), calls[1] === opened[1]], [2, 1, true]);
  });

  it('shares one fresh session between the calls in flight with the refused token, and gives up after the second refusal', async () => {
    const { opened, scope } = opener();
    const first = await scope.session();
    const answers = await Promise.allSettled(
      [1, 2, 3].map(() =>
        scope.withAuth(async (auth) => {
          if (auth === first.oauth) throw refused();
          return 'ok';
        }),
      ),
    );
    assert.deepEqual(
      answers.map((answer) => answer.status),
      ['fulfilled', 'fulfilled', 'fulfilled'],
    );
    assert.equal(opened.length, 2);
    await assert.rejects(
      scope.withAuth(async () => Promise.reject(refused())),
      ReauthorizationRequired,
    );
    assert.equal(opened.length, 3, 'one more fresh session, and a token refused with it too is the refusal');
  });

  it('keeps no session that failed to open: the next call opens again', async () => {
    const { opened, scope } = opener(new Error('Google could not issue an access token'));
    await assert.rejects(
      scope.withAuth(async () => 'never'),
      /could not issue/,
    );
    assert.equal(await scope.withAuth(async () => 'listed'), 'listed');
    assert.equal(opened.length, 1);
  });
});
