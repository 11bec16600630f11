import assert from 'node:assert/strict';
import { log, redact, withLogContext } from '../../functions/src/log.ts';
import { captured } from '../support/output.ts';

describe('log', () => {
  it('redacts tokens, JWTs, client secrets and credential parameters', () => {
    const text = redact(
      'POST https://oauth2.googleapis.com/revoke?token=1//0gAbC-dEf failed; ya29.a0Af-xyz; eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.sig; GOCSPX-abc_123 code=4/0Ab',
    );
    assert.equal(
      text,
      'POST https://oauth2.googleapis.com/revoke?token=[redacted] failed; [redacted]; [redacted]; [redacted] code=[redacted]',
    );
  });

  it('writes one JSON line whose severity and message fields cannot overwrite, with errors reduced to name and message', async () => {
    const error = Object.assign(new Error('Invalid token signature: eyJa.eyJb.c'), {
      code: 'E1',
      response: { data: 'secret body' },
    });
    const line = await captured(() => log.warn('Refused', { severity: 'DEBUG', message: 'x', tenant: 'acme', error }));
    const entry = JSON.parse(line);
    assert.equal(entry.severity, 'WARNING');
    assert.equal(entry.message, 'Refused');
    assert.deepEqual(entry.error, { name: 'Error', message: 'Invalid token signature: [redacted]', code: 'E1' });
    assert.doesNotMatch(line, /secret body/);
  });

  it('logs only the type of a thrown non-Error, and survives fields that cannot be serialised', async () => {
    assert.deepEqual(JSON.parse(await captured(() => log.info('x', { error: { token: 'abc' } }))).error, {
      type: 'object',
    });
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    assert.match(await captured(() => log.info('still written', { circular })), /still written/);
  });

  it('adds the context of the task or request to every line, nested contexts adding to outer ones', async () => {
    const lines = await captured(() =>
      withLogContext({ tenant: 'acme', severity: 'DEBUG' }, async () => {
        log.info('outer');
        await withLogContext({ runId: 'r1' }, async () => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          log.warn('inner', { tenant: 'named' });
        });
      }),
    );
    const [outer, inner] = lines
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.deepEqual(outer, { tenant: 'acme', severity: 'INFO', message: 'outer' });
    assert.deepEqual(inner, { tenant: 'named', runId: 'r1', severity: 'WARNING', message: 'inner' });
    assert.doesNotMatch(await captured(() => log.info('after')), /acme|r1/, 'the context ends with its work');
  });
});
