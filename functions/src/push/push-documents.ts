// The documents of Directory push notifications. A channel's record is top-level, `pushChannels/{channelId}`, as a
// notification names its channel and nothing else; it holds the hash of the channel's token, never the token. Each
// tenant's own state is under the tenant: when its channels are due for renewal and how the last renewal went, the
// push deletions of the last hour (their limit), each user's last read, each notification's claim, and the recent
// changes the page lists.
import { Timestamp, type Firestore } from '@google-cloud/firestore';
import { z } from 'zod';
import { documentConverter, documentSchema } from '../platform/typed-documents.ts';
import type { UserEvent } from '../google/directory.ts';

/** The events a tenant's channels watch: each its own channel, as users.watch takes one event. */
export const WATCHED_EVENTS: readonly UserEvent[] = ['add', 'update', 'delete', 'undelete'];

/** `pushChannels/{channelId}`. */
export interface PushChannel {
  readonly tenant: string;
  readonly event: UserEvent;
  readonly resourceId: string;
  /** sha256 of the channel's token, hex. */
  readonly tokenHash: string;
  /** When Google ends the channel, ms since the epoch. */
  readonly expiresAt: number;
  /** `live` until a newer channel for its event replaces it; a replaced one is still heard until it ends. */
  readonly status: 'live' | 'replaced';
  readonly createdAt: number;
}

/** `tenants/{t}/pushState/channels`: when the tenant's channels need attention, and how it last went. */
export interface PushChannelsState {
  /** The tick renews the tenant's channels from this time on (ms); absent when the tenant keeps none. */
  readonly renewAt?: number;
  /** One renewal at a time: until this time (ms) another holds it. */
  readonly renewingUntil?: number;
  readonly lastRenewedAt?: number;
  /** Why the last renewal failed, for the page. */
  readonly lastError?: { readonly message: string; readonly at: number };
  /** When renewals began to fail (ms), until one succeeds: past an hour the admins are alerted. */
  readonly failingSince?: number;
}

/** `tenants/{t}/pushState/deletions`: when each of the last push deletions happened (ms). */
export interface PushDeletions {
  readonly times: readonly number[];
  /** The run holding the push deletions beyond the limit, while the admin has not answered. */
  readonly holdRunId?: string | null;
}

/** `tenants/{t}/pushUsers/{userId}`: when a push task last started reading the user from Google (ms). */
export interface PushUser {
  readonly readAt: number;
}

/** What a push did to a user, as the page lists it. */
export type PushChangeKind = 'created' | 'updated' | 'associated' | 'renumbered' | 'deleted' | 'held' | 'skipped';

/** `tenants/{t}/pushChanges/{id}`. */
export interface PushChange {
  readonly at: number;
  readonly userId: string;
  readonly email: string;
  readonly change: PushChangeKind;
  readonly number?: string;
  readonly reason?: string;
  /** When Firestore's TTL deletes it. */
  readonly expiresAt: Timestamp;
}

const pushChannelDocument = documentConverter<PushChannel>(
  documentSchema<PushChannel>()({
    tenant: z.string(),
    event: z.enum(['add', 'update', 'delete', 'undelete']),
    resourceId: z.string(),
    tokenHash: z.string(),
    expiresAt: z.number(),
    status: z.enum(['live', 'replaced']),
    createdAt: z.number(),
  }),
);

const pushChannelsStateDocument = documentConverter<PushChannelsState>(
  documentSchema<PushChannelsState>()({
    renewAt: z.number().optional(),
    renewingUntil: z.number().optional(),
    lastRenewedAt: z.number().optional(),
    lastError: z.object({ message: z.string(), at: z.number() }).optional(),
    failingSince: z.number().optional(),
  }),
);

const pushDeletionsDocument = documentConverter<PushDeletions>(
  documentSchema<PushDeletions>()({ times: z.array(z.number()), holdRunId: z.string().nullable().optional() }),
);

const pushUserDocument = documentConverter<PushUser>(documentSchema<PushUser>()({ readAt: z.number() }));

const pushChangeDocument = documentConverter<PushChange>(
  documentSchema<PushChange>()({
    at: z.number(),
    userId: z.string(),
    email: z.string(),
    change: z.enum(['created', 'updated', 'associated', 'renumbered', 'deleted', 'held', 'skipped']),
    number: z.string().optional(),
    reason: z.string().optional(),
    expiresAt: z.instanceof(Timestamp),
  }),
);

/** The channel records of every tenant. */
export function pushChannels(db: Firestore) {
  return db.collection('pushChannels').withConverter(pushChannelDocument);
}

/** The references of one tenant's push state. */
export function pushPaths(db: Firestore, tenantId: string) {
  const tenant = db.doc(`tenants/${tenantId}`);
  return {
    channelsState: tenant.collection('pushState').doc('channels').withConverter(pushChannelsStateDocument),
    deletions: tenant.collection('pushState').doc('deletions').withConverter(pushDeletionsDocument),
    user: (userId: string) => tenant.collection('pushUsers').doc(userId).withConverter(pushUserDocument),
    /** One notification's claim: its task runs once, whatever Google or Pub/Sub deliver again. */
    event: (key: string) => tenant.collection('pushEvents').doc(key),
    changes: tenant.collection('pushChanges').withConverter(pushChangeDocument),
  };
}

/** The references of one tenant's push state. */
export type PushPaths = ReturnType<typeof pushPaths>;

/** The collection group the tick queries for channels due for renewal. */
export const PUSH_STATE_GROUP = 'pushState';
