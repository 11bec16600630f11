// One change a run (or a push) made to the PBX, as the admin reads it in the run's history: which user, which
// extension, and what happened. An entry is keyed by the user within its run, so writing it again (a redelivered
// page, a retried transaction) leaves one entry. Entries are kept 90 days, then Firestore's TTL deletes them.
import { Timestamp } from '@google-cloud/firestore';
import { z } from 'zod';
import type { ManagedState, StoredExtension } from '../../extensions/extension.ts';
import { documentConverter, documentSchema } from '../../platform/typed-documents.ts';

/** What happened to a user. */
export const CHANGE_KINDS = [
  'created',
  'updated',
  'renumbered',
  'associated',
  'released',
  'deleted',
  'skipped',
  'failed',
] as const;

/** What happened to a user. */
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** How long the history keeps an entry. */
export const CHANGES_KEPT_DAYS = 90;

/** A field whose value a change moved. */
export interface FieldChange {
  readonly field: string;
  readonly before: string;
  readonly after: string;
}

/** An entry, `syncRuns/{r}/changes/{userId}` (a run's) or `pushDays/{date}/changes/{key}` (a push's). */
export interface ChangeEntry {
  readonly kind: ChangeKind;
  readonly userId: string;
  /** Lower-cased: the list is ordered by it and searched in it. */
  readonly email: string;
  readonly name: string;
  /** The extension the change was made to: a renumbered one's new number. */
  readonly number: string | null;
  /** A renumbered extension's old number. */
  readonly from?: string;
  readonly fields?: readonly FieldChange[];
  /** Why a user was skipped or failed. */
  readonly reason?: string;
  /** Lower-cased words the search matches exactly: the address, its local part, the names. */
  readonly terms: readonly string[];
  readonly at: string;
  /** When Firestore's TTL deletes the entry. */
  readonly expiresAt: Timestamp;
}

/** The entry's document. */
export const changeEntryDocument = documentConverter<ChangeEntry>(
  documentSchema<ChangeEntry>()({
    kind: z.enum(CHANGE_KINDS),
    userId: z.string(),
    email: z.string(),
    name: z.string(),
    number: z.string().nullable(),
    from: z.string().optional(),
    fields: z.array(z.object({ field: z.string(), before: z.string(), after: z.string() })).optional(),
    reason: z.string().optional(),
    terms: z.array(z.string()),
    at: z.string(),
    expiresAt: z.instanceof(Timestamp),
  }),
);

/** Who a change was about. */
export interface ChangedUser {
  readonly userId: string;
  readonly email: string;
  readonly firstName?: string | undefined;
  readonly lastName?: string | undefined;
}

/** What a change did, beside whom. */
export type ChangeDetail = Pick<ChangeEntry, 'kind' | 'number'> &
  Partial<Pick<ChangeEntry, 'from' | 'fields' | 'reason'>>;

/** Builds an entry; `now` is the write's time. */
export function changeEntry(user: ChangedUser, detail: ChangeDetail, now = Date.now()): ChangeEntry {
  const email = user.email.toLowerCase();
  const first = (user.firstName ?? '').trim();
  const last = (user.lastName ?? '').trim();
  const name = [first, last].filter(Boolean).join(' ');
  const words = [email, email.split('@')[0] ?? '', first, last, name].map((word) => word.toLowerCase());
  return {
    ...detail,
    userId: user.userId,
    email,
    name,
    terms: [...new Set(words.filter(Boolean))],
    at: new Date(now).toISOString(),
    expiresAt: Timestamp.fromMillis(now + CHANGES_KEPT_DAYS * 86_400_000),
  };
}

/** The fields the admin sees change, with their labels on the Extension page. */
const SHOWN_FIELDS: ReadonlyArray<[string, (value: Partial<ManagedState> | StoredExtension) => string | undefined]> = [
  ['First Name', (value) => value.firstName],
  ['Last Name', (value) => value.lastName],
  ['Email Address', (value) => value.email],
  ['Mobile Number', (value) => value.mobile],
  ['Job Title', (value) => value.jobTitle],
  ['Organizational Unit', (value) => value.google?.orgUnitPath],
  ['Google status', (value) => value.google?.status],
];

/** The fields an update moves from `before` to `after`. */
export function changedFields(before: StoredExtension | undefined, after: ManagedState): FieldChange[] {
  return SHOWN_FIELDS.flatMap(([field, read]) => {
    const was = (before && read(before)) ?? '';
    const now = read(after) ?? '';
    return was === now ? [] : [{ field, before: was, after: now }];
  });
}
