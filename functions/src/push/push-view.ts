// What the "User Synchronization" section says of push notifications: that updates from Google arrive within a
// minute, or why not (no channel open yet, channels expired, a failed renewal); and the recent changes pushes made.
import type { Firestore } from '@google-cloud/firestore';
import { pushChannels, pushPaths, WATCHED_EVENTS, type PushChange } from './push-documents.ts';

/** How many recent push changes the page lists. */
const SHOWN_CHANGES = 10;

/** The state of a tenant's push notifications, as the page shows it. */
export interface PushView {
  readonly state: 'live' | 'none' | 'expired' | 'failing';
  readonly message: string;
  readonly changes: ReadonlyArray<Omit<PushChange, 'userId' | 'expiresAt'>>;
}

/** Reads the tenant's push state at `now`. */
export async function pushView(db: Firestore, tenantId: string, now: number): Promise<PushView> {
  const paths = pushPaths(db, tenantId);
  const [channels, state, changes] = await Promise.all([
    pushChannels(db).where('tenant', '==', tenantId).get(),
    paths.channelsState.get(),
    paths.changes.orderBy('at', 'desc').limit(SHOWN_CHANGES).get(),
  ]);
  const heard = channels.docs.map((doc) => doc.data()).filter((channel) => channel.expiresAt > now);
  const covered = WATCHED_EVENTS.every((event) => heard.some((channel) => channel.event === event));
  const lastError = state.data()?.lastError;
  const listed = changes.docs.map((doc) => {
    const { userId: _userId, expiresAt: _expiresAt, ...shown } = doc.data();
    return shown;
  });
  if (covered) return { state: 'live', message: 'Updates from Google arrive within a minute.', changes: listed };
  if (lastError) {
    return {
      state: 'failing',
      message: `Updates from Google are not arriving: the push channels could not be renewed (${lastError.message}). It is tried again every few minutes; the nightly sync still runs.`,
      changes: listed,
    };
  }
  if (channels.docs.length > 0) {
    return {
      state: 'expired',
      message:
        'Updates from Google are not arriving: the push channels have expired. They are renewed within a minute; the nightly sync still runs.',
      changes: listed,
    };
  }
  return {
    state: 'none',
    message:
      'Updates from Google are not arriving yet: no push channel is open. One opens within a minute; the nightly sync still runs.',
    changes: listed,
  };
}
