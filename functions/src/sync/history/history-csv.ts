// A history's changes as CSV (RFC 4180: CRLF line ends, a header row, fields quoted when they hold a comma, a quote
// or a line break, quotes doubled), produced a page of entries at a time so that a 100,000-entry run streams in
// bounded memory. A cell that a spreadsheet would run as a formula is prefixed with an apostrophe (OWASP's advice
// against CSV injection): Google profile fields are the users' own text.
import type { CollectionReference } from '@google-cloud/firestore';
import { type ChangeEntry } from './change-entry.ts';
import { filteredChanges, type ChangeFilter } from './history-query.ts';

/** The header row's columns. */
export const CSV_COLUMNS = [
  'Change',
  'Name',
  'Email Address',
  'Extension',
  'Previous extension',
  'Fields',
  'Reason',
  'At',
];

/** Entries read per query. */
const READ_PER_QUERY = 1000;

/** One field of a row, quoted if it must be. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The fields an update moved, as one cell. */
export function fieldsText(entry: Pick<ChangeEntry, 'fields'>): string {
  return (entry.fields ?? []).map((change) => `${change.field}: ${change.before} → ${change.after}`).join('; ');
}

function row(values: readonly string[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

function entryRow(entry: ChangeEntry): string {
  return row([
    entry.kind,
    entry.name,
    entry.email,
    entry.number ?? '',
    entry.from ?? '',
    fieldsText(entry),
    entry.reason ?? '',
    entry.at,
  ]);
}

/** The CSV text, in parts: the header, then the rows of each query's entries. */
export async function* changesCsv(
  changes: CollectionReference<ChangeEntry>,
  filter: ChangeFilter,
): AsyncGenerator<string> {
  yield row(CSV_COLUMNS);
  let after: [string, string] | undefined;
  for (;;) {
    let query = filteredChanges(changes, filter).limit(READ_PER_QUERY);
    if (after) query = query.startAfter(...after);
    const docs = (await query.get()).docs;
    if (docs.length > 0) yield docs.map((doc) => entryRow(doc.data())).join('');
    const last = docs.at(-1);
    if (docs.length < READ_PER_QUERY || !last) return;
    after = [last.data().email, last.id];
  }
}
