// OAuth `state` records. The state value is random and only its hash is stored, in `oauthStates/{hash}`, with
// everything the callback needs: callbacks take the tenant from this record alone. It is consumed in a
// transaction, so it works once; expiry is checked here, and a TTL policy on expiresAt only cleans up.
import { createHash, randomBytes } from 'node:crypto';
import { Timestamp, type Firestore } from '@google-cloud/firestore';
import { ConnectError } from './connect-error.ts';

/** How long a state is valid. */
export const STATE_LIFETIME_MS = 10 * 60 * 1000;

/** What a state record holds. */
export interface OAuthStateRecord {
  readonly purpose: 'connect' | 'sso';
  readonly tenant: string;
  readonly uid?: string;
  readonly code_verifier: string;
  readonly nonce: string;
  readonly redirect_uri: string;
  readonly browserHash: string;
  /** Connect only: the client the consent is for, and whether its secret is the pending one. */
  readonly clientId?: string;
  readonly credentials?: 'pending' | 'active';
}

/** Hex SHA-256, used for state values and browser ids so neither is stored in the clear. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Stores a new state record and returns the state value to send to Google. */
export async function createOAuthState(db: Firestore, record: OAuthStateRecord): Promise<string> {
  const state = randomBytes(32).toString('base64url');
  const now = Date.now();
  await db.doc(`oauthStates/${sha256(state)}`).create({
    ...record,
    createdAt: Timestamp.fromMillis(now),
    expiresAt: Timestamp.fromMillis(now + STATE_LIFETIME_MS),
  });
  return state;
}

/** Consumes a state once: any attempt deletes the record, and a forged, reused, expired or foreign one fails. */
export async function consumeOAuthState(
  db: Firestore,
  state: string | undefined,
  purpose: OAuthStateRecord['purpose'],
  browserId: string | undefined,
): Promise<OAuthStateRecord> {
  if (!state || state.length > 200) throw new ConnectError('invalid_state', 'This sign-in link is not valid. Start again.');
  const ref = db.doc(`oauthStates/${sha256(state)}`);
  const stored = await db.runTransaction(async (transaction) => {
    const snapshot = await transaction.get(ref);
    if (!snapshot.exists) return undefined;
    transaction.delete(ref);
    return snapshot.data() as OAuthStateRecord & { expiresAt: Timestamp };
  });
  if (!stored || stored.purpose !== purpose) {
    throw new ConnectError('invalid_state', 'This sign-in link is not valid or was already used. Start again.');
  }
  const tenantId = stored.tenant;
  if (stored.expiresAt.toMillis() < Date.now()) {
    throw new ConnectError('expired_state', 'The sign-in took longer than 10 minutes. Start again.', { tenantId });
  }
  if (!browserId || sha256(browserId) !== stored.browserHash) {
    throw new ConnectError('foreign_browser', 'The sign-in was finished in a different browser than it was started in. Start again.', {
      tenantId,
    });
  }
  const { expiresAt: _expiresAt, ...record } = stored;
  return record;
}
