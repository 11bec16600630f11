// What the "Extension" tab sends: validated here, with messages in the page's own labels, before any document is
// read. The number, source and Google link are never the client's to set, so they are refused outright.
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { isExtensionNumber } from './extension-number.ts';
import type { SyncedFields } from '../google/directory-user.ts';

/** The five fields an admin edits, which Google owns on a Google-managed extension. */
export type EditableField = keyof SyncedFields;

/** The page's label of each editable field, in the page's order. */
export const FIELD_LABELS: Readonly<Record<EditableField, string>> = {
  firstName: 'First Name',
  lastName: 'Last Name',
  email: 'Email Address',
  mobile: 'Mobile Number',
  jobTitle: 'Job Title',
};

/** A new local extension. */
export interface NewExtension extends SyncedFields {
  readonly number: string;
}

/** An edit: only the fields sent. */
export type ExtensionChanges = Partial<SyncedFields>;

const name = (label: string) =>
  z
    .string({ error: `"${label}" must be text` })
    .trim()
    .max(64, `"${label}" must be at most 64 characters`);

const fields = {
  firstName: name('First Name'),
  lastName: name('Last Name'),
  // E-mail addresses link extensions to Google users and sign-in, so a local extension always has a valid one.
  email: z
    .string({ error: '"Email Address" is required' })
    .trim()
    .min(1, '"Email Address" is required')
    .max(254, '"Email Address" must be at most 254 characters')
    .pipe(z.email('"Email Address" must be a valid e-mail address, e.g. name@example.com')),
  mobile: z
    .string({ error: '"Mobile Number" must be text' })
    .trim()
    .regex(/^(\+?[0-9][0-9 ()./-]{1,30})?$/, '"Mobile Number" may hold only digits, spaces, ( ) . / - and a leading +'),
  jobTitle: z
    .string({ error: '"Job Title" must be text' })
    .trim()
    .max(128, '"Job Title" must be at most 128 characters'),
};

const newExtensionSchema = z.strictObject({
  number: z
    .string({ error: '"Extension" is required' })
    .trim()
    .refine(isExtensionNumber, '"Extension" must be 2 to 7 digits, not starting with 0'),
  firstName: fields.firstName.default(''),
  lastName: fields.lastName.default(''),
  email: fields.email,
  mobile: fields.mobile.default(''),
  jobTitle: fields.jobTitle.default(''),
});

const changesSchema = z.strictObject({
  firstName: fields.firstName.optional(),
  lastName: fields.lastName.optional(),
  email: fields.email.optional(),
  mobile: fields.mobile.optional(),
  jobTitle: fields.jobTitle.optional(),
});

// Owned by the system: the sync sets source and google, and a number is the document's identity.
const SYSTEM_FIELDS = ['source', 'google', 'createdAt', 'updatedAt'] as const;

function requireObject(input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new AppError('invalid_request', "Send the extension's fields as a JSON object.");
  }
  return input as Record<string, unknown>;
}

function refuseSystemFields(body: Record<string, unknown>, also: readonly string[]): void {
  const sent = [...SYSTEM_FIELDS, ...also].filter((key) => Object.hasOwn(body, key));
  if (sent.length > 0) throw new AppError('forbidden', `These fields cannot be set: ${sent.join(', ')}.`);
}

function parseWith<T>(schema: z.ZodType<T>, body: Record<string, unknown>): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const messages = parsed.error.issues.map((issue) =>
    issue.code === 'unrecognized_keys' ? `Unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  );
  throw new AppError('invalid_request', `${messages.join('. ')}.`);
}

/** Validates "Add Extension". */
export function parseNewExtension(input: unknown): NewExtension {
  const body = requireObject(input);
  refuseSystemFields(body, []);
  return parseWith(newExtensionSchema, body);
}

/** Validates "Edit"; the number is the path's, never the body's. */
export function parseExtensionChanges(input: unknown): ExtensionChanges {
  const body = requireObject(input);
  refuseSystemFields(body, ['number']);
  const changes = parseWith(changesSchema, body);
  // A JSON body cannot carry undefined: a field left out is a key left out.
  if (Object.keys(changes).length === 0) {
    throw new AppError('invalid_request', `Send at least one of ${Object.values(FIELD_LABELS).join(', ')}.`);
  }
  return changes;
}

/** The `:number` of a path; anything else names no extension (and must never reach a document path). */
export function parseNumberParam(value: string | undefined): string {
  if (value === undefined || !isExtensionNumber(value)) throw new AppError('not_found', 'There is no such extension.');
  return value;
}
