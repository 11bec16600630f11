// The scheduler's heartbeat: the latest tick the product has seen, so an operator can tell the schedule is alive.
import type { Firestore } from '@google-cloud/firestore';
import { z } from 'zod';
import { documentConverter, documentSchema } from '../platform/typed-documents.ts';

/** Where the heartbeat lives; closed to clients by firestore.rules. */
export const HEARTBEAT_PATH = 'ops/scheduler';

/** The heartbeat document. */
export interface Heartbeat {
  readonly lastTickAt: string;
  readonly lastTickId: string;
}

const heartbeatDocument = documentConverter<Heartbeat>(
  documentSchema<Heartbeat>()({ lastTickAt: z.string(), lastTickId: z.string() }),
);

const heartbeatRef = (db: Firestore) => db.doc(HEARTBEAT_PATH).withConverter(heartbeatDocument);

/** Records a tick unless a later one was already recorded, so redelivered old ticks never move time backwards. */
export async function recordTick(db: Firestore, tick: Heartbeat): Promise<void> {
  const ref = heartbeatRef(db);
  await db.runTransaction(async (transaction) => {
    const current = (await transaction.get(ref)).data();
    if (current && Date.parse(current.lastTickAt) >= Date.parse(tick.lastTickAt)) return;
    transaction.set(ref, tick);
  });
}

/** Reads the heartbeat, if any tick was ever recorded. */
export async function readHeartbeat(db: Firestore): Promise<Heartbeat | undefined> {
  return (await heartbeatRef(db).get()).data();
}
