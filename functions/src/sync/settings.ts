// The "User Synchronization" settings: what the admin saves, validated with messages that use the page's labels.
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { isExtensionNumber } from './extension-number.ts';
import { GjsonPathError, parseGjsonPath } from './property/gjson.ts';

/** The saved settings of one tenant, `tenants/{t}/settings/sync`. */
export interface SyncSettings {
  readonly range: 'all';
  readonly numbering: { readonly mode: 'auto'; readonly start: string } | { readonly mode: 'property'; readonly path: string };
  readonly deleteWhen: 'suspended' | 'archived' | 'deleted';
  readonly autoAssociate: boolean;
  readonly welcomeEmail: boolean;
  readonly schedule: { readonly frequency: 'daily' | 'off'; readonly time: string };
  /** Held-deletion threshold; null uses max(5, ceil(20% of the Google-managed extensions)). */
  readonly deletionLimit: number | null;
}

/** What a tenant that never saved gets. */
export const DEFAULT_SETTINGS: SyncSettings = {
  range: 'all',
  numbering: { mode: 'auto', start: '1000' },
  deleteWhen: 'deleted',
  autoAssociate: true,
  welcomeEmail: false,
  schedule: { frequency: 'daily', time: '00:30' },
  deletionLimit: null,
};

const schema = z.object({
  range: z.literal('all', { error: '"User Range For Extension Auto Creation" must be one of the offered ranges' }),
  numbering: z.discriminatedUnion(
    'mode',
    [
      z.object({
        mode: z.literal('auto'),
        start: z.string().refine(isExtensionNumber, '"Start Extension Number from" must be 2 to 7 digits, not starting with 0'),
      }),
      z.object({ mode: z.literal('property'), path: z.string().trim().min(1, '"Property Name" is required') }),
    ],
    { error: `"User's Extension Number" must be Assign Automatically or Read Specific Property Value` },
  ),
  deleteWhen: z.enum(['suspended', 'archived', 'deleted'], {
    error: '"Delete the Extension when its associated user account is" must be Suspended, Archived or Deleted',
  }),
  autoAssociate: z.boolean(),
  welcomeEmail: z.boolean(),
  schedule: z.object({
    frequency: z.enum(['daily', 'off'], { error: 'The schedule must be daily or off' }),
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'The sync time must be HH:MM, e.g. 00:30'),
  }),
  deletionLimit: z.number().int().min(1, 'The deletion limit must be a whole number of 1 or more').max(1_000_000).nullable(),
});

/** Validates settings from the page; every problem is named in one message. */
export function parseSyncSettings(input: unknown): SyncSettings {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new AppError('invalid_request', parsed.error.issues.map((issue) => issue.message).join('. ') + '.');
  }
  const settings = parsed.data;
  if (settings.numbering.mode === 'property') {
    try {
      parseGjsonPath(settings.numbering.path);
    } catch (error) {
      if (error instanceof GjsonPathError) throw new AppError('invalid_request', `"Property Name" is not a valid path: ${error.message}.`);
      throw error;
    }
  }
  return settings;
}

/** The top-level field of the user resource a property path starts with, when it is a plain key. */
export function propertyRoot(settings: SyncSettings): string | undefined {
  if (settings.numbering.mode !== 'property') return undefined;
  const first = parseGjsonPath(settings.numbering.path).components[0];
  return first?.kind === 'key' && !first.wildcard ? first.key : undefined;
}
