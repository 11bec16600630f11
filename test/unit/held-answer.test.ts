// The admin's answer to held removals (SPEC §5.4: the page lists them to approve or discard), without I/O.
import assert from 'node:assert/strict';
import { AppError } from '../../functions/src/errors.ts';
import { checkDiscard, decideApproval, type HeldRun } from '../../functions/src/sync/removals/held-answer.ts';

const NOW = Date.parse('2025-03-01T10:00:00Z');
const held: HeldRun = { status: 'awaiting_approval' };
const approving: HeldRun = { status: 'awaiting_approval', held: 'approving' };

function refusal(answer: () => unknown): { code: string; message: string } {
  try {
    answer();
  } catch (error) {
    assert.ok(error instanceof AppError, String(error));
    return { code: error.code, message: error.message };
  }
  assert.fail('the answer was taken');
}

describe('answers to held removals', () => {
  for (const [name, answer] of [
    ['approve', (run: HeldRun | undefined) => decideApproval(run, undefined, NOW)],
    ['discard', (run: HeldRun | undefined) => checkDiscard(run)],
  ] as const) {
    it(`${name} refuses a run that does not exist, one a newer sync superseded, and one that holds nothing`, () => {
      assert.equal(refusal(() => answer(undefined)).code, 'not_found');
      assert.deepEqual(
        refusal(() => answer({ status: 'superseded' })),
        { code: 'conflict', message: 'A newer sync replaced this one; its held deletions no longer apply.' },
      );
      for (const status of ['running', 'succeeded', 'failed'] as const) {
        assert.deepEqual(
          refusal(() => answer({ status })),
          { code: 'conflict', message: 'This sync holds no deletions.' },
          status,
        );
      }
    });
  }

  it('discards held removals that nobody is applying', () => {
    assert.doesNotThrow(() => checkDiscard(held));
  });

  it('refuses to discard removals an approval is applying', () => {
    assert.deepEqual(
      refusal(() => checkDiscard(approving)),
      { code: 'conflict', message: 'These deletions are already being applied.' },
    );
  });

  it('starts a first approval and asks for a task', () => {
    assert.deepEqual(decideApproval(held, undefined, NOW), { restart: true, publish: true });
  });

  it('starts again, from the first held removal, an approval given back to the admin', () => {
    // Giving up clears `held` and deletes the approval's claim; a lease still seen changes nothing.
    assert.deepEqual(decideApproval(held, undefined, NOW), { restart: true, publish: true });
    assert.deepEqual(decideApproval(held, NOW + 60_000, NOW), { restart: true, publish: true });
  });

  it("asks for no second task while a delivery holds the approval's lease", () => {
    assert.deepEqual(decideApproval(approving, NOW + 1, NOW), { restart: false, publish: false });
  });

  it("asks for a task again, without restarting, when the approval's task was lost", () => {
    assert.deepEqual(decideApproval(approving, NOW, NOW), { restart: false, publish: true }, 'the lease ran out');
    assert.deepEqual(
      decideApproval(approving, undefined, NOW),
      { restart: false, publish: true },
      'no delivery claimed it',
    );
  });
});
