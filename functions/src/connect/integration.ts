// The integration document, `tenants/{t}/integrations/google`: what the page shows about the connection.
// It never holds a secret; those are in Secret Manager under the ids below.
import { FieldValue, type Firestore } from '@google-cloud/firestore';
import { z } from 'zod';
import { documentConverter, documentSchema, getAllOf } from '../platform/typed-documents.ts';
import { alertPaths, clearAlert, raiseAlert } from '../alerts/alerts.ts';
import { pushPaths } from '../push/push-documents.ts';
import { AUTHORIZATION_PROBLEM_CODES, type AuthorizationProblem } from './authorization-problem.ts';

/** The connection's state; `disconnecting` holds while a disconnect is under way. */
export type IntegrationStatus = 'not_connected' | 'connected' | 'reauthorization_required' | 'disconnecting';

/** The last failure of connect, shown on the page for the attempt it belongs to. */
export interface IntegrationError {
  readonly reason: string;
  readonly message: string;
  readonly attempt: string;
  readonly at: string;
}

/** The Secret Manager versions the connection uses, pinned so concurrent attempts cannot mix credentials. */
export interface CredentialVersions {
  readonly clientSecretVersion: string;
  readonly refreshTokenVersion: string;
}

/** The admin who connected: the PBX admin's uid and the Google account that consented. */
export interface ConnectedBy {
  readonly uid: string;
  readonly googleEmail: string;
  /** The Google account's `sub`, which is also its Directory user id and, unlike the address, never changes.
   * Integrations connected before it was recorded have none. */
  readonly googleUserId?: string;
  /** The PBX admin's own address, where alerts go until the admins list others. */
  readonly adminEmail?: string;
}

/** The stored integration. */
export interface GoogleIntegration {
  readonly status: IntegrationStatus;
  readonly clientId?: string;
  readonly customerId?: string;
  readonly primaryDomain?: string;
  readonly connectedBy?: ConnectedBy;
  readonly connectedAt?: string;
  readonly scopes?: readonly string[];
  readonly credentials?: CredentialVersions;
  readonly lastError?: IntegrationError;
  /** Why the stored authorization stopped working, while the status is reauthorization_required. */
  readonly authorizationProblem?: AuthorizationProblem;
  /** The admin paused synchronization: no run starts and no push is applied until "Resume". The connection itself
   * stays as it is (unlike Disconnect), and so do the extensions and links. */
  readonly paused?: boolean;
  readonly pausedAt?: string;
  readonly updatedAt?: string;
}

/** The integration as stored: before the first connect it may hold only a failed attempt, with no status. */
export interface StoredIntegration extends Omit<GoogleIntegration, 'status'> {
  readonly status?: IntegrationStatus;
  readonly disconnectedAt?: string;
}

const optionalText = z.string().optional();

const storedIntegrationDocument = documentConverter<StoredIntegration>(
  documentSchema<StoredIntegration>()({
    status: z.enum(['not_connected', 'connected', 'reauthorization_required', 'disconnecting']).optional(),
    clientId: optionalText,
    customerId: optionalText,
    primaryDomain: optionalText,
    connectedBy: z
      .object({ uid: z.string(), googleEmail: z.string(), googleUserId: optionalText, adminEmail: optionalText })
      .optional(),
    connectedAt: optionalText,
    scopes: z.array(z.string()).optional(),
    credentials: z.object({ clientSecretVersion: z.string(), refreshTokenVersion: z.string() }).optional(),
    lastError: z.object({ reason: z.string(), message: z.string(), attempt: z.string(), at: z.string() }).optional(),
    authorizationProblem: z
      .object({
        code: z.enum(AUTHORIZATION_PROBLEM_CODES),
        message: z.string(),
        needsNewCredentials: z.boolean(),
        at: z.string(),
      })
      .optional(),
    paused: z.boolean().optional(),
    pausedAt: optionalText,
    updatedAt: optionalText,
    disconnectedAt: optionalText,
  }),
);

/** Secret Manager ids of a tenant's Google credentials. */
export const secretIds = (tenantId: string) => ({
  clientSecret: `t-${tenantId}-google-client-secret`,
  /** A newly entered secret waits here until its consent succeeds, so a failed attempt breaks nothing. */
  pendingClientSecret: `t-${tenantId}-google-client-secret-pending`,
  refreshToken: `t-${tenantId}-google-refresh-token`,
});

/** The document of a tenant's integration. */
export function integrationRef(db: Firestore, tenantId: string) {
  return db.doc(`tenants/${tenantId}/integrations/google`).withConverter(storedIntegrationDocument);
}

/** The integration of a stored integration document, or of none: a tenant that never connected (perhaps with
 * failed attempts) is not_connected. */
export function integrationOf(data: StoredIntegration | undefined): GoogleIntegration {
  return { ...data, status: data?.status ?? 'not_connected' };
}

/** Reads the integration; a tenant that never connected (perhaps with failed attempts) is not_connected. */
export async function readIntegration(db: Firestore, tenantId: string): Promise<GoogleIntegration> {
  return integrationOf((await integrationRef(db, tenantId).get()).data());
}

/** Records a failed connect attempt without touching a working connection. */
export async function recordConnectError(
  db: Firestore,
  tenantId: string,
  error: Omit<IntegrationError, 'at'>,
): Promise<void> {
  const at = new Date().toISOString();
  await integrationRef(db, tenantId).set({ lastError: { ...error, at }, updatedAt: at }, { merge: true });
}

/** A connection to record; a new one always names the Google account by its `sub`. */
export type Connection = Required<
  Pick<GoogleIntegration, 'clientId' | 'customerId' | 'primaryDomain' | 'scopes' | 'credentials'>
> & {
  readonly connectedBy: Required<Omit<ConnectedBy, 'adminEmail'>> & Pick<ConnectedBy, 'adminEmail'>;
};

/** Records a successful connect atomically and returns the connection it replaced. `admit` sees the stored
 * integration inside the transaction and throws to refuse the commit. */
export async function recordConnected(
  db: Firestore,
  tenantId: string,
  connection: Connection,
  admit: (previous: GoogleIntegration) => void,
): Promise<GoogleIntegration> {
  const ref = integrationRef(db, tenantId);
  const alert = alertPaths(db, tenantId).condition('reauthorization_required');
  return db.runTransaction(async (transaction) => {
    const [snapshot, reauthorizationAlert] = await getAllOf(transaction, ref, alert);
    const stored = snapshot.data();
    const previous: GoogleIntegration = { ...stored, status: stored?.status ?? 'not_connected' };
    admit(previous);
    clearAlert(transaction, reauthorizationAlert, {
      detail: `${connection.connectedBy.googleEmail} authorized Google Workspace again; synchronization goes on.`,
    });
    const now = new Date().toISOString();
    transaction.set(
      ref,
      {
        ...connection,
        status: 'connected',
        connectedAt: now,
        updatedAt: now,
        lastError: FieldValue.delete(),
        authorizationProblem: FieldValue.delete(),
      },
      { merge: true },
    );
    return previous;
  });
}

/** Marks the integration "reauthorization required" for `problem`, unless it was reconnected meanwhile: a refusal
 * of credentials no longer stored says nothing about the ones that are. */
export async function markReauthorizationRequired(
  db: Firestore,
  tenantId: string,
  refused: CredentialVersions,
  problem: AuthorizationProblem,
): Promise<void> {
  const ref = integrationRef(db, tenantId);
  const alert = alertPaths(db, tenantId).condition('reauthorization_required');
  await db.runTransaction(async (transaction) => {
    const [snapshot, reauthorizationAlert] = await getAllOf(transaction, ref, alert);
    const stored = snapshot.data();
    const current = stored?.credentials;
    if (
      stored?.status !== 'connected' ||
      current?.refreshTokenVersion !== refused.refreshTokenVersion ||
      current.clientSecretVersion !== refused.clientSecretVersion
    )
      return;
    transaction.set(
      ref,
      { status: 'reauthorization_required', authorizationProblem: problem, updatedAt: problem.at },
      { merge: true },
    );
    raiseAlert(transaction, reauthorizationAlert, { detail: problem.message });
    // The next tick stops the push channels: a tenant waiting for reauthorization keeps none.
    transaction.set(pushPaths(db, tenantId).channelsState, { renewAt: 0 }, { merge: true });
  });
}
