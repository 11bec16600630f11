import assert from 'node:assert/strict';
import { findLeaks } from '../support/secret-leaks.ts';

describe('the secret scan', () => {
  const secret = 'GOCSPX-planted-secret-value';

  it('names each text a secret appears in, without printing the secret', () => {
    const leaks = findLeaks(
      [secret, 'never-used-value'],
      [
        { source: 'log a', text: `{"message":"x ${secret}"}` },
        { source: 'log b', text: 'clean' },
      ],
    );
    assert.deepEqual(leaks, ['log a: GOCS…']);
  });

  it('lets a secret appear only on its allowed line of its allowed text', () => {
    const banner = `Google OAuth client: id / ${secret}`;
    const texts = [
      { source: 'npm start', text: `Ready\n${banner}\nInbox` },
      { source: 'npm start again', text: banner },
      { source: 'npm start', text: `${banner} (again)` },
    ];
    assert.deepEqual(findLeaks([secret], texts, [{ source: 'npm start', line: banner }]), [
      'npm start again: GOCS…',
      'npm start: GOCS…',
    ]);
  });
});
