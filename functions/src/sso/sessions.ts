// Server-side sessions of PBX users signed in with Google: `sessions/{id}` with {tenant, extension, role: "user",
// expiresAt}. The id is the hash of the browser id in the `__session` cookie, which is rotated at sign-in, so the
// cookie holds only a random value, Firestore never holds that value, and a session id fixed before sign-in is
// worthless. firestore.rules close these documents to every client; only the functions read them.
import { Timestamp, type Firestore } from '@google-cloud/firestore';
import { z } from 'zod';
import { sha256 } from '../connect/oauth-state.ts';
import { documentConverter, documentSchema } from '../platform/typed-documents.ts';

/** How long a session lasts; expiry is checked in code, a TTL policy on expiresAt only cleans up. */
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

/** A stored session. */
export interface SessionRecord {
  readonly tenant: string;
  readonly extension: string;
  readonly role: 'user';
  /** The Google user who signed in, so the session ends if the extension is later linked to someone else. */
  readonly googleUserId: string;
  readonly createdAt: Timestamp;
  readonly expiresAt: Timestamp;
}

const sessionDocument = documentConverter<SessionRecord>(
  documentSchema<SessionRecord>()({
    tenant: z.string(),
    extension: z.string(),
    role: z.literal('user'),
    googleUserId: z.string(),
    createdAt: z.instanceof(Timestamp),
    expiresAt: z.instanceof(Timestamp),
  }),
);

/** Who a new session is for. */
export interface SessionSubject {
  readonly tenantId: string;
  readonly extension: string;
  readonly googleUserId: string;
}

/** The session document of a browser id. */
export function sessionRef(db: Firestore, browserId: string) {
  return db.doc(`sessions/${sha256(browserId)}`).withConverter(sessionDocument);
}

/** Creates the session of a freshly issued browser id; the session of the id it replaces, if any, ends. */
export async function createSession(
  db: Firestore,
  browserId: string,
  subject: SessionSubject,
  replacedBrowserId: string | undefined,
): Promise<void> {
  const now = Date.now();
  const record: SessionRecord = {
    tenant: subject.tenantId,
    extension: subject.extension,
    role: 'user',
    googleUserId: subject.googleUserId,
    createdAt: Timestamp.fromMillis(now),
    expiresAt: Timestamp.fromMillis(now + SESSION_LIFETIME_MS),
  };
  const batch = db.batch();
  batch.create(sessionRef(db, browserId), record);
  if (replacedBrowserId) batch.delete(sessionRef(db, replacedBrowserId));
  await batch.commit();
}

/** The browser's live session on `tenantId`'s pages; an expired one is deleted, another tenant's is not this one's. */
export async function readSession(
  db: Firestore,
  browserId: string | undefined,
  tenantId: string,
): Promise<SessionRecord | undefined> {
  if (!browserId) return undefined;
  const ref = sessionRef(db, browserId);
  const session = (await ref.get()).data();
  if (!session) return undefined;
  if (session.expiresAt.toMillis() <= Date.now()) {
    await ref.delete();
    return undefined;
  }
  return session.tenant === tenantId ? session : undefined;
}

/** Ends the browser's session, if it has one. */
export async function endSession(db: Firestore, browserId: string | undefined): Promise<void> {
  if (browserId) await sessionRef(db, browserId).delete();
}
