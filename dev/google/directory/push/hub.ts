// The stand-in's push side as one object: the channels, their delivery, and the announcements a change of the
// fixture makes. Google sends a channel's `sync` message as soon as it is opened, and a notification to every live
// channel watching the event of each change.
import type { FixtureStore } from '../../fixture/store.ts';
import type { DirectoryUser } from '../../fixture/types.ts';
import { ChannelRegistry, isLive, unknownChannelId, type Channel, type ChannelRequest } from './channels.ts';
import { forgedToken, notificationOf, PushDelivery, type Notification } from './delivery.ts';
import { userChanges } from './user-events.ts';

/** The forged notifications a test can have posted to a channel's address. */
export const FORGERIES = ['wrong-token', 'unknown-channel', 'expired', 'replay'] as const;

/** One kind of forged notification. */
export type Forgery = (typeof FORGERIES)[number];

/** Why a forgery could not be made. */
export class ForgeryError extends Error {}

/** Channels, delivery and the fixture's announcements. */
export class DirectoryPush {
  readonly channels = new ChannelRegistry();
  readonly delivery: PushDelivery;
  readonly #fixtures: FixtureStore;
  readonly #clock: () => number;
  #grantedLifetimeMs: number | undefined;

  constructor(options: { fixtures: FixtureStore; clock: () => number; deliver: boolean }) {
    this.#fixtures = options.fixtures;
    this.#clock = options.clock;
    this.delivery = new PushDelivery(options.deliver);
    options.fixtures.onReplace((before, after) => {
      const now = this.now();
      for (const change of userChanges(before, after)) {
        for (const channel of this.channels.watching(change.customerId, change.event, now)) {
          this.delivery.send(
            notificationOf(channel, change.event, this.channels.nextMessageNumber(channel), change.user),
          );
        }
      }
    });
  }

  /** The stand-in's time (its clock moves with the Directory stand-in's). */
  now(): number {
    return this.#clock();
  }

  /** Google may grant a channel less than asked: from now on, at most `ms` (undefined: the usual maximum). */
  grantAtMost(ms: number | undefined): void {
    this.#grantedLifetimeMs = ms;
  }

  /** Opens a channel and sends its `sync` message. */
  open(request: ChannelRequest, now: number): Channel {
    const limit = this.#grantedLifetimeMs === undefined ? undefined : now + this.#grantedLifetimeMs;
    const expiration = limit === undefined ? request.expiration : Math.min(request.expiration ?? limit, limit);
    const channel = this.channels.open({ ...request, expiration }, now);
    // After the watch's answer has gone out, as Google's sync message follows it.
    setImmediate(() => {
      this.delivery.send(notificationOf(channel, 'sync', this.channels.nextMessageNumber(channel)));
    });
    return channel;
  }

  /** Posts a forged notification about `userId` (by default the customer's first user) to a channel's address;
   * answers the receiver's status. */
  async forge(how: Forgery, channelId: string, userId?: string): Promise<number> {
    const channel = this.channels.get(channelId);
    if (!channel) throw new ForgeryError(`no channel ${channelId} was ever opened`);
    const now = this.now();
    if (how === 'replay') {
      if (isLive(channel, now)) throw new ForgeryError(`channel ${channelId} is still live: stop it first`);
      const last = this.delivery.lastDelivered(channelId);
      if (!last) throw new ForgeryError(`channel ${channelId} delivered nothing to replay`);
      return this.delivery.forge(last, how);
    }
    if (how === 'expired' && channel.expiration > now) throw new ForgeryError(`channel ${channelId} has not expired`);
    if (how !== 'expired' && !isLive(channel, now)) throw new ForgeryError(`channel ${channelId} is not live`);
    const user = this.#userOf(channel, userId);
    const genuine = notificationOf(channel, channel.event, channel.lastMessageNumber + 1, user);
    return this.delivery.forge(forged(genuine, how), how);
  }

  /** Clears delivery faults and log and the granted lifetime; channels and the on/off switch stay. */
  reset(): void {
    this.delivery.reset();
    this.#grantedLifetimeMs = undefined;
  }

  #userOf(channel: Channel, userId: string | undefined): DirectoryUser {
    const org = this.#fixtures.orgByCustomerId(channel.customerId);
    const user = userId ? org?.users.find((candidate) => candidate.id === userId) : org?.users[0];
    if (!user) throw new ForgeryError(`customer ${channel.customerId} has no user ${userId ?? ''}`);
    return user;
  }
}

function forged(genuine: Notification, how: Forgery): Notification {
  if (how === 'wrong-token')
    return { ...genuine, headers: { ...genuine.headers, 'X-Goog-Channel-Token': forgedToken() } };
  if (how === 'unknown-channel') {
    const channelId = unknownChannelId();
    return { ...genuine, channelId, headers: { ...genuine.headers, 'X-Goog-Channel-ID': channelId } };
  }
  return genuine;
}
