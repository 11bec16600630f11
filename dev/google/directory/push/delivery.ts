// How Google delivers push notifications: a POST to the channel's address with the X-Goog-* headers and, for a
// change, the user resource's id, etag and primary e-mail. An answer of 200, 201, 202, 204 or 102 is success; a
// 500, 502, 503 or 504 is retried with exponential backoff; any other answer is a failure and is not retried
// (the push guide's "Respond to notifications"). Deliveries are not ordered: each is sent on its own.
//
// Faults reproduce what a receiver meets from Google: deliveries paused (the test stack starts so, since every test
// tenant watches the same demo customer), notifications dropped, duplicated or delivered in reverse order, and
// forged ones posted to a channel's address by someone who is not Google.
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { DirectoryUser } from '../../fixture/types.ts';
import type { Channel } from './channels.ts';

/** What a channel says in X-Goog-Resource-State. */
export type ResourceState = 'sync' | Channel['event'];

/** One notification as posted. */
export interface Notification {
  readonly address: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** For the log. */
  readonly channelId: string;
  readonly messageNumber: number;
  readonly state: ResourceState;
  readonly userId?: string | undefined;
}

/** What became of one notification. */
export interface DeliveryRecord {
  readonly channelId: string;
  readonly messageNumber: number;
  readonly state: ResourceState;
  readonly userId?: string | undefined;
  /** `paused` and `dropped` were never sent. */
  outcome: 'pending' | 'delivered' | 'failed' | 'dropped' | 'paused';
  /** The receiver's last answer (0: no answer). */
  status?: number;
  attempts: number;
  readonly forged?: string;
  readonly at: number;
}

/** Injected delivery faults, each for the next `n` change notifications (the sync message is never faulted). */
export interface DeliveryFaults {
  drop?: number;
  duplicate?: number;
  /** Hold this many and deliver them last first. */
  reorder?: number;
}

const SUCCESS = new Set([102, 200, 201, 202, 204]);
const RETRIED = new Set([500, 502, 503, 504]);
const MAX_ATTEMPTS = 6;
const FIRST_BACKOFF_MS = 100;
/** A reorder batch that does not fill up within this time is delivered as it is. */
const REORDER_WAIT_MS = 1000;
const LOG_SIZE = 2000;

/** Builds the notification a channel sends; `user` for a change, none for `sync`. */
export function notificationOf(
  channel: Channel,
  state: ResourceState,
  messageNumber: number,
  user?: DirectoryUser,
): Notification {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json; charset=UTF-8',
    'X-Goog-Channel-ID': channel.id,
    'X-Goog-Channel-Expiration': new Date(channel.expiration).toUTCString(),
    'X-Goog-Resource-ID': channel.resourceId,
    'X-Goog-Resource-URI': channel.resourceUri,
    'X-Goog-Resource-State': state,
    'X-Goog-Message-Number': String(messageNumber),
  };
  if (channel.token !== undefined) headers['X-Goog-Channel-Token'] = channel.token;
  const body = user
    ? JSON.stringify({ kind: 'admin#directory#user', id: user.id, etag: user.etag, primaryEmail: user.primaryEmail })
    : '';
  return {
    address: channel.address,
    headers,
    body,
    channelId: channel.id,
    messageNumber,
    state,
    userId: user?.id ?? undefined,
  };
}

/** Sends notifications, under the injected faults, and keeps a log of what became of each. */
export class PushDelivery {
  #enabled: boolean;
  #faults: Required<DeliveryFaults> = { drop: 0, duplicate: 0, reorder: 0 };
  #reorderBatch: { notification: Notification; record: DeliveryRecord }[] = [];
  #reorderTimer: NodeJS.Timeout | undefined;
  readonly #log: DeliveryRecord[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  /** The last notification each channel delivered, for replays. */
  readonly #lastDelivered = new Map<string, Notification>();

  constructor(enabled: boolean) {
    this.#enabled = enabled;
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /** Turns delivery on or off: while off, notifications are numbered but never sent, as lost ones are. */
  setEnabled(on: boolean): void {
    this.#enabled = on;
  }

  /** Adds to the faults waiting for the next change notifications. */
  inject(faults: DeliveryFaults): void {
    this.#faults.drop += faults.drop ?? 0;
    this.#faults.duplicate += faults.duplicate ?? 0;
    this.#faults.reorder += faults.reorder ?? 0;
  }

  /** Delivers (or, under a fault, drops, doubles or holds back) one notification. */
  send(notification: Notification): void {
    const record = this.#record(notification);
    if (!this.#enabled) {
      record.outcome = 'paused';
      return;
    }
    if (notification.state !== 'sync' && this.#faults.drop > 0) {
      this.#faults.drop--;
      record.outcome = 'dropped';
      return;
    }
    if (notification.state !== 'sync' && this.#faults.reorder > 0) {
      this.#faults.reorder--;
      this.#reorderBatch.push({ notification, record });
      if (this.#faults.reorder === 0) this.#flushReordered();
      else this.#reorderTimer ??= setTimeout(() => this.#flushReordered(), REORDER_WAIT_MS);
      return;
    }
    this.#post(notification, record);
    if (notification.state !== 'sync' && this.#faults.duplicate > 0) {
      this.#faults.duplicate--;
      this.#post(notification, this.#record(notification));
    }
  }

  /** Posts a notification nobody numbered: a forgery (`how` says which) or a replay. Answers the receiver's status. */
  async forge(notification: Notification, how: string): Promise<number> {
    const record = this.#record(notification, how);
    await this.#attempt(notification, record);
    return record.status ?? 0;
  }

  /** The last notification a channel delivered. */
  lastDelivered(channelId: string): Notification | undefined {
    return this.#lastDelivered.get(channelId);
  }

  /** Resolves once nothing is being sent or held back. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0 || this.#reorderBatch.length > 0) {
      await Promise.all([...this.#inFlight]);
      if (this.#reorderBatch.length > 0) await delay(50);
    }
  }

  /** What became of the notifications sent so far, oldest first. */
  log(): readonly DeliveryRecord[] {
    return this.#log;
  }

  /** Faults still waiting. */
  pendingFaults(): DeliveryFaults {
    return { ...this.#faults };
  }

  /** Clears the faults and the log; the on/off switch stays as it is. */
  reset(): void {
    this.#faults = { drop: 0, duplicate: 0, reorder: 0 };
    this.#flushReordered();
    this.#log.length = 0;
  }

  #record(notification: Notification, forged?: string): DeliveryRecord {
    const record: DeliveryRecord = {
      channelId: notification.channelId,
      messageNumber: notification.messageNumber,
      state: notification.state,
      userId: notification.userId,
      outcome: 'pending',
      attempts: 0,
      at: Date.now(),
      ...(forged !== undefined && { forged }),
    };
    this.#log.push(record);
    if (this.#log.length > LOG_SIZE) this.#log.splice(0, this.#log.length - LOG_SIZE);
    return record;
  }

  #flushReordered(): void {
    clearTimeout(this.#reorderTimer);
    this.#reorderTimer = undefined;
    const batch = this.#reorderBatch.reverse();
    this.#reorderBatch = [];
    for (const { notification, record } of batch) this.#post(notification, record);
  }

  #post(notification: Notification, record: DeliveryRecord): void {
    const sending = this.#deliver(notification, record).finally(() => this.#inFlight.delete(sending));
    this.#inFlight.add(sending);
  }

  async #deliver(notification: Notification, record: DeliveryRecord): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (attempt > 0) await delay(FIRST_BACKOFF_MS * 2 ** (attempt - 1));
      await this.#attempt(notification, record);
      if (record.outcome === 'delivered') {
        this.#lastDelivered.set(notification.channelId, notification);
        return;
      }
      if (record.status !== 0 && !RETRIED.has(record.status ?? 0)) return;
    }
  }

  async #attempt(notification: Notification, record: DeliveryRecord): Promise<void> {
    record.attempts++;
    try {
      const response = await fetch(notification.address, {
        method: 'POST',
        headers: notification.headers,
        body: notification.body,
        signal: AbortSignal.timeout(30_000),
      });
      await response.arrayBuffer();
      record.status = response.status;
    } catch {
      record.status = 0;
    }
    record.outcome = SUCCESS.has(record.status) ? 'delivered' : 'failed';
  }
}

/** A token no channel was given: for forged notifications. */
export function forgedToken(): string {
  return randomBytes(32).toString('base64url');
}
