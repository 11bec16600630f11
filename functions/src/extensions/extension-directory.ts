// The PBX's extension directory as the admin manages it: list, add, edit and delete. Each write is one transaction
// that keeps `extensionEmails` (one key per lower-cased e-mail) in step with the extensions, as the sync does, so
// no failure or race leaves an extension without its key or a key without its extension.
import type { DocumentReference, DocumentSnapshot, Firestore, Transaction } from '@google-cloud/firestore';
import { AppError } from '../errors.ts';
import { compareExtensionNumbers } from './extension-number.ts';
import type { Extension } from './extension.ts';
import type { ExtensionChanges, NewExtension } from './extension-input.ts';
import { changedFields, refuseManagedDelete, refuseManagedEdit } from './google-managed.ts';

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

function refs(db: Firestore, tenantId: string) {
  const tenant = db.collection('tenants').doc(tenantId);
  return {
    extensions: tenant.collection('extensions'),
    extension: (number: string) => tenant.collection('extensions').doc(number),
    emailKey: (email: string) => tenant.collection('extensionEmails').doc(email.toLowerCase()),
    freeNumber: (number: string) => tenant.collection('freeNumbers').doc(number),
  };
}

function toExtension(snapshot: DocumentSnapshot): Extension {
  const data = snapshot.data() ?? {};
  const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : '');
  return {
    ...(data as Partial<Extension>),
    number: snapshot.id,
    firstName: text('firstName'),
    lastName: text('lastName'),
    email: text('email'),
    mobile: text('mobile'),
    jobTitle: text('jobTitle'),
    source: data['source'] === 'google' ? 'google' : 'local',
  };
}

function toView(extension: Extension): ExtensionView {
  const { number, firstName, lastName, email, mobile, jobTitle, source } = extension;
  return { number, firstName, lastName, email, mobile, jobTitle, source };
}

function emailTaken(email: string, key: DocumentSnapshot): AppError {
  return new AppError('conflict', `The e-mail address ${email} is already used by extension ${String(key.get('number'))}.`);
}

async function readExtension(tx: Transaction, ref: DocumentReference): Promise<Extension> {
  const snapshot = await tx.get(ref);
  if (!snapshot.exists) throw new AppError('not_found', `Extension ${ref.id} does not exist.`);
  return toExtension(snapshot);
}

/** Every extension of the tenant, in numeric order ("99" before "100"). */
export async function listExtensions(db: Firestore, tenantId: string): Promise<ExtensionView[]> {
  const snapshot = await refs(db, tenantId).extensions.get();
  return snapshot.docs.map((doc) => toView(toExtension(doc))).sort((a, b) => compareExtensionNumbers(a.number, b.number));
}

/** Adds a local extension on a free number with an e-mail no other extension uses. */
export async function createLocalExtension(db: Firestore, tenantId: string, input: NewExtension): Promise<ExtensionView> {
  const at = refs(db, tenantId);
  const ref = at.extension(input.number);
  const emailKey = at.emailKey(input.email);
  return db.runTransaction(async (tx) => {
    const [existing, key] = await tx.getAll(ref, emailKey);
    if (existing?.exists) throw new AppError('conflict', `Extension ${input.number} already exists.`);
    if (key?.exists) throw emailTaken(input.email, key);
    const now = new Date().toISOString();
    const extension: Extension = { ...input, source: 'local', createdAt: now, updatedAt: now };
    tx.create(ref, extension);
    tx.create(emailKey, { number: input.number });
    // The sync's allocator hands out freed numbers; this one is taken again.
    tx.delete(at.freeNumber(input.number));
    return toView(extension);
  });
}

/** Edits a local extension's fields; a Google-managed one refuses any change to them. */
export async function updateExtension(db: Firestore, tenantId: string, number: string, changes: ExtensionChanges): Promise<ExtensionView> {
  const at = refs(db, tenantId);
  const ref = at.extension(number);
  return db.runTransaction(async (tx) => {
    const current = await readExtension(tx, ref);
    const fields = changedFields(current, changes);
    refuseManagedEdit(current, fields);
    // Nothing to change is not a write: updatedAt keeps meaning "last changed".
    if (fields.length === 0) return toView(current);
    const written = { ...Object.fromEntries(fields.map((field) => [field, changes[field]])), updatedAt: new Date().toISOString() };
    const updated: Extension = { ...current, ...written };
    if (updated.email.toLowerCase() !== current.email.toLowerCase()) await moveEmailKey(tx, at, current, updated.email);
    tx.update(ref, written);
    return toView(updated);
  });
}

// Reads both keys before writing either, as a transaction must; the old key is removed only while it is this
// extension's, so a key that somehow points elsewhere is never taken from its owner.
async function moveEmailKey(tx: Transaction, at: ReturnType<typeof refs>, current: Extension, email: string): Promise<void> {
  const newKey = at.emailKey(email);
  const oldKey = current.email ? at.emailKey(current.email) : undefined;
  const [taken, old] = await tx.getAll(newKey, ...(oldKey ? [oldKey] : []));
  if (taken?.exists) throw emailTaken(email, taken);
  if (oldKey && old?.get('number') === current.number) tx.delete(oldKey);
  tx.create(newKey, { number: current.number });
}

/** Deletes a local extension with its e-mail key, and frees its number for reuse. */
export async function deleteExtension(db: Firestore, tenantId: string, number: string): Promise<{ deleted: string }> {
  const at = refs(db, tenantId);
  const ref = at.extension(number);
  return db.runTransaction(async (tx) => {
    const current = await readExtension(tx, ref);
    refuseManagedDelete(current);
    const emailKey = current.email ? at.emailKey(current.email) : undefined;
    const key = emailKey ? await tx.get(emailKey) : undefined;
    if (emailKey && key?.get('number') === number) tx.delete(emailKey);
    tx.delete(ref);
    tx.set(at.freeNumber(number), { value: Number(number) });
    return { deleted: number };
  });
}
