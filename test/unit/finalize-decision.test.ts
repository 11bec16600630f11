// Finalize's decision (SPEC §5.4), without I/O: whether a run's removals are held and why, what a preview counts,
// and what the run counts and remembers.
import assert from 'node:assert/strict';
import {
  decideFinalize,
  listingNeeded,
  syncedUsersAfter,
} from '../../functions/src/sync/removals/finalize-decision.ts';
import { allUsersPages, counts, page, removal, removals, run, unitRun } from '../support/finalize-facts.ts';

describe('finalize decision', () => {
  describe('the deletion limit', () => {
    it('applies removals up to max(5, ceil(20%)) of the managed extensions: 5 of 10', () => {
      const decision = decideFinalize({
        run: run(),
        pages: allUsersPages(5),
        removals: removals(5),
        sizesBefore: { domain: 10 },
      });
      assert.equal(decision.kind, 'remove');
      assert.equal(decision.removals.length, 5);
    });

    it('holds every removal beyond the limit, saying how many and the limit', () => {
      const decision = decideFinalize({
        run: run(),
        pages: allUsersPages(4),
        removals: removals(6),
        sizesBefore: { domain: 10 },
      });
      assert.equal(decision.kind, 'hold');
      assert.equal(decision.removals.length, 6, 'all of them are held, not only those above the limit');
      assert.equal(decision.reason, 'This sync would delete 6 extensions, more than the limit of 5.');
    });

    it('takes 20% above 25 managed extensions, rounded up: 21 of 101 apply, 22 are held', () => {
      const large = run({}, { managedAtStart: 101 });
      assert.equal(
        decideFinalize({ run: large, pages: allUsersPages(80), removals: removals(21), sizesBefore: {} }).kind,
        'remove',
      );
      const held = decideFinalize({ run: large, pages: allUsersPages(79), removals: removals(22), sizesBefore: {} });
      assert.equal(
        held.kind === 'hold' && held.reason,
        'This sync would delete 22 extensions, more than the limit of 21.',
      );
    });

    it('uses the configured limit instead, counting deletions and releases together', () => {
      const limited = unitRun({ deletionLimit: 2 });
      const mixed = [
        removal(1),
        removal(2, { status: 'active', action: 'release', reason: 'out_of_range' }),
        removal(3, { status: 'active', action: 'release', reason: 'out_of_range' }),
      ];
      const held = decideFinalize({
        run: limited,
        pages: [page('ou0', { listed: 3 })],
        removals: mixed,
        sizesBefore: { 'ou:ou-sales': 6 },
      });
      assert.equal(
        held.kind === 'hold' && held.reason,
        'This sync would delete 1 and release 2 extensions, more than the limit of 2.',
      );
      assert.equal(
        decideFinalize({
          run: limited,
          pages: [page('ou0', { listed: 3 })],
          removals: mixed.slice(0, 2),
          sizesBefore: {},
        }).kind,
        'remove',
      );
    });
  });

  describe('an emptied source', () => {
    it('holds the removals when a unit that had users comes back empty, whatever the limit', () => {
      const decision = decideFinalize({
        run: unitRun({ deletionLimit: 100 }),
        pages: [page('ou0')],
        removals: removals(3, { reason: 'out_of_range' }),
        sizesBefore: { 'ou:ou-sales': 3 },
      });
      assert.equal(decision.kind === 'hold' && decision.reason, 'The organizational unit /Sales came back empty.');
    });

    it('holds them when the domain comes back empty while it had synced extensions, even with no size remembered', () => {
      const decision = decideFinalize({
        run: run({ deletionLimit: 100 }),
        pages: allUsersPages(0),
        removals: removals(2),
        sizesBefore: {},
      });
      assert.equal(
        decision.kind === 'hold' && decision.reason,
        'The Google Workspace directory listing came back empty.',
      );
    });

    it('applies them when the source was empty before too', () => {
      const decision = decideFinalize({
        run: unitRun(),
        pages: [page('ou0')],
        removals: removals(1),
        sizesBefore: { 'ou:ou-sales': 0 },
      });
      assert.equal(decision.kind, 'remove');
    });

    it('holds nothing when nothing is removed, and remembers the empty size', () => {
      const decision = decideFinalize({
        run: unitRun(),
        pages: [page('ou0')],
        removals: [],
        sizesBefore: { 'ou:ou-sales': 3 },
      });
      assert.deepEqual(decision.kind === 'remove' && decision.remember, { sourceSizes: { 'ou:ou-sales': 0 } });
    });
  });

  describe('a dry run', () => {
    it('counts what it would delete and release, and holds nothing whatever the limit or an emptied source', () => {
      const planned = [
        removal(1),
        removal(2),
        removal(3, { status: 'active', action: 'release', reason: 'out_of_range' }),
      ];
      const decision = decideFinalize({
        run: unitRun({ deletionLimit: 1 }, { dryRun: true }),
        pages: [page('ou0', { counts: counts({ created: 4 }) })],
        removals: planned,
        sizesBefore: { 'ou:ou-sales': 9 },
      });
      assert.deepEqual(decision, { kind: 'preview', counts: counts({ created: 4, deleted: 2, released: 1 }) });
    });

    it('always reads the listing, since it has linked nobody and so cannot count', () => {
      assert.equal(listingNeeded(run({}, { dryRun: true }), allUsersPages(3), 3), true);
    });
  });

  describe('what the run counts and remembers', () => {
    it("sums the pages' counts and remembers each source's size and the domain's", () => {
      const pages = [
        page('domain', { page: 0, last: false, listed: 500, counts: counts({ created: 3, unchanged: 497 }) }),
        page('domain', { page: 1, listed: 20, counts: counts({ updated: 1 }) }),
        page('deleted', { listed: 2 }),
      ];
      assert.deepEqual(decideFinalize({ run: run(), pages, removals: [], sizesBefore: {} }), {
        kind: 'remove',
        counts: counts({ created: 3, unchanged: 497, updated: 1 }),
        removals: [],
        remember: { sourceSizes: { domain: 520 }, domainUsers: 520 },
      });
    });

    it('remembers the domain size a join chain scanned for a group run, and no domain size otherwise', () => {
      const groups = { range: 'groups' as const, groups: [{ id: 'g1', email: 'sales@acme.example', name: 'Sales' }] };
      const joined = decideFinalize({
        run: run(groups, { userChain: 'join' }),
        pages: [page('group0', { listed: 4 }), page('join', { listed: 4, scanned: 900 })],
        removals: [],
        sizesBefore: {},
      });
      assert.deepEqual(joined.kind === 'remove' && joined.remember, {
        sourceSizes: { 'group:g1': 4 },
        domainUsers: 900,
      });
      const looked = decideFinalize({
        run: run(groups, { userChain: 'members' }),
        pages: [page('group0', { listed: 4 }), page('members', { listed: 4 })],
        removals: [],
        sizesBefore: {},
      });
      assert.deepEqual(looked.kind === 'remove' && looked.remember, { sourceSizes: { 'group:g1': 4 } });
    });

    it('counts as synced the links left once the removals are applied', () => {
      assert.equal(syncedUsersAfter(120, { deleted: 3, released: 2 }), 115);
    });
  });
});
