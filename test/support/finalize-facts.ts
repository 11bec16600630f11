// Facts finalize decides from, built for the unit tests of its decision (sync/removals/finalize-decision.ts).
import type { Removal } from '../../functions/src/sync/removals/delete-or-release.ts';
import type { DonePage, FinalizedRun } from '../../functions/src/sync/removals/finalize-decision.ts';
import { zeroCounts, type RunCounts } from '../../functions/src/sync/run/run.ts';
import { DEFAULT_SETTINGS, type SyncSettings } from '../../functions/src/sync/settings/settings.ts';

/** The unit an orgUnits run picks. */
export const SALES = { id: 'ou-sales', path: '/Sales' };

/** A run of the given settings (All Users by default) that started with 10 managed extensions. */
export function run(settings: Partial<SyncSettings> = {}, extra: Partial<FinalizedRun> = {}): FinalizedRun {
  return { settings: { ...DEFAULT_SETTINGS, ...settings }, managedAtStart: 10, ...extra };
}

/** A run of the /Sales unit. */
export const unitRun = (settings: Partial<SyncSettings> = {}, extra: Partial<FinalizedRun> = {}) =>
  run({ range: 'orgUnits', orgUnits: [SALES], ...settings }, extra);

/** A done page of `chain`, the last of it unless told. */
export function page(chain: string, fields: Partial<DonePage> = {}): DonePage {
  return {
    chain,
    page: 0,
    status: 'done',
    last: true,
    listed: 0,
    linked: 0,
    deletions: [],
    counts: zeroCounts(),
    ...fields,
  };
}

/** Counters, zero but for `fields`. */
export function counts(fields: Partial<RunCounts>): RunCounts {
  return { ...zeroCounts(), ...fields };
}

/** The removal of user `u{n}`, by status unless told. */
export function removal(n: number, fields: Partial<Removal> = {}): Removal {
  return {
    userId: `u${n}`,
    number: String(2000 + n),
    status: 'deleted',
    action: 'delete',
    reason: 'status',
    ...fields,
  };
}

/** `count` removals. */
export const removals = (count: number, fields: Partial<Removal> = {}) =>
  Array.from({ length: count }, (_, n) => removal(n, fields));

/** The pages of an All Users run that listed `listed` users, none missing. */
export const allUsersPages = (listed: number, fields: Partial<DonePage> = {}) => [
  page('domain', { listed, linked: listed, ...fields }),
  page('deleted'),
];
