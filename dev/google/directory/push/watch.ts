// users.watch and channels.stop. A watch is refused as Google refuses it: a channel id that is not 1 to 64 of
// [A-Za-z0-9-_+/=], a type other than web_hook, an address that is not HTTPS, a token over 256 characters, an id
// already open; a caller who does not administer the whole customer. The one deviation: an http address on the
// loopback interface is accepted, since the local stack has no certificate. channels.stop ends an open channel of
// the caller's project given its id and resource id, and answers 404 for any other (Google's wording:
// "Channel '<id>' not found for project '<number>'", googleapis/google-api-nodejs-client#627).
import type { admin_directory_v1 } from '@googleapis/admin';
import { z } from 'zod';
import { requireWholeCustomer } from '../admin-roles.ts';
import { requireAdminOf } from '../auth.ts';
import type { HandlerContext } from '../context.ts';
import { googleError, invalidInput } from '../errors.ts';
import { resolveListScope } from '../list-scope.ts';
import { enumParam, stringParam } from '../params.ts';
import { USER_EVENTS } from './channels.ts';

const CHANNEL_ID = /^[A-Za-z0-9\-_+/=]{1,64}$/;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const channelBody = z.looseObject({
  id: z.string().optional(),
  type: z.string().optional(),
  address: z.string().optional(),
  token: z.string().optional(),
  expiration: z.union([z.string(), z.number()]).optional(),
});

const stopBody = z.looseObject({ id: z.string().optional(), resourceId: z.string().optional() });

function checkAddress(address: string | undefined): string {
  if (!address) throw invalidInput('address');
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw invalidInput('address');
  }
  const loopbackHttp = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  // Google's answer to an http address (push guide: "This is an HTTPS server"; wording as reported by users of the
  // Calendar and Drive channels, which share the push service).
  if (url.protocol !== 'https:' && !loopbackHttp) {
    throw googleError(400, `WebHook callback must be HTTPS: ${address}`, 'push.webhookUrlNotHttps', {
      domain: 'global',
    });
  }
  return address;
}

function expirationOf(raw: string | number | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw invalidInput('expiration');
  return value;
}

/** POST admin/directory/v1/users/watch. */
export function watchUsers({ fixtures, caller, query, body, push }: HandlerContext): admin_directory_v1.Schema$Channel {
  const scope = resolveListScope(fixtures, caller, stringParam(query, 'customer'), stringParam(query, 'domain'));
  const org = requireAdminOf(caller, scope.org);
  requireWholeCustomer(caller, org, 'USERS_RETRIEVE');
  const event = enumParam(query, 'event', USER_EVENTS);
  if (!event) throw invalidInput('event');
  const parsed = channelBody.safeParse(body ?? {});
  if (!parsed.success) throw invalidInput('channel');
  const request = parsed.data;
  if (!request.id || !CHANNEL_ID.test(request.id)) throw invalidInput('id');
  if (request.type !== 'web_hook' && request.type !== 'webhook') throw invalidInput('type');
  const address = checkAddress(request.address);
  if (request.token !== undefined && request.token.length > 256) throw invalidInput('token');
  const now = push.now();
  // Wording assumed from the push service's other errors: no published body was found.
  if (push.channels.isOpen(request.id, now)) throw googleError(400, 'Channel id not unique', 'channelIdNotUnique');
  const channel = push.open(
    {
      id: request.id,
      address,
      token: request.token,
      event,
      customerId: org.customerId,
      projectNumber: caller.projectNumber,
      expiration: expirationOf(request.expiration),
    },
    now,
  );
  return {
    kind: 'api#channel',
    id: channel.id,
    resourceId: channel.resourceId,
    resourceUri: channel.resourceUri,
    ...(channel.token !== undefined && { token: channel.token }),
    expiration: String(channel.expiration),
  };
}

/** POST admin/directory_v1/channels/stop: answers no content. */
export function stopChannel({ caller, body, push }: HandlerContext): undefined {
  const parsed = stopBody.safeParse(body ?? {});
  const id = parsed.success ? (parsed.data.id ?? '') : '';
  const resourceId = parsed.success ? (parsed.data.resourceId ?? '') : '';
  const now = push.now();
  const channel = push.channels.findOpen(id, resourceId, caller.projectNumber, now);
  if (!channel) {
    throw googleError(404, `Channel '${id}' not found for project '${caller.projectNumber}'`, 'notFound');
  }
  push.channels.stop(channel, now);
  return undefined;
}
