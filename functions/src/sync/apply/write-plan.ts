// Applies one page's plan. Creates and associations go in commits of a few hundred writes, all at once, whose
// create() preconditions guard the uniqueness keys; if a redelivered or concurrent task got there first a commit
// fails whole, and each of its users is then done in its own transaction against what is stored now. Users whose
// fields did not change are not written. Each change's history entry is written in the commit that makes it.
import type { Firestore } from '@google-cloud/firestore';
import { z } from 'zod';
import { log } from '../../log.ts';
import { extensionOwnerFields, type ManagedState } from '../../extensions/extension.ts';
import {
  writeAssociate,
  writeCreate,
  writeUpdate,
  welcomeMailId,
  type Writer,
} from '../../extensions/extension-writes.ts';
import { documentConverter, documentSchema, getAllOf, readFields } from '../../platform/typed-documents.ts';
import type { SyncPaths } from '../../tenants/paths.ts';
import type { Slots } from '../../instance-caches.ts';
import type { Decision } from './plan-page.ts';
import { zeroCounts, type RunCounts } from '../run/run.ts';
import { changedFields, changeEntry, type ChangedUser } from '../history/change-entry.ts';
import type { ChangeLog } from '../history/change-log.ts';

/** A user the sync could not take, with why. */
export interface Problem {
  readonly userId: string;
  readonly email: string;
  readonly reason: string;
  /** The user's extension could not be written (counted as failed, not skipped). */
  readonly failed?: boolean;
}

/** A problem's document, `syncRuns/{r}/problems/{userId}`. */
export const problemDocument = documentConverter<Problem>(
  documentSchema<Problem>()({
    userId: z.string(),
    email: z.string(),
    reason: z.string(),
    failed: z.boolean().optional(),
  }),
);

/** What a page did. */
export interface PageOutcome {
  readonly counts: RunCounts;
  readonly problems: Problem[];
  /** Outbox ids of the welcome mails this page created. */
  readonly mails: string[];
}

type Create = { userId: string; number: string; state: ManagedState };
type Associate = { userId: string; number: string; state: ManagedState };

/** Applies the decisions; `numbers` are the automatic numbers reserved for the page, in order. */
export async function applyPage(
  db: Firestore,
  paths: SyncPaths,
  decisions: readonly Decision[],
  numbers: readonly string[],
  options: { readonly runId: string; readonly welcomeEmail: boolean; readonly commits: Slots; readonly log: ChangeLog },
): Promise<PageOutcome> {
  const counts = zeroCounts();
  const problems: Problem[] = [];
  const mails: string[] = [];
  const creates: Create[] = [];
  const associates: Associate[] = [];
  let nextAuto = 0;
  for (const decision of decisions) {
    if (decision.kind === 'create') {
      const number = decision.number ?? numbers[nextAuto++];
      if (number) creates.push({ userId: decision.userId, number, state: decision.state });
      else
        problems.push({
          userId: decision.userId,
          email: decision.state.email,
          reason: 'no free extension number left',
        });
    } else if (decision.kind === 'associate') associates.push(decision);
    else if (decision.kind === 'skip')
      problems.push({ userId: decision.userId, email: decision.email, reason: decision.reason });
    else if (decision.kind === 'unchanged') counts.unchanged++;
  }
  const welcome = options.welcomeEmail ? { runId: options.runId } : undefined;

  // Commits of a few hundred writes, all in flight at once, are what Firestore takes fastest (bench:sync measures
  // it as the write floor): one commit of a whole page would hold 1,500 writes behind one precondition check.
  const chunks = chunked([...creates.map((c) => ({ create: c })), ...associates.map((a) => ({ associate: a }))]);
  const outcomes = await Promise.all(
    chunks.map((chunk) => commitChunk(db, paths, chunk, { welcome, commits: options.commits, log: options.log })),
  );
  for (const outcome of outcomes) {
    counts.created += outcome.created;
    counts.associated += outcome.associated;
    counts.unchanged += outcome.unchanged;
    problems.push(...outcome.problems);
    mails.push(...outcome.mails);
  }

  for (const decision of decisions) {
    if (decision.kind !== 'update' && decision.kind !== 'renumber') continue;
    try {
      await db.runTransaction(async (transaction) => {
        // What was planned must still hold: the link and the extension still belong to this user.
        const from = decision.kind === 'update' ? decision.number : decision.from;
        const [link, current] = await getAllOf(transaction, paths.googleLink(decision.userId), paths.extension(from));
        const owner = readFields(current, extensionOwnerFields);
        const owned =
          link.data()?.number === from && owner.source === 'google' && owner['google.userId'] === decision.userId;
        if (!owned) throw new Error('The extension changed since the page was planned');
        const fields = changedFields(current.data(), decision.state);
        if (decision.kind === 'update') {
          writeUpdate(transaction, paths, decision.number, decision.state, decision.previousEmail);
          options.log.write(
            transaction,
            changeEntry(changedUser(decision.state), { kind: 'updated', number: decision.number, fields }),
          );
          return;
        }
        options.log.write(
          transaction,
          changeEntry(changedUser(decision.state), { kind: 'renumbered', number: decision.to, from, fields }),
        );
        // The whole extension moves, with the fields other services keep on it.
        const updatedAt = new Date().toISOString();
        const moved = { ...current.data(), ...decision.state, number: decision.to, updatedAt };
        transaction.create(paths.extension(decision.to), moved);
        transaction.delete(paths.extension(decision.from));
        transaction.set(paths.googleLink(decision.userId), { number: decision.to });
        if (decision.previousEmail.toLowerCase() !== decision.state.email) {
          transaction.delete(paths.emailKey(decision.previousEmail));
          transaction.create(paths.emailKey(decision.state.email), { number: decision.to });
        } else {
          transaction.update(paths.emailKey(decision.state.email), { number: decision.to });
        }
        transaction.set(paths.freeNumbers.doc(decision.from), { value: Number(decision.from) });
      });
      counts.updated++;
    } catch (error) {
      log.warn('An extension could not be updated', { userId: decision.userId, error });
      counts.failed++;
      problems.push({
        userId: decision.userId,
        email: decision.state.email,
        reason: 'the extension could not be updated; the next sync tries again',
        failed: true,
      });
    }
  }
  counts.skipped = problems.length - counts.failed;
  return { counts, problems, mails };
}

/** Writes one commit takes: a create is at most five (the extension, its two keys, a welcome mail, its history
 * entry). */
const WRITES_PER_COMMIT = 480;
const WRITES_PER_USER = 5;

/** Whom a change was about, from the state it writes. */
export function changedUser(state: ManagedState): ChangedUser {
  return { userId: state.google.userId, email: state.email, firstName: state.firstName, lastName: state.lastName };
}

interface ChunkWriting {
  readonly welcome: { runId: string } | undefined;
  readonly commits: Slots;
  readonly log: ChangeLog;
}

type Write = { readonly create: Create } | { readonly associate: Associate };

function chunked(writes: readonly Write[]): Write[][] {
  const size = Math.floor(WRITES_PER_COMMIT / WRITES_PER_USER);
  const chunks: Write[][] = [];
  for (let i = 0; i < writes.length; i += size) chunks.push(writes.slice(i, i + size));
  return chunks;
}

interface ChunkOutcome {
  created: number;
  associated: number;
  unchanged: number;
  readonly problems: Problem[];
  readonly mails: string[];
}

// One commit for the chunk; if a redelivered or concurrent task got there first it fails whole, and each of its
// users is then done in its own transaction against what is stored now.
async function commitChunk(
  db: Firestore,
  paths: SyncPaths,
  chunk: readonly Write[],
  { welcome, commits, log }: ChunkWriting,
): Promise<ChunkOutcome> {
  const outcome: ChunkOutcome = { created: 0, associated: 0, unchanged: 0, problems: [], mails: [] };
  const batch = db.batch();
  for (const write of chunk) {
    if ('create' in write) writeCreateLogged(batch, paths, write.create, welcome, log);
    else writeAssociateLogged(batch, paths, write.associate, log);
  }
  try {
    await commits.run(() => batch.commit());
    for (const write of chunk) {
      if ('associate' in write) outcome.associated++;
      else {
        outcome.created++;
        if (welcome) outcome.mails.push(welcomeMailId(welcome.runId, write.create.userId));
      }
    }
    return outcome;
  } catch {
    for (const write of chunk) {
      if ('create' in write) {
        const result = await createCarefully(db, paths, write.create, welcome, log);
        if (result === 'created') {
          outcome.created++;
          if (welcome) outcome.mails.push(welcomeMailId(welcome.runId, write.create.userId));
        } else if (result === 'already') outcome.unchanged++;
        else outcome.problems.push({ userId: write.create.userId, email: write.create.state.email, reason: result });
      } else {
        const result = await associateCarefully(db, paths, write.associate, log);
        if (result === 'associated') outcome.associated++;
        else if (result === 'already') outcome.unchanged++;
        else
          outcome.problems.push({ userId: write.associate.userId, email: write.associate.state.email, reason: result });
      }
    }
    return outcome;
  }
}

async function createCarefully(
  db: Firestore,
  paths: SyncPaths,
  create: Create,
  welcome: { runId: string } | undefined,
  log: ChangeLog,
): Promise<string> {
  return db.runTransaction(async (transaction) => {
    const [link, extension, emailKey] = await getAllOf(
      transaction,
      paths.googleLink(create.userId),
      paths.extension(create.number),
      paths.emailKey(create.state.email),
    );
    if (link.exists) return 'already';
    if (extension.exists) return `extension ${create.number} was taken meanwhile; the next sync assigns another`;
    const holder = emailKey.data();
    if (holder) return `email already used by extension ${holder.number}`;
    writeCreateLogged(transaction, paths, create, welcome, log);
    return 'created';
  });
}

async function associateCarefully(
  db: Firestore,
  paths: SyncPaths,
  associate: Associate,
  log: ChangeLog,
): Promise<string> {
  return db.runTransaction(async (transaction) => {
    const [link, extension] = await getAllOf(
      transaction,
      paths.googleLink(associate.userId),
      paths.extension(associate.number),
    );
    if (link.exists) return 'already';
    if (!extension.exists || readFields(extension, extensionOwnerFields).source !== 'local')
      return `extension ${associate.number} is no longer a local extension to associate`;
    writeAssociateLogged(transaction, paths, associate, log);
    return 'associated';
  });
}

function writeCreateLogged(
  writer: Writer,
  paths: SyncPaths,
  create: Create,
  welcome: { runId: string } | undefined,
  log: ChangeLog,
): void {
  writeCreate(writer, paths, create.number, create.state, welcome);
  log.write(writer, changeEntry(changedUser(create.state), { kind: 'created', number: create.number }));
}

function writeAssociateLogged(writer: Writer, paths: SyncPaths, associate: Associate, log: ChangeLog): void {
  writeAssociate(writer, paths, associate.number, associate.state);
  log.write(writer, changeEntry(changedUser(associate.state), { kind: 'associated', number: associate.number }));
}
