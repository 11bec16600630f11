// The messages of the sync's Pub/Sub topics, parsed at the edge: a malformed message is dropped, not retried.
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { CHAIN_PATTERN } from '../settings/sources.ts';

const tenant = z.string().regex(/^[a-z0-9-]{1,40}$/);

const pageTask = z.object({
  tenant,
  runId: z.string().min(1).max(64),
  chain: z.string().regex(CHAIN_PATTERN),
  page: z.number().int().min(0),
  pageToken: z.string().max(4096).optional(),
  /** The user ids a 'members' page fetches with users.get; that chain has no page tokens. */
  userIds: z.array(z.string().min(1).max(64)).max(100).optional(),
  /** Whether this is the last page of a 'members' chain. */
  last: z.boolean().optional(),
  notBefore: z.number().optional(),
});

const finalizeTask = z.object({
  tenant,
  runId: z.string().min(1).max(64),
  /** Applies the next chunk of a list of removals, rather than finalizing the listing. */
  apply: z.enum(['approved', 'decided']).optional(),
});
/** A mail of the outbox: a welcome mail's (the default), or an alert's. */
const mailTask = z.object({
  tenant,
  mailId: z.string().min(1).max(100),
  kind: z.enum(['welcome', 'alert']).optional(),
});

/** A page task: fetch page `page` of `chain` and apply it. */
export type PageTask = z.infer<typeof pageTask>;
/** A finalize task. */
export type FinalizeTask = z.infer<typeof finalizeTask>;
/** Removals applied in chunks: those an admin approved, or a finalize's own when they are many. */
export type RemovalList = NonNullable<FinalizeTask['apply']>;
/** A mail task: a welcome mail, or an alert. */
export type MailTask = z.infer<typeof mailTask>;

function parser<T>(schema: z.ZodType<T>, name: string) {
  return (data: unknown): T => {
    const parsed = schema.safeParse(data);
    if (!parsed.success) throw new AppError('invalid_request', `Malformed ${name} task`);
    return parsed.data;
  };
}

/** Parses a Pub/Sub page task. */
export const parsePageTask = parser(pageTask, 'page');
/** Parses a Pub/Sub finalize task. */
export const parseFinalizeTask = parser(finalizeTask, 'finalize');
/** Parses a Pub/Sub welcome mail task. */
export const parseMailTask = parser(mailTask, 'mail');

/** The JSON payload of a Pub/Sub CloudEvent as the Functions Framework delivers it. */
export function messageJson(event: { data?: unknown }): unknown {
  const data = (event.data as { message?: { data?: string } } | undefined)?.message?.data;
  if (!data) return undefined;
  try {
    return JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}
