// Reading the history: the recent runs and push days, and one of them's changes, a page at a time. The changes are
// ordered by e-mail address (then by key), filtered by kind and searched by exact words, so that any page of a
// 100,000-entry run is one indexed query with a cursor: nothing is loaded beyond the page asked for.
import { FieldPath, type CollectionReference, type Query } from '@google-cloud/firestore';
import type { Firestore } from '@google-cloud/firestore';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { fieldPaths, readFields } from '../../platform/typed-documents.ts';
import { syncPaths, type SyncPaths } from '../../tenants/paths.ts';
import { runCountsSchema, zeroCounts, type RunCounts, type SyncRun } from '../run/run.ts';
import { CHANGE_KINDS, type ChangeEntry, type ChangeKind } from './change-entry.ts';

/** One line of the history list: a run, or a day of pushes. */
export interface HistoryItem {
  /** A run's id, or `push-YYYY-MM-DD`. */
  readonly id: string;
  readonly trigger: SyncRun['trigger'];
  readonly status: SyncRun['status'];
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly counts: RunCounts;
  readonly dryRun: boolean;
}

/** Runs and push days the list shows. */
const LISTED = 40;
const PUSH_DAY = /^push-(\d{4}-\d{2}-\d{2})$/;
const RUN_ID = /^[\w-]{1,64}$/;

const listedRunFields = z.object({
  trigger: z.string(),
  status: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().optional(),
  counts: runCountsSchema.partial().optional(),
  dryRun: z.boolean().optional(),
});
const pushDayFields = z.object({ lastAt: z.string().optional(), counts: runCountsSchema.partial().optional() });

/** The recent runs and push days, newest first. */
export async function listHistory(db: Firestore, tenantId: string): Promise<HistoryItem[]> {
  const paths = syncPaths(db, tenantId);
  const [runs, days] = await Promise.all([
    paths.runs
      .orderBy('createdAt', 'desc')
      .limit(LISTED)
      .select(...fieldPaths(listedRunFields))
      .get(),
    paths.pushDays.orderBy('date', 'desc').limit(LISTED).get(),
  ]);
  const items: HistoryItem[] = [
    ...runs.docs.map((doc) => {
      const run = readFields(doc, listedRunFields);
      return {
        id: doc.id,
        trigger: run.trigger as SyncRun['trigger'],
        status: run.status as SyncRun['status'],
        startedAt: run.createdAt,
        finishedAt: run.finishedAt ?? null,
        counts: { ...zeroCounts(), ...run.counts },
        dryRun: run.dryRun === true,
      };
    }),
    ...days.docs.map((doc) => {
      const day = readFields(doc, pushDayFields);
      return {
        id: `push-${doc.id}`,
        trigger: 'push' as const,
        status: 'succeeded' as const,
        startedAt: `${doc.id}T00:00:00.000Z`,
        finishedAt: day.lastAt ?? null,
        counts: { ...zeroCounts(), ...day.counts },
        dryRun: false,
      };
    }),
  ];
  return items.sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, LISTED);
}

/** Which changes to read. */
export interface ChangeFilter {
  readonly kind?: ChangeKind;
  /** An exact word: an e-mail address, its local part, a first or last name, or a full name. */
  readonly search?: string;
}

/** The changes of a history item, as stored; refuses an id that names none of the tenant's. */
export async function changesOf(paths: SyncPaths, id: string): Promise<CollectionReference<ChangeEntry>> {
  const day = PUSH_DAY.exec(id)?.[1];
  if (day) return paths.pushDayChanges(day);
  if (!RUN_ID.test(id) || !(await paths.run(id).get()).exists)
    throw new AppError('not_found', 'There is no such sync run.');
  return paths.changes(id);
}

/** Parses the filter of a request's query string, naming what is wrong. */
export function parseChangeFilter(query: Record<string, unknown>): ChangeFilter {
  const kind = typeof query['kind'] === 'string' && query['kind'] !== '' ? query['kind'] : undefined;
  if (kind !== undefined && !(CHANGE_KINDS as readonly string[]).includes(kind))
    throw new AppError('invalid_request', `kind must be one of ${CHANGE_KINDS.join(', ')}.`);
  const search = typeof query['q'] === 'string' ? query['q'].trim().toLowerCase() : '';
  if (search.length > 200) throw new AppError('invalid_request', 'q must be at most 200 characters.');
  return { ...(kind && { kind: kind as ChangeKind }), ...(search && { search }) };
}

/** The query of a filter, in the list's order. */
export function filteredChanges(changes: CollectionReference<ChangeEntry>, filter: ChangeFilter): Query<ChangeEntry> {
  let query: Query<ChangeEntry> = changes;
  if (filter.kind) query = query.where('kind', '==', filter.kind);
  if (filter.search) query = query.where('terms', 'array-contains', filter.search);
  return query.orderBy('email').orderBy(FieldPath.documentId());
}

/** A page's cursor: the last entry's address and key. */
function encodeCursor(entry: { email: string; key: string }): string {
  return Buffer.from(JSON.stringify([entry.email, entry.key])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((part) => typeof part === 'string'))
      return parsed as [string, string];
  } catch {
    // Answered below.
  }
  throw new AppError('invalid_request', 'after is not a cursor this list gave; open the list again.');
}

/** A page of changes as the page shows them. */
export interface ChangePage {
  readonly changes: ReadonlyArray<Omit<ChangeEntry, 'terms' | 'expiresAt' | 'userId'>>;
  /** The cursor of the next page, or null on the last. */
  readonly next: string | null;
}

/** Reads one page of changes after `cursor`. */
export async function changePage(
  changes: CollectionReference<ChangeEntry>,
  filter: ChangeFilter,
  cursor: string | undefined,
  size: number,
): Promise<ChangePage> {
  let query = filteredChanges(changes, filter).limit(size + 1);
  if (cursor) query = query.startAfter(...decodeCursor(cursor));
  const docs = (await query.get()).docs;
  const shown = docs.slice(0, size);
  const last = shown.at(-1);
  return {
    changes: shown.map((doc) => shownChange(doc.data())),
    next: docs.length > size && last ? encodeCursor({ email: last.data().email, key: last.id }) : null,
  };
}

/** An entry without what only the store needs. */
export function shownChange(entry: ChangeEntry): ChangePage['changes'][number] {
  const { terms: _terms, expiresAt: _expiresAt, userId: _userId, ...shown } = entry;
  return shown;
}
