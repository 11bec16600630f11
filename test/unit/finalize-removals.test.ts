// Which removals finalize makes (SPEC §5.2, §5.4), without I/O: those the pages proposed by status, the linked users
// the listing missed, and when the listing need not be read at all.
import assert from 'node:assert/strict';
import { chainsComplete, finalRemovals, listingNeeded } from '../../functions/src/sync/removals/finalize-decision.ts';
import { allUsersPages, page, removal, run, unitRun } from '../support/finalize-facts.ts';

describe('finalize removals', () => {
  describe('which removals', () => {
    const listing = (listed: readonly string[], linked: readonly string[]) => ({
      listedIds: new Set(listed),
      links: linked.map((userId, n) => ({ userId, number: String(3000 + n) })),
    });

    it('reads no listing when the links are those the pages linked or proposed to remove', () => {
      assert.equal(
        listingNeeded(run(), [page('domain', { linked: 7, deletions: [removal(1)] }), page('deleted')], 8),
        false,
      );
      assert.equal(
        listingNeeded(run(), [page('domain', { linked: 7 }), page('deleted')], 8),
        true,
        'one link was not listed',
      );
    });

    it('keeps the status removals the pages proposed, once each', () => {
      const pages = [
        page('domain', { page: 0, last: false, deletions: [removal(1, { status: 'suspended' })] }),
        page('domain', { page: 1, deletions: [removal(1, { status: 'suspended' })] }),
      ];
      assert.deepEqual(finalRemovals(run({ deleteWhen: 'suspended' }), pages, undefined), [
        removal(1, { status: 'suspended' }),
      ]);
    });

    it('deletes a linked user absent from the whole domain listing as deleted (All Users)', () => {
      assert.deepEqual(finalRemovals(run(), allUsersPages(1), listing(['u1'], ['u1', 'u2'])), [
        { userId: 'u2', number: '3001', status: 'deleted', action: 'delete', reason: 'status' },
      ]);
    });

    it('releases a linked user who left the picked units, with Auto delete off', () => {
      assert.deepEqual(finalRemovals(unitRun({ autoDelete: false }), [page('ou0')], listing([], ['u7'])), [
        { userId: 'u7', number: '3000', status: 'active', action: 'release', reason: 'out_of_range' },
      ]);
    });

    it('deletes a linked user who left the picked units, with Auto delete on', () => {
      assert.deepEqual(finalRemovals(unitRun({ autoDelete: true }), [page('ou0')], listing([], ['u7'])), [
        { userId: 'u7', number: '3000', status: 'active', action: 'delete', reason: 'out_of_range' },
      ]);
    });

    it('lets a status removal stand over leaving the range: a proposed user is not also out of range', () => {
      const pages = [page('ou0', { deletions: [removal(1)] })];
      assert.deepEqual(finalRemovals(unitRun({ autoDelete: true }), pages, listing([], ['u1'])), [removal(1)]);
    });

    it('removes no linked user the listing saw', () => {
      assert.deepEqual(
        finalRemovals(unitRun({ autoDelete: true }), [page('ou0', { listed: 2 })], listing(['u1', 'u2'], ['u1', 'u2'])),
        [],
      );
    });
  });

  describe('complete listings', () => {
    it('needs every chain to reach its last page with none missing', () => {
      const two = [page('domain', { page: 0, last: false }), page('domain', { page: 1 })];
      assert.equal(chainsComplete([...two, page('deleted')], ['domain', 'deleted']), true);
      assert.equal(chainsComplete(two, ['domain', 'deleted']), false, 'the deleted users are not listed yet');
      assert.equal(
        chainsComplete([page('domain', { page: 1 }), page('deleted')], ['domain', 'deleted']),
        false,
        'page 0 is missing',
      );
    });
  });
});
