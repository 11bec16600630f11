// The extension document, `tenants/{t}/extensions/{number}`, and the keys beside it. Other services read it, so its
// shape is kept.
import { z } from 'zod';
import type { SyncedFields, UserStatus } from '../google/directory-user.ts';
import { documentConverter, documentSchema } from '../platform/typed-documents.ts';

/** The Google side of a Google-managed extension. */
export interface GoogleLink {
  readonly userId: string;
  readonly primaryEmail: string;
  readonly orgUnitPath: string;
  readonly status: UserStatus;
}

/** An extension as stored. */
export interface Extension extends SyncedFields {
  readonly number: string;
  readonly source: 'google' | 'local';
  readonly google?: GoogleLink;
  readonly createdAt?: string;
  readonly updatedAt?: string;
}

/** An extension as read. The sync and the API write every field of Extension, but a PBX extension made before the
 * integration may lack the contact fields, or `source` (firestore.rules take it as local). */
export interface StoredExtension extends Partial<SyncedFields> {
  readonly number: string;
  readonly source?: 'google' | 'local';
  readonly google?: GoogleLink;
  readonly createdAt?: string;
  readonly updatedAt?: string;
}

/** A user's status as Google shows it, most severe first. */
export const userStatusSchema = z.enum(['deleted', 'archived', 'suspended', 'active']);

const optionalText = z.string().optional();

/** The extension document. Fields no schema names (another service's) are kept: a renumbered extension keeps them. */
export const extensionDocument = documentConverter<StoredExtension>(
  documentSchema<StoredExtension>()({
    number: z.string(),
    source: z.enum(['google', 'local']).optional(),
    google: z
      .object({ userId: z.string(), primaryEmail: z.string(), orgUnitPath: z.string(), status: userStatusSchema })
      .optional(),
    firstName: optionalText,
    lastName: optionalText,
    email: optionalText,
    mobile: optionalText,
    jobTitle: optionalText,
    createdAt: optionalText,
    updatedAt: optionalText,
  }),
);

/** The fields that tell whose an extension is, and its e-mail key: what a removal, a move or a disconnect checks
 * before it writes. Read alone, so a damaged record (one without its Google user, say) is still removed. */
export const extensionOwnerFields = z.object({
  source: z.enum(['google', 'local']).optional(),
  'google.userId': optionalText,
  email: optionalText,
});

/** A uniqueness key, `googleLinks/{googleUserId}` or `extensionEmails/{lower-cased email}`: the extension it
 * belongs to. */
export interface ExtensionKey {
  readonly number: string;
}

/** The fields of a uniqueness key, for projections of them. */
export const extensionKeyFields = z.object({ number: z.string() });

/** The document of a uniqueness key. */
export const extensionKeyDocument = documentConverter<ExtensionKey>(
  documentSchema<ExtensionKey>()(extensionKeyFields.shape),
);

/** A number a deleted extension freed, `freeNumbers/{number}`, for the sync to hand out again. */
export interface FreeNumber {
  readonly value: number;
}

/** The fields of a freed number, for queries over them. */
export const freeNumberFields = z.object({ value: z.number().int() });

/** The document of a freed number. */
export const freeNumberDocument = documentConverter<FreeNumber>(documentSchema<FreeNumber>()(freeNumberFields.shape));

/** The fields the sync owns on a Google-managed extension; only these are compared and written. */
export interface ManagedState extends SyncedFields {
  readonly google: GoogleLink;
}

/** Whether the stored extension already holds exactly the managed state, so it need not be written. */
export function holdsManagedState(extension: StoredExtension, state: ManagedState): boolean {
  const { google } = extension;
  return (
    extension.source === 'google' &&
    extension.firstName === state.firstName &&
    extension.lastName === state.lastName &&
    extension.email === state.email &&
    extension.mobile === state.mobile &&
    extension.jobTitle === state.jobTitle &&
    google?.userId === state.google.userId &&
    google.primaryEmail === state.google.primaryEmail &&
    google.orgUnitPath === state.google.orgUnitPath &&
    google.status === state.google.status
  );
}
