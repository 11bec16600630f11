// Firestore documents are parsed once, where they are read. Each kind of document has a zod schema; a converter
// built from it (documentConverter) parses whole documents, and readFields parses the few fields of a select()
// projection or of a document too large to parse whole. A document of the wrong shape is a MalformedDocument naming
// its path, never a value cast into shape. Writes go as the writer built them, so the stored shape stays the same.
import type {
  DocumentData,
  DocumentReference,
  DocumentSnapshot,
  Firestore,
  FirestoreDataConverter,
  PartialWithFieldValue,
  QueryDocumentSnapshot,
  Transaction,
} from '@google-cloud/firestore';
import { z } from 'zod';
import { AppError } from '../errors.ts';

/** How many of a document's problems its error names. */
const ISSUES_NAMED = 5;

/** A stored document without the shape its schema says. 'internal': no request can fix it, so the admin is told
 * only that something went wrong, and the log names the document. */
export class MalformedDocument extends AppError {
  /** The document's path, e.g. `tenants/acme/syncRuns/20250101T000000-1a2b3c4d`. */
  readonly path: string;

  constructor(path: string, error: z.ZodError) {
    const issues = error.issues
      .slice(0, ISSUES_NAMED)
      .map((issue) => `${issue.path.join('.') || '(document)'}: ${issue.message}`);
    super('internal', `Firestore document ${path} is malformed: ${issues.join('; ')}`, { cause: error });
    this.path = path;
  }
}

/** Parses what was read from the document at `path`. */
export function parseDocument<S extends z.ZodType>(schema: S, data: unknown, path: string): z.output<S> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new MalformedDocument(path, parsed.error);
  return parsed.data;
}

/** The schema of a kind of document of type T. Every field of T must be named, so none goes unchecked; fields no
 * schema names (another service's) are kept as they are, so a document copied whole keeps them. */
export function documentSchema<T extends object>() {
  return <S extends { [K in keyof Required<T>]: z.ZodType<T[K]> }>(shape: S) => z.looseObject(shape);
}

/** The converter of a kind of document, for withConverter(): a read is parsed with `schema` when its data() is
 * asked for (a field read with get() parses nothing), and a write is stored as given. */
export function documentConverter<T extends DocumentData>(schema: z.ZodType<T>): FirestoreDataConverter<T> {
  return {
    toFirestore: (model: PartialWithFieldValue<T>): DocumentData => model,
    fromFirestore: (snapshot: QueryDocumentSnapshot): T => parseDocument(schema, snapshot.data(), snapshot.ref.path),
  };
}

/** The fields a projection reads, each with its schema. Keys may be dotted paths into maps ('google.userId'). */
export type FieldsSchema = z.ZodObject;

/** The field paths of a projection, for select(). */
export function fieldPaths(fields: FieldsSchema): string[] {
  return Object.keys(fields.shape);
}

/** The fields `fields` names of a document, each parsed by its schema; the rest of the document is not looked at.
 * For select() projections, and for documents of which only a field or two is needed. */
export function readFields<F extends FieldsSchema>(snapshot: DocumentSnapshot, fields: F): z.output<F> {
  const values: Record<string, unknown> = {};
  for (const path of fieldPaths(fields)) values[path] = snapshot.get(path);
  return parseDocument(fields, values, snapshot.ref.path);
}

/** The snapshots of `refs`, each typed as its reference. */
export type SnapshotsOf<R extends readonly DocumentReference[]> = {
  -readonly [K in keyof R]: R[K] extends DocumentReference<infer T> ? DocumentSnapshot<T> : never;
};

/** Reads documents, of one kind or several, in one round trip (in a transaction or not); each snapshot is typed, and
 * parsed by data(), as its reference says. */
export async function getAllOf<const R extends readonly DocumentReference[]>(
  reader: Pick<Transaction, 'getAll'> | Pick<Firestore, 'getAll'>,
  ...refs: R
): Promise<SnapshotsOf<R>> {
  const snapshots: DocumentSnapshot[] = await reader.getAll(...refs);
  // Firestore builds each snapshot with the reference it was asked for, converter included (document-reader.js);
  // only its signatures, which take one kind of document or none, cannot say so.
  return snapshots as SnapshotsOf<R>;
}
