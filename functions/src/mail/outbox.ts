// Sending a mail from its outbox record at most once. A lease guards the send against a concurrent redelivery, the
// record is marked sent after the server took the message, and a stable Message-ID lets mail servers drop the rare
// duplicate of a crash between the two. A refusal for good marks it failed; anything else leaves it pending for the
// next delivery or sweep.
import type { DocumentReference, Firestore } from '@google-cloud/firestore';
import { AppError, LeaseHeld } from '../errors.ts';

/** The fields every outbox record has. */
export interface OutboxRecord {
  readonly status: 'pending' | 'sending' | 'sent' | 'failed';
  /** Until when (epoch ms) the delivery sending it holds it. */
  readonly leaseUntil?: number;
}

const LEASE_MS = 60_000;

/** Sends the record's mail with `send` unless it was sent already. */
export async function sendOnce<T extends OutboxRecord>(
  db: Firestore,
  ref: DocumentReference<T>,
  send: (record: T) => Promise<void>,
): Promise<void> {
  const record = await db.runTransaction(async (transaction) => {
    const data = (await transaction.get(ref)).data();
    if (!data || data.status === 'sent') return undefined;
    if (data.status === 'sending' && (data.leaseUntil ?? 0) > Date.now())
      throw new LeaseHeld('The mail is being sent by another delivery');
    transaction.update(ref, { status: 'sending', leaseUntil: Date.now() + LEASE_MS });
    return data;
  });
  if (!record) return;
  try {
    await send(record);
  } catch (error) {
    const final = error instanceof AppError && error.code !== 'unavailable';
    await ref.update(final ? { status: 'failed', failure: error.message } : { status: 'pending', leaseUntil: 0 });
    throw error;
  }
  await ref.update({ status: 'sent', sentAt: new Date().toISOString() });
}
