// Disconnect: the integration is marked disconnecting (so nothing starts with it), pending connects are voided,
// the grant is revoked at Google, every secret version is destroyed, and the synced extensions are kept as
// ordinary extensions or deleted, as the admin chose. If Google cannot be reached, nothing is removed.
import type { Firestore } from '@google-cloud/firestore';
import type { AdminPrincipal } from '../admin/authenticate-admin.ts';
import { AppError } from '../errors.ts';
import { newOAuthClient } from '../google/clients.ts';
import { log } from '../log.ts';
import { channelsDueNow, stopChannels, type ChannelDependencies } from '../push/channels.ts';
import { extensionOwnerFields } from '../extensions/extension.ts';
import { writeDelete, writeRelease, type Writer } from '../extensions/extension-writes.ts';
import { readFields } from '../platform/typed-documents.ts';
import { syncPaths } from '../tenants/paths.ts';
import { integrationRef, secretIds, type StoredIntegration } from './integration.ts';
import type { ConnectDependencies } from './start-connect.ts';

/** What happens to the Google-managed extensions. */
export type ExtensionsChoice = 'keep' | 'delete';

/** Disconnects the tenant's Google Workspace. Disconnecting twice is harmless. */
export async function disconnect(
  deps: ConnectDependencies & ChannelDependencies,
  admin: AdminPrincipal,
  choice: unknown,
): Promise<{ extensions: number }> {
  if (choice !== 'keep' && choice !== 'delete')
    throw new AppError('invalid_request', 'Choose whether to keep or delete the synced extensions.');
  const tenantId = admin.tenantId;
  const ref = integrationRef(deps.db, tenantId);
  // Push channels are stopped while the grant still works: once the integration is disconnecting, Google can no
  // longer be asked, and after the revoke a channel could only run out.
  await stopChannels(deps, tenantId);
  const previous = await deps.db.runTransaction(async (transaction) => {
    const stored: StoredIntegration = (await transaction.get(ref)).data() ?? { status: 'not_connected' };
    transaction.set(ref, { status: 'disconnecting', updatedAt: new Date().toISOString() }, { merge: true });
    return stored;
  });
  try {
    await voidPendingConnects(deps.db, tenantId);
    await revokeGrant(deps, tenantId, previous);
  } catch (error) {
    await ref.set({ status: previous.status }, { merge: true });
    // The connection stays: the next tick opens its push channels again.
    if (previous.status === 'connected') await channelsDueNow(deps.db, tenantId);
    throw error;
  }
  for (const secretId of Object.values(secretIds(tenantId))) await deps.secrets.destroy(secretId);
  const extensions = await releaseOrDeleteExtensions(deps.db, tenantId, choice);
  const now = new Date().toISOString();
  await ref.set({ status: 'not_connected', disconnectedAt: now, updatedAt: now });
  log.info('Google Workspace disconnected', { tenant: tenantId, extensions, choice });
  return { extensions };
}

async function voidPendingConnects(db: Firestore, tenantId: string): Promise<void> {
  const pending = await db
    .collection('oauthStates')
    .where('tenant', '==', tenantId)
    .where('purpose', '==', 'connect')
    .get();
  await Promise.all(pending.docs.map((state) => state.ref.delete()));
}

// Google's revoke endpoint needs no client authentication; a token it no longer knows is already revoked.
async function revokeGrant(deps: ConnectDependencies, tenantId: string, integration: StoredIntegration): Promise<void> {
  const version = integration.credentials?.refreshTokenVersion;
  const refreshToken = version
    ? await deps.secrets.readVersion(version)
    : await deps.secrets.read(secretIds(tenantId).refreshToken);
  if (!refreshToken) return;
  const oauth = newOAuthClient(deps.config, {
    clientId: integration.clientId ?? '',
    clientSecret: '',
    redirectUri: deps.config.redirectUris.connect,
  });
  try {
    await oauth.revokeToken(refreshToken);
  } catch (error) {
    const status = (error as { response?: { status?: number } }).response?.status;
    if (status === 400) return;
    log.warn('Token revocation failed', { tenant: tenantId, status: status ?? 'no response' });
    throw new AppError(
      'unavailable',
      'Google could not be reached to revoke access, so nothing was removed. Try Disconnect again.',
    );
  }
}

async function releaseOrDeleteExtensions(db: Firestore, tenantId: string, choice: ExtensionsChoice): Promise<number> {
  const paths = syncPaths(db, tenantId);
  const managed = await paths.extensions.where('source', '==', 'google').get();
  // The sync's own writes, sent by a bulk writer: every one's outcome is kept, so none fails unobserved.
  const bulk = db.bulkWriter();
  const writes: Array<Promise<unknown>> = [];
  const writer: Writer = {
    create: (ref, data) => writes.push(bulk.create(ref, data)),
    update: (ref, data) => writes.push(bulk.update(ref, data)),
    set: (ref, data) => writes.push(bulk.set(ref, data)),
    delete: (ref) => writes.push(bulk.delete(ref)),
  };
  for (const extension of managed.docs) {
    const { 'google.userId': userId, email } = readFields(extension, extensionOwnerFields);
    if (choice === 'keep') writeRelease(writer, paths, extension.id, userId);
    else writeDelete(writer, paths, extension.id, userId, email);
  }
  // Every write must land: a failed one rejects here and the admin can disconnect again.
  await Promise.all([...writes, bulk.close()]);
  return managed.size;
}
