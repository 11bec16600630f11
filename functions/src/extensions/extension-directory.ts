// The PBX's extension directory as the admin manages it: list, add, edit and delete. Each write is one transaction
// that keeps `extensionEmails` (one key per lower-cased e-mail) in step with the extensions, as the sync does, so
// no failure or race leaves an extension without its key or a key without its extension.
import type { DocumentReference, Firestore, Transaction } from '@google-cloud/firestore';
import { AppError } from '../errors.ts';
import { syncPaths, type SyncPaths } from '../tenants/paths.ts';
import { compareExtensionNumbers } from './extension-number.ts';
import type { Extension, StoredExtension } from './extension.ts';
import type { ExtensionChanges, NewExtension } from './extension-input.ts';
import { changedFields, refuseManagedDelete, refuseManagedEdit } from './google-managed.ts';
import { getAllOf } from '../platform/typed-documents.ts';

/** An extension as the "Extension" tab shows it; the Google link's ids stay on the server. */
export interface ExtensionView {
  readonly number: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly mobile: string;
  readonly jobTitle: string;
  readonly source: 'google' | 'local';
}

// An extension as the tab edits it: one made before the integration may lack contact fields, or `source`.
function toExtension(number: string, stored: StoredExtension): Extension {
  const { firstName = '', lastName = '', email = '', mobile = '', jobTitle = '' } = stored;
  return {
    ...stored,
    number,
    firstName,
    lastName,
    email,
    mobile,
    jobTitle,
    source: stored.source === 'google' ? 'google' : 'local',
  };
}

function toView(extension: Extension): ExtensionView {
  const { number, firstName, lastName, email, mobile, jobTitle, source } = extension;
  return { number, firstName, lastName, email, mobile, jobTitle, source };
}

function emailTaken(email: string, holder: string): AppError {
  return new AppError('conflict', `The e-mail address ${email} is already used by extension ${holder}.`);
}

async function readExtension(tx: Transaction, ref: DocumentReference<StoredExtension>): Promise<Extension> {
  const stored = (await tx.get(ref)).data();
  if (!stored) throw new AppError('not_found', `Extension ${ref.id} does not exist.`);
  return toExtension(ref.id, stored);
}

/** Every extension of the tenant, in numeric order ("99" before "100"). */
export async function listExtensions(db: Firestore, tenantId: string): Promise<ExtensionView[]> {
  const snapshot = await syncPaths(db, tenantId).extensions.get();
  return snapshot.docs
    .map((doc) => toView(toExtension(doc.id, doc.data())))
    .sort((a, b) => compareExtensionNumbers(a.number, b.number));
}

/** Adds a local extension on a free number with an e-mail no other extension uses. */
export async function createLocalExtension(
  db: Firestore,
  tenantId: string,
  input: NewExtension,
): Promise<ExtensionView> {
  const at = syncPaths(db, tenantId);
  const ref = at.extension(input.number);
  const emailKey = at.emailKey(input.email);
  return db.runTransaction(async (tx) => {
    const [existing, key] = await getAllOf(tx, ref, emailKey);
    if (existing.exists) throw new AppError('conflict', `Extension ${input.number} already exists.`);
    const holder = key.data();
    if (holder) throw emailTaken(input.email, holder.number);
    const now = new Date().toISOString();
    const extension: Extension = { ...input, source: 'local', createdAt: now, updatedAt: now };
    tx.create(ref, extension);
    tx.create(emailKey, { number: input.number });
    // The sync's allocator hands out freed numbers; this one is taken again.
    tx.delete(at.freeNumbers.doc(input.number));
    return toView(extension);
  });
}

/** Edits a local extension's fields; a Google-managed one refuses any change to them. */
export async function updateExtension(
  db: Firestore,
  tenantId: string,
  number: string,
  changes: ExtensionChanges,
): Promise<ExtensionView> {
  const at = syncPaths(db, tenantId);
  const ref = at.extension(number);
  return db.runTransaction(async (tx) => {
    const current = await readExtension(tx, ref);
    const fields = changedFields(current, changes);
    refuseManagedEdit(current, fields);
    // Nothing to change is not a write: updatedAt keeps meaning "last changed".
    if (fields.length === 0) return toView(current);
    const written = {
      ...Object.fromEntries(fields.map((field) => [field, changes[field]])),
      updatedAt: new Date().toISOString(),
    };
    const updated: Extension = { ...current, ...written };
    if (updated.email.toLowerCase() !== current.email.toLowerCase()) await moveEmailKey(tx, at, current, updated.email);
    tx.update(ref, written);
    return toView(updated);
  });
}

// Reads both keys before writing either, as a transaction must; the old key is removed only while it is this
// extension's, so a key that somehow points elsewhere is never taken from its owner.
async function moveEmailKey(tx: Transaction, at: SyncPaths, current: Extension, email: string): Promise<void> {
  const newKey = at.emailKey(email);
  const oldKey = current.email ? at.emailKey(current.email) : undefined;
  const [taken, old] = await getAllOf(tx, newKey, ...(oldKey ? [oldKey] : []));
  const holder = taken.data();
  if (holder) throw emailTaken(email, holder.number);
  if (oldKey && old?.data()?.number === current.number) tx.delete(oldKey);
  tx.create(newKey, { number: current.number });
}

/** Deletes a local extension with its e-mail key, and frees its number for reuse. */
export async function deleteExtension(db: Firestore, tenantId: string, number: string): Promise<{ deleted: string }> {
  const at = syncPaths(db, tenantId);
  const ref = at.extension(number);
  return db.runTransaction(async (tx) => {
    const current = await readExtension(tx, ref);
    refuseManagedDelete(current);
    const emailKey = current.email ? at.emailKey(current.email) : undefined;
    const key = emailKey ? (await tx.get(emailKey)).data() : undefined;
    if (emailKey && key?.number === number) tx.delete(emailKey);
    tx.delete(ref);
    tx.set(at.freeNumbers.doc(number), { value: Number(number) });
    return { deleted: number };
  });
}
