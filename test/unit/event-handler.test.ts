import assert from 'node:assert/strict';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { AppError, LeaseHeld } from '../../functions/src/errors.ts';
import { eventHandler } from '../../functions/src/event-handler.ts';
import { log } from '../../functions/src/log.ts';
import { captured } from '../support/output.ts';

const event = { id: 'ev-1', data: {} } as CloudEvent<unknown>;
const pageTask = { tenant: 'acme', runId: 'run-7', page: 3 };

describe('eventHandler', () => {
  it('logs inside the task context: the function, the event, the tenant and the run', async () => {
    const handler = eventHandler(
      'syncPage',
      () => pageTask,
      async () => log.info('page written'),
    );
    const entry = JSON.parse(await captured(() => handler(event)));
    assert.deepEqual(entry, {
      task: 'syncPage',
      eventId: 'ev-1',
      tenant: 'acme',
      runId: 'run-7',
      severity: 'INFO',
      message: 'page written',
    });
  });

  it('asks for redelivery of a transient failure with an error whose printed stack is one redacted JSON line', async () => {
    const lease = eventHandler(
      'syncFinalize',
      () => pageTask,
      async () => {
        throw new LeaseHeld('Another delivery of finalize is in progress');
      },
    );
    const leaseError = await lease(event).then(
      () => assert.fail('a transient failure is thrown'),
      (error: Error) => error,
    );
    const leaseLine = JSON.parse(leaseError.stack ?? '');
    assert.equal(leaseLine.severity, 'INFO', 'a lease held by another delivery is routine');
    assert.deepEqual(
      [leaseLine.message, leaseLine.tenant, leaseLine.runId],
      ['syncFinalize asked for redelivery', 'acme', 'run-7'],
    );

    const outage = eventHandler(
      'syncPage',
      () => pageTask,
      async () => {
        throw new Error('GET https://admin.googleapis.com/admin/directory/v1/users?access_token=ya29.abc failed: 503');
      },
    );
    const outageError = await outage(event).then(
      () => assert.fail('a transient failure is thrown'),
      (error: Error) => error,
    );
    assert.doesNotMatch(outageError.stack ?? '', /\n/, 'one line');
    assert.doesNotMatch(outageError.stack ?? '', /ya29\.abc/);
    assert.equal(JSON.parse(outageError.stack ?? '').severity, 'WARNING');

    const unreachable = eventHandler(
      'syncPage',
      () => pageTask,
      async () => {
        throw new AppError('unavailable', 'The Directory API kept failing after 6 attempts');
      },
    );
    const unreachableError = await unreachable(event).then(
      () => assert.fail('a transient failure is thrown'),
      (error: Error) => error,
    );
    assert.equal(
      JSON.parse(unreachableError.stack ?? '').severity,
      'WARNING',
      'an outage reported as unavailable is no lease',
    );
  });

  it('acks, with one ERROR line, an event it can never process and a message it cannot read', async () => {
    const permanent = eventHandler(
      'welcomeMail',
      () => pageTask,
      async () => {
        throw new AppError('invalid_request', 'The extension has no e-mail');
      },
    );
    const permanentLine = JSON.parse(await captured(() => permanent(event)));
    assert.deepEqual(
      [permanentLine.severity, permanentLine.tenant, permanentLine.error.message],
      ['ERROR', 'acme', 'The extension has no e-mail'],
    );

    let handled = false;
    const unreadable = eventHandler(
      'syncPage',
      () => {
        throw new AppError('invalid_request', 'The page task has no tenant');
      },
      async () => {
        handled = true;
      },
    );
    const unreadableLine = JSON.parse(await captured(() => unreadable(event)));
    assert.equal(handled, false);
    assert.deepEqual(
      [unreadableLine.message, unreadableLine.eventId, 'tenant' in unreadableLine],
      ['syncPage dropped a message it cannot read', 'ev-1', false],
    );
  });
});
