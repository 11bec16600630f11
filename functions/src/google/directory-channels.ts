// users.watch and channels.stop, the Directory API's push channels, with the same retries as its reads. Google
// answers the channel it opened with `expiration` as a string of milliseconds, which may be less than was asked.
import type { OAuth2Client } from 'google-auth-library';
import type { AppConfig } from '../config.ts';
import type { ChannelRequest, OpenedChannel, UserEvent } from './directory.ts';
import { DirectoryError } from './directory-errors.ts';
import { newDirectoryClient, withDirectoryRetry, type RetryPolicy } from './directory-api.ts';

/** Opens a channel for one event of the customer's users. */
export async function watchUsers(
  config: AppConfig,
  auth: OAuth2Client,
  event: UserEvent,
  channel: ChannelRequest,
  policy: RetryPolicy,
): Promise<OpenedChannel> {
  const directory = newDirectoryClient(config, auth);
  const { result } = await withDirectoryRetry(
    { what: 'opening a push channel' },
    () =>
      directory.users.watch({
        customer: 'my_customer',
        event,
        requestBody: {
          id: channel.id,
          type: 'web_hook',
          address: channel.address,
          token: channel.token,
          expiration: String(channel.expiration),
        },
      }),
    policy,
  );
  const granted = Number(result.data.expiration);
  return {
    resourceId: result.data.resourceId ?? '',
    expiration: Number.isFinite(granted) && granted > 0 ? Math.min(granted, channel.expiration) : channel.expiration,
  };
}

/** Stops a channel; one Google no longer knows (404) is stopped already. */
export async function stopChannel(
  config: AppConfig,
  auth: OAuth2Client,
  id: string,
  resourceId: string,
  policy: RetryPolicy,
): Promise<void> {
  const directory = newDirectoryClient(config, auth);
  try {
    await withDirectoryRetry(
      { what: 'stopping a push channel' },
      () => directory.channels.stop({ requestBody: { id, resourceId } }),
      policy,
    );
  } catch (error) {
    if (error instanceof DirectoryError && error.failure === 'not_found') return;
    throw error;
  }
}
