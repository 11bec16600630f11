// An entry of the "synced list" of Specific Users, `specificUsers/{googleUserId}`: a user the admin took with
// "Synchronize to PBX", as Google showed them then. Whether they have an extension is their `googleLinks` key.
import { z } from 'zod';
import { documentConverter, documentSchema } from '../../platform/typed-documents.ts';

/** A user on the synced list. */
export interface SyncedListEntry {
  readonly userId: string;
  readonly name: string;
  readonly primaryEmail: string;
  readonly orgUnitPath: string;
  readonly addedAt: string;
}

/** The document of a synced-list entry. */
export const syncedListDocument = documentConverter<SyncedListEntry>(
  documentSchema<SyncedListEntry>()({
    userId: z.string(),
    name: z.string(),
    primaryEmail: z.string(),
    orgUnitPath: z.string(),
    addedAt: z.string(),
  }),
);
