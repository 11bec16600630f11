import assert from 'node:assert/strict';
import { log, redact } from '../../functions/src/log.ts';

function captured(run: () => void): string {
  const writes: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  const originalErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => writes.push(chunk) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => writes.push(chunk) > 0) as typeof process.stderr.write;
  try {
    run();
  } finally {
    process.stdout.write = original;
    process.stderr.write = originalErr;
  }
  return writes.join('');
}

describe('log', () => {
  it('redacts tokens, JWTs, client secrets and credential parameters', () => {
    const text = redact(
      'POST https://oauth2.googleapis.com/revoke?token=1//0gAbC-dEf failed; ya29.a0Af-xyz; eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.sig; GOCSPX-abc_123 code=4/0Ab',
    );
    assert.equal(text, 'POST https://oauth2.googleapis.com/revoke?token=[redacted] failed; [redacted]; [redacted]; [redacted] code=[redacted]');
  });

  it('writes one JSON line whose severity and message fields cannot overwrite, with errors reduced to name and message', () => {
    const error = Object.assign(new Error('Invalid token signature: eyJa.eyJb.c'), { code: 'E1', response: { data: 'secret body' } });
    const line = captured(() => log.warn('Refused', { severity: 'DEBUG', message: 'x', tenant: 'acme', error }));
    const entry = JSON.parse(line);
    assert.equal(entry.severity, 'WARNING');
    assert.equal(entry.message, 'Refused');
    assert.deepEqual(entry.error, { name: 'Error', message: 'Invalid token signature: [redacted]', code: 'E1' });
    assert.doesNotMatch(line, /secret body/);
  });

  it('logs only the type of a thrown non-Error, and survives fields that cannot be serialised', () => {
    assert.deepEqual(JSON.parse(captured(() => log.info('x', { error: { token: 'abc' } }))).error, { type: 'object' });
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    assert.match(captured(() => log.info('still written', { circular })), /still written/);
  });
});
