// The writes of one planned user, shared by the fast path (one batch for the page) and the careful path (one
// transaction for a user, re-checking what the batch found changed).
import {
  FieldValue,
  type DocumentData,
  type DocumentReference,
  type SetOptions,
  type UpdateData,
} from '@google-cloud/firestore';
import { z } from 'zod';
import { documentConverter, documentSchema } from '../platform/typed-documents.ts';
import type { ManagedState } from './extension.ts';
import type { SyncPaths } from '../tenants/paths.ts';

/** The writes a WriteBatch, a Transaction and a BulkWriter all offer. */
export interface Writer {
  create(ref: DocumentReference, data: DocumentData): unknown;
  update(ref: DocumentReference, data: UpdateData<DocumentData>): unknown;
  set(ref: DocumentReference, data: DocumentData, options?: SetOptions): unknown;
  delete(ref: DocumentReference): unknown;
}

/** A welcome mail waiting to be sent, created with its extension so it exists exactly once. */
export interface WelcomeMail {
  readonly userId: string;
  readonly number: string;
  readonly email: string;
  readonly firstName: string;
  readonly runId: string;
  readonly status: 'pending' | 'sending' | 'sent' | 'failed';
  readonly createdAt: string;
  /** Until when (epoch ms) the delivery sending it holds it. */
  readonly leaseUntil?: number;
  /** Why the mail server refused it for good. */
  readonly failure?: string;
  readonly sentAt?: string;
}

/** A welcome mail's document, `welcomeMails/{id}`. */
export const welcomeMailDocument = documentConverter<WelcomeMail>(
  documentSchema<WelcomeMail>()({
    userId: z.string(),
    number: z.string(),
    email: z.string(),
    firstName: z.string(),
    runId: z.string(),
    status: z.enum(['pending', 'sending', 'sent', 'failed']),
    createdAt: z.string(),
    leaseUntil: z.number().optional(),
    failure: z.string().optional(),
    sentAt: z.string().optional(),
  }),
);

/** The outbox id of the welcome mail of an extension created for a user in a run: a user is created at most
 * once a run, and again only after a deletion, in a later run. */
export const welcomeMailId = (runId: string, userId: string) => `${runId}-${userId}`;

/** Creates a Google-managed extension with both uniqueness keys (and its welcome mail), failing if any exists. */
export function writeCreate(
  writer: Writer,
  paths: SyncPaths,
  number: string,
  state: ManagedState,
  welcome: { runId: string } | undefined,
): void {
  const now = new Date().toISOString();
  writer.create(paths.extension(number), { number, ...state, source: 'google', createdAt: now, updatedAt: now });
  writer.create(paths.googleLink(state.google.userId), { number });
  writer.create(paths.emailKey(state.email), { number });
  if (welcome) {
    const mail: WelcomeMail = {
      userId: state.google.userId,
      number,
      email: state.email,
      firstName: state.firstName,
      runId: welcome.runId,
      status: 'pending',
      createdAt: now,
    };
    writer.create(paths.welcomeMails.doc(welcomeMailId(welcome.runId, state.google.userId)), mail);
  }
}

/** Links an existing local extension to a user; its e-mail key already points to it. */
export function writeAssociate(writer: Writer, paths: SyncPaths, number: string, state: ManagedState): void {
  writer.update(paths.extension(number), { ...state, source: 'google', updatedAt: new Date().toISOString() });
  writer.create(paths.googleLink(state.google.userId), { number });
}

/** Writes changed managed fields, moving the e-mail key when the address changed. */
export function writeUpdate(
  writer: Writer,
  paths: SyncPaths,
  number: string,
  state: ManagedState,
  previousEmail: string,
): void {
  writer.update(paths.extension(number), { ...state, updatedAt: new Date().toISOString() });
  if (previousEmail.toLowerCase() !== state.email) {
    writer.delete(paths.emailKey(previousEmail));
    writer.create(paths.emailKey(state.email), { number });
  }
}

/** Deletes a Google-managed extension with its keys, and frees its number. A user id is always there but on a
 * damaged record, whose extension is still deleted. */
export function writeDelete(
  writer: Writer,
  paths: SyncPaths,
  number: string,
  userId: string | undefined,
  email: string | undefined,
): void {
  writer.delete(paths.extension(number));
  if (userId) writer.delete(paths.googleLink(userId));
  if (email) writer.delete(paths.emailKey(email));
  writer.set(paths.freeNumbers.doc(number), { value: Number(number) });
}

/** Releases a Google-managed extension: it stays, with its number and e-mail key, as an ordinary local extension. */
export function writeRelease(writer: Writer, paths: SyncPaths, number: string, userId: string | undefined): void {
  writer.update(paths.extension(number), {
    source: 'local',
    google: FieldValue.delete(),
    updatedAt: new Date().toISOString(),
  });
  if (userId) writer.delete(paths.googleLink(userId));
}
