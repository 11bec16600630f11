// The "synced list" of Specific Users: "Synchronize to PBX" puts the selected users on it, and "Save" links each to
// an existing, unassigned local extension the admin picked. A user's link is the `googleLinks` key, created with
// create() in the same transaction as the extension's change, so one extension never goes to two users (nor one
// user to two extensions), whichever admin saves first; the other gets a message naming what happened.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { App } from '../../app.ts';
import { TOPICS } from '../../catalog.ts';
import { AppError } from '../../errors.ts';
import { foundUser, type TenantDirectory } from '../../google/directory.ts';
import { isAtLeast, toDirectoryUser, userFieldsMask } from '../../google/directory-user.ts';
import { isExtensionNumber } from '../../extensions/extension-number.ts';
import { welcomeMailId, writeRelease, type WelcomeMail } from '../../extensions/extension-writes.ts';
import { getAllOf } from '../../platform/typed-documents.ts';
import { syncPaths, type SyncPaths } from '../../tenants/paths.ts';
import { managedState } from '../apply/plan-page.ts';
import type { SyncSettings } from '../settings/settings.ts';
import { readSyncSettings } from '../settings/settings-store.ts';
import type { OfferedExtension, SyncedListUser } from './specific-types.ts';

/** What the Specific Users steps use of the app. */
type SpecificDependencies = Pick<App, 'db' | 'directory' | 'queue'>;

const userId = z.string().regex(/^[\w-]{1,64}$/, 'A user id is not valid');
const selection = z.object({
  userIds: z.array(userId).min(1, 'Select at least one user').max(100, 'Select at most 100 users at a time'),
});
const assignments = z.object({
  assignments: z.record(userId, z.string().refine(isExtensionNumber, 'An extension number is not valid').nullable()),
});

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success)
    throw new AppError('invalid_request', parsed.error.issues.map((issue) => issue.message).join('. ') + '.');
  return parsed.data;
}

/** "Synchronize to PBX": puts active users on the synced list (an inactive one is refused with why). */
export async function selectUsers(
  app: SpecificDependencies,
  tenantId: string,
  input: unknown,
): Promise<{ added: number; refused: string[] }> {
  const { userIds } = parse(selection, input);
  const paths = syncPaths(app.db, tenantId);
  const directory = app.directory.forTenant(tenantId);
  const refused: string[] = [];
  const writes = app.db.batch();
  for (const id of userIds) {
    const resource = foundUser(
      await directory.lookUpUser(id, { fields: userFieldsMask(undefined), projection: 'basic' }),
    );
    const user = resource && toDirectoryUser(resource);
    if (!user || user.status !== 'active') {
      refused.push(
        `${user?.primaryEmail ?? id} is ${user?.status ?? 'deleted'} in Google Workspace and cannot be synced.`,
      );
      continue;
    }
    const name = `${user.fields.firstName} ${user.fields.lastName}`.trim() || user.primaryEmail;
    writes.set(
      paths.specificUser(id),
      {
        userId: id,
        name,
        primaryEmail: user.fields.email,
        orgUnitPath: user.orgUnitPath,
        addedAt: new Date().toISOString(),
      },
      { merge: true },
    );
  }
  await writes.commit();
  return { added: userIds.length - refused.length, refused };
}

/** The synced list with each user's extension (or pending), and the unassigned local extensions to pick from. */
export async function syncedList(
  app: SpecificDependencies,
  tenantId: string,
): Promise<{ users: SyncedListUser[]; extensions: OfferedExtension[] }> {
  const paths = syncPaths(app.db, tenantId);
  const [selected, local, { settings }] = await Promise.all([
    paths.specificUsers.get(),
    paths.extensions.where('source', '==', 'local').get(),
    readSyncSettings(app.db, tenantId),
  ]);
  const links = selected.empty ? [] : await getAllOf(app.db, ...selected.docs.map((user) => paths.googleLink(user.id)));
  const offered = local.docs.map((doc) => doc.data());
  const users = selected.docs.map((doc, index): SyncedListUser => {
    const { name, primaryEmail, orgUnitPath } = doc.data();
    const number = links[index]?.data()?.number ?? null;
    // Auto associate pre-assigns the local extension with the user's address; the admin can still pick another.
    const match =
      settings.autoAssociate && number === null
        ? offered.find((extension) => extension.email?.toLowerCase() === primaryEmail)
        : undefined;
    return { userId: doc.id, name, primaryEmail, orgUnitPath, number, suggested: match?.number ?? null };
  });
  const extensions = offered
    .map((extension) => ({
      number: extension.number,
      name: `${extension.firstName} ${extension.lastName}`.trim(),
      email: extension.email ?? '',
    }))
    .sort((a, b) => Number(a.number) - Number(b.number));
  return { users: users.sort((a, b) => a.primaryEmail.localeCompare(b.primaryEmail)), extensions };
}

/** "Save" of the synced list: links or (with null) unlinks each user; one message per refused assignment. */
export async function saveAssignments(
  app: SpecificDependencies,
  tenantId: string,
  input: unknown,
): Promise<{ saved: number; errors: string[] }> {
  const entries = Object.entries(parse(assignments, input).assignments);
  const { settings } = await readSyncSettings(app.db, tenantId);
  const paths = syncPaths(app.db, tenantId);
  const directory = app.directory.forTenant(tenantId);
  // One id for the welcome mails of this Save: a transaction retried reuses it, so each mail exists once.
  const saveId = `assign-${randomUUID().slice(0, 8)}`;
  const errors: string[] = [];
  const mails: string[] = [];
  let saved = 0;
  for (const [id, number] of entries) {
    try {
      const outcome =
        number === null
          ? await unassign(app, paths, id)
          : await assign(app, directory, paths, id, number, settings, saveId);
      if (outcome === 'assigned' && settings.welcomeEmail) mails.push(welcomeMailId(saveId, id));
      if (outcome !== 'unchanged') saved++;
    } catch (error) {
      if (!(error instanceof AppError) || error.code === 'internal') throw error;
      errors.push(error.message);
    }
  }
  for (const mailId of mails) await app.queue.publish(TOPICS.welcomeMail, { tenant: tenantId, mailId });
  return { saved, errors };
}

async function unassign(app: SpecificDependencies, paths: SyncPaths, id: string): Promise<'released' | 'unchanged'> {
  return app.db.runTransaction(async (transaction) => {
    const link = (await transaction.get(paths.googleLink(id))).data();
    if (!link) return 'unchanged';
    writeRelease(transaction, paths, link.number, id);
    return 'released';
  });
}

async function assign(
  app: SpecificDependencies,
  directory: TenantDirectory,
  paths: SyncPaths,
  id: string,
  number: string,
  settings: SyncSettings,
  saveId: string,
) {
  const resource = foundUser(
    await directory.lookUpUser(id, { fields: userFieldsMask(undefined), projection: 'basic' }),
  );
  const user = resource && toDirectoryUser(resource);
  if (!user) throw new AppError('not_found', `User ${id} no longer exists in Google Workspace.`);
  if (isAtLeast(user.status, settings.deleteWhen))
    throw new AppError(
      'conflict',
      `${user.primaryEmail} is ${user.status} in Google Workspace and cannot be assigned an extension.`,
    );
  const state = managedState(user);
  return app.db.runTransaction(async (transaction): Promise<'assigned' | 'unchanged'> => {
    const [selected, linkSnapshot, extension, emailKey] = await getAllOf(
      transaction,
      paths.specificUser(id),
      paths.googleLink(id),
      paths.extension(number),
      paths.emailKey(state.email),
    );
    if (!selected.exists)
      throw new AppError(
        'not_found',
        `${user.primaryEmail} is not on the synced list; click "Synchronize to PBX" first.`,
      );
    const link = linkSnapshot.data();
    if (link?.number === number) return 'unchanged';
    if (link) {
      throw new AppError(
        'conflict',
        `${user.primaryEmail} already has extension ${link.number}; choose "No extension", click Save, then assign the new one.`,
      );
    }
    const current = extension.data();
    if (!current)
      throw new AppError(
        'conflict',
        `Extension ${number} no longer exists; pick another extension for ${user.primaryEmail}.`,
      );
    if (current.source !== 'local') {
      throw new AppError(
        'conflict',
        `Extension ${number} was just assigned to ${current.google?.primaryEmail ?? 'another user'} by someone else; pick another extension for ${user.primaryEmail}.`,
      );
    }
    const keyHolder = emailKey.data()?.number;
    if (keyHolder !== undefined && keyHolder !== number) {
      throw new AppError(
        'conflict',
        `The e-mail address ${state.email} is already used by extension ${keyHolder}; ${user.primaryEmail} cannot be assigned extension ${number}.`,
      );
    }
    const now = new Date().toISOString();
    transaction.update(paths.extension(number), { ...state, source: 'google', updatedAt: now });
    // The extension takes the user's address: its own key goes, the user's is created (or moved from the old one).
    if (current.email && current.email.toLowerCase() !== state.email) transaction.delete(paths.emailKey(current.email));
    if (keyHolder === undefined) transaction.create(paths.emailKey(state.email), { number });
    // create(): a concurrent Save that linked this user in between fails here, and this one is retried against it.
    transaction.create(paths.googleLink(id), { number });
    if (settings.welcomeEmail) {
      const mail: WelcomeMail = {
        userId: id,
        number,
        email: state.email,
        firstName: state.firstName,
        runId: saveId,
        status: 'pending',
        createdAt: now,
      };
      transaction.create(paths.welcomeMails.doc(welcomeMailId(saveId, id)), mail);
    }
    return 'assigned';
  });
}
