// Disconnect: the token is revoked at Google, every secret version is destroyed, and the synced extensions are
// either kept, becoming ordinary editable extensions, or deleted, as the admin chose.
import { FieldValue, type Firestore } from '@google-cloud/firestore';
import type { AdminPrincipal } from '../admin/authenticate-admin.ts';
import { AppError } from '../errors.ts';
import { newOAuthClient } from '../google/clients.ts';
import { log } from '../log.ts';
import { integrationRef, readIntegration, secretIds } from './integration.ts';
import type { ConnectDependencies } from './start-connect.ts';

/** What happens to the Google-managed extensions. */
export type ExtensionsChoice = 'keep' | 'delete';

/** Disconnects the tenant's Google Workspace. Disconnecting twice is harmless. */
export async function disconnect(deps: ConnectDependencies, admin: AdminPrincipal, choice: unknown): Promise<{ extensions: number }> {
  if (choice !== 'keep' && choice !== 'delete') {
    throw new AppError('invalid_request', 'Choose whether to keep or delete the synced extensions.');
  }
  const tenantId = admin.tenantId;
  const ids = secretIds(tenantId);
  const integration = await readIntegration(deps.db, tenantId);
  const refreshToken = await deps.secrets.read(ids.refreshToken);
  const clientSecret = await deps.secrets.read(ids.clientSecret);
  if (refreshToken && clientSecret && integration.clientId) {
    const oauth = newOAuthClient(deps.config, { clientId: integration.clientId, clientSecret, redirectUri: deps.config.redirectUris.connect });
    // A token Google already revoked answers invalid_token; the goal, no live grant, holds either way.
    await oauth.revokeToken(refreshToken).catch((error: unknown) => log.warn('Token revocation failed', { tenant: tenantId, error }));
  }
  for (const secretId of Object.values(ids)) await deps.secrets.destroy(secretId);
  const extensions = await releaseOrDeleteExtensions(deps.db, tenantId, choice);
  await integrationRef(deps.db, tenantId).set({ status: 'not_connected', disconnectedAt: new Date().toISOString(), updatedAt: new Date().toISOString() });
  log.info('Google Workspace disconnected', { tenant: tenantId, extensions, choice });
  return { extensions };
}

async function releaseOrDeleteExtensions(db: Firestore, tenantId: string, choice: ExtensionsChoice): Promise<number> {
  const tenant = db.doc(`tenants/${tenantId}`);
  const managed = await tenant.collection('extensions').where('source', '==', 'google').get();
  const writer = db.bulkWriter();
  const writes: Array<Promise<unknown>> = [];
  for (const extension of managed.docs) {
    const google = extension.get('google') as { userId?: string } | undefined;
    if (google?.userId) writes.push(writer.delete(tenant.collection('googleLinks').doc(google.userId)));
    if (choice === 'keep') {
      writes.push(writer.update(extension.ref, { source: 'local', google: FieldValue.delete(), updatedAt: new Date().toISOString() }));
    } else {
      const email = extension.get('email') as string | undefined;
      if (email) writes.push(writer.delete(tenant.collection('extensionEmails').doc(email.toLowerCase())));
      writes.push(writer.delete(extension.ref));
    }
  }
  // Every write must land: a failed one rejects here and the admin can disconnect again.
  await Promise.all([...writes, writer.close()]);
  return managed.size;
}
