// Each connected tenant on an eligible plan keeps one live channel per watched event. Channels expire and cannot be
// renewed, so a new one is opened well before the old one ends; both are heard until the old one ends, and then it
// is stopped, so no window is lost. A tenant that is no longer connected (disconnected, waiting for reauthorization),
// whose admin paused synchronization, or no longer on an eligible plan keeps none. The tick calls this for the
// tenants whose renewal is due, and connect once it succeeds.
import { createHash, randomBytes } from 'node:crypto';
import { FieldValue, type Firestore } from '@google-cloud/firestore';
import type { AppConfig } from '../config.ts';
import { readIntegration } from '../connect/integration.ts';
import type { DirectoryProvider, TenantDirectory, UserEvent } from '../google/directory.ts';
import { log } from '../log.ts';
import { getTenant, hasIntegrationPlan } from '../tenants/tenant.ts';
import { pushChannels, pushPaths, WATCHED_EVENTS, type PushChannel } from './push-documents.ts';
import { alertPaths, clearAlert, raiseAlert } from '../alerts/alerts.ts';
import { getAllOf } from '../platform/typed-documents.ts';

/** What channel upkeep needs. */
export interface ChannelDependencies {
  readonly config: AppConfig;
  readonly db: Firestore;
  readonly directory: DirectoryProvider;
}

/** The lifetime asked for a channel; Google may grant less. */
export const CHANNEL_LIFETIME_MS = 6 * 3600_000;
/** A channel is replaced this long before it ends (or at half its life, if shorter). */
const RENEW_BEFORE_MS = 3600_000;
/** After a failed renewal the tick tries again this much later. */
const RETRY_AFTER_MS = 5 * 60_000;
/** How long one renewal may hold the tenant's channels. */
const RENEWAL_LEASE_MS = 60_000;

/** The address Google posts notifications to: the Hosting rewrite of `directoryPush`. */
export function pushAddress(config: AppConfig): string {
  return `${config.publicBaseUrl}/google/directory/push`;
}

/** The hash a channel record keeps of its token. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function renewalTime(channel: Pick<PushChannel, 'createdAt' | 'expiresAt'>): number {
  return channel.expiresAt - Math.min(RENEW_BEFORE_MS, (channel.expiresAt - channel.createdAt) / 2);
}

// The renewal lease: one upkeep of a tenant's channels at a time (connect and a tick may meet).
async function takeRenewal(db: Firestore, tenantId: string, now: number): Promise<boolean> {
  const ref = pushPaths(db, tenantId).channelsState;
  return db.runTransaction(async (transaction) => {
    const state = (await transaction.get(ref)).data();
    if ((state?.renewingUntil ?? 0) > now) return false;
    transaction.set(ref, { renewingUntil: now + RENEWAL_LEASE_MS }, { merge: true });
    return true;
  });
}

async function tenantChannels(db: Firestore, tenantId: string) {
  return (await pushChannels(db).where('tenant', '==', tenantId).get()).docs;
}

/** Whether the tenant should keep channels: connected and not paused, on a plan that includes the integration. */
async function keepsChannels(db: Firestore, tenantId: string): Promise<boolean> {
  const [integration, tenant] = await Promise.all([readIntegration(db, tenantId), getTenant(db, tenantId)]);
  return integration.status === 'connected' && integration.paused !== true && hasIntegrationPlan(tenant);
}

async function openChannel(
  deps: ChannelDependencies,
  directory: TenantDirectory,
  tenantId: string,
  event: UserEvent,
  now: number,
) {
  const id = `${event}-${randomBytes(16).toString('hex')}`;
  const token = randomBytes(32).toString('base64url');
  const opened = await directory.watchUsers(event, {
    id,
    token,
    address: pushAddress(deps.config),
    expiration: now + CHANNEL_LIFETIME_MS,
  });
  const channel: PushChannel = {
    tenant: tenantId,
    event,
    resourceId: opened.resourceId,
    tokenHash: tokenHash(token),
    expiresAt: opened.expiration,
    status: 'live',
    createdAt: now,
  };
  await pushChannels(deps.db).doc(id).set(channel);
  return channel;
}

/** Keeps the tenant's channels: opens what is missing or due, stops what has ended; when the tenant should keep
 * none, stops them all. Records when it is next due, or why it failed. */
export async function maintainChannels(deps: ChannelDependencies, tenantId: string, now: number): Promise<void> {
  if (!(await takeRenewal(deps.db, tenantId, now))) return;
  if (!(await keepsChannels(deps.db, tenantId))) {
    await stopChannels(deps, tenantId);
    return;
  }
  const directory = deps.directory.forTenant(tenantId);
  try {
    const records = await tenantChannels(deps.db, tenantId);
    let nextDue = Number.POSITIVE_INFINITY;
    for (const event of WATCHED_EVENTS) {
      const heard = records.filter((doc) => doc.data().event === event && doc.data().expiresAt > now);
      const live = heard.filter((doc) => doc.data().status === 'live' && renewalTime(doc.data()) > now);
      if (live.length === 0) {
        const opened = await openChannel(deps, directory, tenantId, event, now);
        // The older ones are still heard until they end, when the next upkeep stops them; only the new one is renewed.
        for (const old of heard) {
          await old.ref.update({ status: 'replaced' });
          nextDue = Math.min(nextDue, old.data().expiresAt);
        }
        nextDue = Math.min(nextDue, renewalTime(opened));
      } else nextDue = Math.min(nextDue, ...live.map((doc) => renewalTime(doc.data())));
    }
    for (const ended of records.filter((doc) => doc.data().expiresAt <= now)) {
      await directory.stopChannel(ended.id, ended.data().resourceId).catch(() => undefined);
      await ended.ref.delete();
    }
    // Replaced channels are stopped when they end: the next upkeep must come by then.
    for (const replaced of records.filter((doc) => doc.data().status === 'replaced' && doc.data().expiresAt > now)) {
      nextDue = Math.min(nextDue, replaced.data().expiresAt);
    }
    await recordRenewal(deps.db, tenantId, now, { renewAt: nextDue });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.warn('Push channels could not be renewed', { tenant: tenantId, error });
    await recordRenewal(deps.db, tenantId, now, { renewAt: now + RETRY_AFTER_MS, failure: message });
  }
}

/** Renewals may fail this long before the admins are alerted: the tick retries every few minutes meanwhile. */
export const PUSH_ALERT_AFTER_MS = 3600_000;

// Records how a renewal went, and in the same commit raises the alert once renewals have failed for over an hour, or
// clears it when one succeeds.
async function recordRenewal(
  db: Firestore,
  tenantId: string,
  now: number,
  outcome: { renewAt: number; failure?: string },
): Promise<void> {
  const state = pushPaths(db, tenantId).channelsState;
  const alert = alertPaths(db, tenantId).condition('push_stopped');
  await db.runTransaction(async (transaction) => {
    const [stored, pushAlert] = await getAllOf(transaction, state, alert);
    if (outcome.failure === undefined) {
      transaction.set(
        state,
        {
          renewAt: outcome.renewAt,
          renewingUntil: 0,
          lastRenewedAt: now,
          lastError: FieldValue.delete(),
          failingSince: FieldValue.delete(),
        },
        { merge: true },
      );
      clearAlert(transaction, pushAlert, {
        detail: 'The push channels were renewed: changes in Google arrive within a minute again.',
      });
      return;
    }
    const failingSince = stored.data()?.failingSince ?? now;
    transaction.set(
      state,
      { renewAt: outcome.renewAt, renewingUntil: 0, lastError: { message: outcome.failure, at: now }, failingSince },
      { merge: true },
    );
    if (now - failingSince > PUSH_ALERT_AFTER_MS) raiseAlert(transaction, pushAlert, { detail: outcome.failure });
  });
}

/** Stops every channel of the tenant and forgets them; Google may still post on one it could not be told to stop,
 * until it ends, and the webhook refuses those. */
export async function stopChannels(deps: ChannelDependencies, tenantId: string): Promise<void> {
  const directory = deps.directory.forTenant(tenantId);
  for (const doc of await tenantChannels(deps.db, tenantId)) {
    await directory.stopChannel(doc.id, doc.data().resourceId).catch((error: unknown) => {
      log.info('A push channel could not be stopped at Google; it ends by itself', { tenant: tenantId, error });
    });
    await doc.ref.delete();
  }
  await pushPaths(deps.db, tenantId).channelsState.set({ renewingUntil: 0 }, { merge: true });
  await pushPaths(deps.db, tenantId).channelsState.update({
    renewAt: FieldValue.delete(),
    lastError: FieldValue.delete(),
    failingSince: FieldValue.delete(),
  });
}

/** Asks the next tick to open the tenant's channels (after connect). */
export async function channelsDueNow(db: Firestore, tenantId: string): Promise<void> {
  await pushPaths(db, tenantId).channelsState.set({ renewAt: 0 }, { merge: true });
}
