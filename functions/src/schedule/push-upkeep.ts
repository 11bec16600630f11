// The tick's share of push notifications: the tenants whose channels are due (a channel to replace or to stop, a
// connect that could not open them, a failed renewal to try again, a tenant that no longer keeps any) get their
// channels kept. One tenant's trouble does not stop the others.
import { log } from '../log.ts';
import { maintainChannels, type ChannelDependencies } from '../push/channels.ts';
import { PUSH_STATE_GROUP } from '../push/push-documents.ts';

/** Keeps the channels of every tenant whose renewal is due at `now`. */
export async function renewDueChannels(deps: ChannelDependencies, now: Date): Promise<void> {
  const due = await deps.db.collectionGroup(PUSH_STATE_GROUP).where('renewAt', '<=', now.getTime()).get();
  for (const state of due.docs) {
    const tenantId = state.ref.parent.parent?.id;
    if (!tenantId) continue;
    await maintainChannels(deps, tenantId, now.getTime()).catch((error: unknown) => {
      log.warn('Push channels could not be kept', { tenant: tenantId, error });
    });
  }
}
