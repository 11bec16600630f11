// OAuth `state` records. The state value is random and only its hash is stored, in `oauthStates/{hash}`, with
// everything the callback needs: callbacks take the tenant from this record alone. It is consumed in a
// transaction, so it works once; expiry is checked here, and a TTL policy on expiresAt only cleans up.
import { createHash, randomBytes } from 'node:crypto';
import { Timestamp, type Firestore } from '@google-cloud/firestore';
import { z } from 'zod';
import { documentConverter, documentSchema } from '../platform/typed-documents.ts';
import { ConnectError } from './connect-error.ts';

/** How long a state is valid. */
export const STATE_LIFETIME_MS = 10 * 60 * 1000;

/** What a state record holds. */
export interface OAuthStateRecord {
  readonly purpose: 'connect' | 'sso';
  readonly tenant: string;
  readonly uid?: string;
  /** Connect only: the PBX admin's address, recorded with the connection for its alerts. */
  readonly adminEmail?: string;
  readonly code_verifier: string;
  readonly nonce: string;
  readonly redirect_uri: string;
  readonly browserHash: string;
  /** A short id of this attempt, shown with its outcome so the page never shows another attempt's message. */
  readonly attempt: string;
  /** Connect only: the client the consent is for, and the pinned version of its secret. */
  readonly clientId?: string;
  readonly clientSecretVersion?: string;
  /** Whether that secret was entered for this attempt (and is discarded unless it succeeds). */
  readonly pendingSecret?: boolean;
}

/** Hex SHA-256, used for state values and browser ids so neither is stored in the clear. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** A state record as stored, and as consumed: with when it was made and until when it holds. */
export type ConsumedState = OAuthStateRecord & { readonly createdAt: Timestamp; readonly expiresAt: Timestamp };

const optionalText = z.string().optional();

const storedStateDocument = documentConverter<ConsumedState>(
  documentSchema<ConsumedState>()({
    purpose: z.enum(['connect', 'sso']),
    tenant: z.string(),
    uid: optionalText,
    adminEmail: optionalText,
    code_verifier: z.string(),
    nonce: z.string(),
    redirect_uri: z.string(),
    browserHash: z.string(),
    attempt: z.string(),
    clientId: optionalText,
    clientSecretVersion: optionalText,
    pendingSecret: z.boolean().optional(),
    createdAt: z.instanceof(Timestamp),
    expiresAt: z.instanceof(Timestamp),
  }),
);

/** The record of a state value, `oauthStates/{sha256(state)}`. */
function stateRef(db: Firestore, state: string) {
  return db.doc(`oauthStates/${sha256(state)}`).withConverter(storedStateDocument);
}

/** Stores a new state record and returns the state value to send to Google. */
export async function createOAuthState(db: Firestore, record: OAuthStateRecord): Promise<string> {
  const state = randomBytes(32).toString('base64url');
  const now = Date.now();
  await stateRef(db, state).create({
    ...record,
    createdAt: Timestamp.fromMillis(now),
    expiresAt: Timestamp.fromMillis(now + STATE_LIFETIME_MS),
  });
  return state;
}

/** Consumes a state once: any attempt deletes the record; a forged or reused state is refused. `onRead` is given
 * the record of this purpose as soon as it is read, while its deletion commits, so that a caller can start reads
 * that only need the record's tenant; it must write nothing and trust nothing until this returns (or throws), as
 * the state is neither consumed nor checked yet. It may be called again if the transaction is retried. */
export async function consumeOAuthState(
  db: Firestore,
  state: string | undefined,
  purpose: OAuthStateRecord['purpose'],
  onRead?: (record: ConsumedState) => void,
): Promise<ConsumedState> {
  if (!state || state.length > 200)
    throw new ConnectError('invalid_state', 'This sign-in link is not valid. Start again.');
  const ref = stateRef(db, state);
  const stored = await db.runTransaction(async (transaction) => {
    const record = (await transaction.get(ref)).data();
    if (record) transaction.delete(ref);
    if (record?.purpose === purpose) onRead?.(record);
    return record;
  });
  if (!stored || stored.purpose !== purpose) {
    throw new ConnectError('invalid_state', 'This sign-in link is not valid or was already used. Start again.');
  }
  return stored;
}

/** Refuses an expired state, or one finished in another browser than the one that started it. */
export function checkOAuthState(record: ConsumedState, browserId: string | undefined): void {
  const context = { tenantId: record.tenant, attempt: record.attempt };
  if (record.expiresAt.toMillis() < Date.now()) {
    throw new ConnectError('expired_state', 'The sign-in took longer than 10 minutes. Start again.', context);
  }
  if (!browserId || sha256(browserId) !== record.browserHash) {
    throw new ConnectError(
      'foreign_browser',
      'The sign-in was finished in a different browser than it was started in. Start again.',
      context,
    );
  }
}
