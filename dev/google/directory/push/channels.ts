// The push channels the stand-in has opened, as Google keeps them: each watches one event of one customer's users,
// is owned by the Cloud project whose client opened it, numbers its messages from 1 (the `sync` message), and ends
// at its expiration. Google keeps no channel past its end and cannot renew one; a stopped or ended channel is kept
// here only so that tests can replay what it sent.
import { randomBytes } from 'node:crypto';

/** The events users.watch takes (Directory API reference, users.watch `event`). */
export const USER_EVENTS = ['add', 'delete', 'makeAdmin', 'undelete', 'update'] as const;

/** One event of users.watch. */
export type UserEvent = (typeof USER_EVENTS)[number];

/** The longest life the stand-in grants a channel. The Directory API does not publish its maximum; six hours is
 * what integrations report being granted, and what the product must plan for whatever the answer grants. */
export const MAX_CHANNEL_LIFETIME_MS = 6 * 3600_000;

/** A channel as Google keeps it. */
export interface Channel {
  readonly id: string;
  readonly resourceId: string;
  readonly resourceUri: string;
  readonly token: string | undefined;
  readonly address: string;
  readonly event: UserEvent;
  readonly customerId: string;
  /** The project of the OAuth client that opened it: only that project may stop it. */
  readonly projectNumber: string;
  /** Epoch ms, on the stand-in's clock. */
  readonly expiration: number;
  /** The number of the last message numbered on this channel. */
  lastMessageNumber: number;
  stoppedAt?: number;
}

/** What a watch request asks for, once validated. */
export interface ChannelRequest {
  readonly id: string;
  readonly address: string;
  readonly token: string | undefined;
  readonly event: UserEvent;
  readonly customerId: string;
  readonly projectNumber: string;
  /** Epoch ms asked for, if any. */
  readonly expiration: number | undefined;
}

// One resource id per watched collection, stable across watches, as Google's is "stable across API versions".
function resourceIdOf(customerId: string, event: UserEvent): string {
  return Buffer.from(`users:${customerId}:${event}`).toString('base64url');
}

/** The channels opened so far. */
export class ChannelRegistry {
  readonly #channels = new Map<string, Channel>();

  /** Opens a channel; the caller has checked the request. Google grants at most MAX_CHANNEL_LIFETIME_MS. */
  open(request: ChannelRequest, now: number): Channel {
    const longest = now + MAX_CHANNEL_LIFETIME_MS;
    const channel: Channel = {
      id: request.id,
      resourceId: resourceIdOf(request.customerId, request.event),
      resourceUri: `https://admin.googleapis.com/admin/directory/v1/users?alt=json&customer=${request.customerId}&event=${request.event}`,
      token: request.token,
      address: request.address,
      event: request.event,
      customerId: request.customerId,
      projectNumber: request.projectNumber,
      expiration: request.expiration === undefined ? longest : Math.min(request.expiration, longest),
      lastMessageNumber: 0,
    };
    this.#channels.set(channel.id, channel);
    return channel;
  }

  /** Whether a channel with this id is still open (ids must be unique among them). */
  isOpen(id: string, now: number): boolean {
    const channel = this.#channels.get(id);
    return channel !== undefined && isLive(channel, now);
  }

  /** The open channel with this id and resource id, owned by this project. */
  findOpen(id: string, resourceId: string, projectNumber: string, now: number): Channel | undefined {
    const channel = this.#channels.get(id);
    if (!channel || !isLive(channel, now)) return undefined;
    return channel.resourceId === resourceId && channel.projectNumber === projectNumber ? channel : undefined;
  }

  stop(channel: Channel, now: number): void {
    channel.stoppedAt = now;
  }

  /** The live channels watching `event` of the customer's users. */
  watching(customerId: string, event: UserEvent, now: number): Channel[] {
    return [...this.#channels.values()].filter(
      (channel) => channel.customerId === customerId && channel.event === event && isLive(channel, now),
    );
  }

  /** Every channel ever opened, live or not. */
  all(): Channel[] {
    return [...this.#channels.values()];
  }

  /** A channel by id, live or not. */
  get(id: string): Channel | undefined {
    return this.#channels.get(id);
  }

  /** Numbers the next message of a channel. Google's numbers grow but need not be consecutive. */
  nextMessageNumber(channel: Channel): number {
    channel.lastMessageNumber++;
    return channel.lastMessageNumber;
  }
}

/** A channel is live until it is stopped or its expiration passes. */
export function isLive(channel: Channel, now: number): boolean {
  return channel.stoppedAt === undefined && channel.expiration > now;
}

/** An id no channel has: for forged notifications. */
export function unknownChannelId(): string {
  return `forged-${randomBytes(12).toString('hex')}`;
}
