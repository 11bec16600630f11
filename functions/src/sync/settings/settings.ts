// The "User Synchronization" settings: what the admin saves, validated with messages that use the page's labels.
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { isExtensionNumber } from '../../extensions/extension-number.ts';
import { GjsonPathError, parseGjsonPath } from '../../gjson/gjson.ts';
import { documentConverter } from '../../platform/typed-documents.ts';

/** A picked organizational unit: its id survives renames, its path is what users.list queries. */
export interface PickedOrgUnit {
  readonly id: string;
  readonly path: string;
}

/** A picked group: members.list takes its id; the e-mail and name are for the page. */
export interface PickedGroup {
  readonly id: string;
  readonly email: string;
  readonly name: string;
}

/** A unit the "Organizational Units" picker offers. */
export interface OrgUnitChoice extends PickedOrgUnit {
  readonly name: string;
}

/** A group the "Group" picker offers. */
export interface GroupChoice extends PickedGroup {
  readonly directMembersCount: number;
}

/** The "User Range For Extension Auto Creation" options of this release. */
export type SyncRange = 'all' | 'orgUnits' | 'groups' | 'specific';

/** "Search Criteria" of Specific Users: the units and groups whose users "Search Users" offers, and outside which an
 * assigned user has left the range (auto delete). */
export interface SearchCriteria {
  readonly orgUnits: readonly PickedOrgUnit[];
  readonly groups: readonly PickedGroup[];
}

/** The saved settings of one tenant, `tenants/{t}/settings/sync`. */
export interface SyncSettings {
  readonly range: SyncRange;
  /** "Organizational Units": used by the orgUnits range, kept (not cleared) while another range is chosen. */
  readonly orgUnits: readonly PickedOrgUnit[];
  /** "Group": used by the groups range, kept likewise. */
  readonly groups: readonly PickedGroup[];
  /** "Search Criteria" of the specific range, kept likewise. */
  readonly specific: SearchCriteria;
  /** "Auto delete the Extensions no longer in sync": delete (on) or release (off) users who left the range. */
  readonly autoDelete: boolean;
  readonly numbering:
    { readonly mode: 'auto'; readonly start: string } | { readonly mode: 'property'; readonly path: string };
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
  orgUnits: [],
  groups: [],
  specific: { orgUnits: [], groups: [] },
  autoDelete: false,
  numbering: { mode: 'auto', start: '1000' },
  deleteWhen: 'deleted',
  autoAssociate: true,
  welcomeEmail: false,
  schedule: { frequency: 'daily', time: '00:30' },
  deletionLimit: null,
};

const MAX_PICKED = 100;

const orgUnit = z.object({
  id: z.string().min(1).max(100),
  path: z.string().regex(/^\/[^\n]{0,1000}$/, 'An organizational unit path starts with /'),
});
const group = z.object({ id: z.string().min(1).max(100), email: z.string().max(320), name: z.string().max(200) });

const settingsShape = z.object({
  range: z.enum(['all', 'orgUnits', 'groups', 'specific'], {
    error: '"User Range For Extension Auto Creation" must be one of the offered ranges',
  }),
  // Older saved settings predate these fields.
  orgUnits: z.array(orgUnit).max(MAX_PICKED, `Pick at most ${MAX_PICKED} organizational units`).default([]),
  groups: z.array(group).max(MAX_PICKED, `Pick at most ${MAX_PICKED} groups`).default([]),
  specific: z
    .object({
      orgUnits: z
        .array(orgUnit)
        .max(MAX_PICKED, `Pick at most ${MAX_PICKED} organizational units in "Search Criteria"`),
      groups: z.array(group).max(MAX_PICKED, `Pick at most ${MAX_PICKED} groups in "Search Criteria"`),
    })
    .default({ orgUnits: [], groups: [] }),
  autoDelete: z.boolean().default(false),
  numbering: z.discriminatedUnion(
    'mode',
    [
      z.object({
        mode: z.literal('auto'),
        start: z
          .string()
          .refine(isExtensionNumber, '"Start Extension Number from" must be 2 to 7 digits, not starting with 0'),
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
  deletionLimit: z
    .number()
    .int()
    .min(1, 'The deletion limit must be a whole number of 1 or more')
    .max(1_000_000)
    .nullable(),
});

/** The settings' shape, without the checks across fields that parseSyncSettings adds to what the page sends: a run's
 * record keeps the settings it ran with in this shape. */
export const syncSettingsSchema: z.ZodType<SyncSettings> = settingsShape;

/** The saved settings, `settings/sync`. */
export interface SavedSettings extends SyncSettings {
  readonly updatedAt?: string;
}

/** The saved settings' document. Fields of no setting are dropped, so a run never records them. */
export const savedSettingsDocument = documentConverter<SavedSettings>(
  settingsShape.extend({ updatedAt: z.string().optional() }),
);

/** Validates settings from the page; every problem is named in one message. */
export function parseSyncSettings(input: unknown): SyncSettings {
  const parsed = syncSettingsSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError('invalid_request', parsed.error.issues.map((issue) => issue.message).join('. ') + '.');
  }
  const settings = parsed.data;
  if (settings.range === 'orgUnits' && settings.orgUnits.length === 0) {
    throw new AppError('invalid_request', 'Pick at least one unit in "Organizational Units".');
  }
  if (settings.range === 'groups' && settings.groups.length === 0)
    throw new AppError('invalid_request', 'Pick at least one group in "Group".');
  if (settings.range === 'specific' && settings.specific.orgUnits.length + settings.specific.groups.length === 0) {
    throw new AppError('invalid_request', 'Pick at least one group or organizational unit in "Search Criteria".');
  }
  if (settings.numbering.mode === 'property') {
    try {
      parseGjsonPath(settings.numbering.path);
    } catch (error) {
      if (error instanceof GjsonPathError)
        throw new AppError('invalid_request', `"Property Name" is not a valid path: ${error.message}.`);
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
