// The locks on a Google-managed extension: Google Workspace owns its five fields and its existence, so the PBX
// refuses to change either. The same rules hold in firestore.rules for direct client writes.
import { AppError } from '../errors.ts';
import type { Extension } from './extension.ts';
import { FIELD_LABELS, type EditableField, type ExtensionChanges } from './extension-input.ts';

/** The fields an edit would actually change; a field sent with its current value changes nothing. */
export function changedFields(extension: Extension, changes: ExtensionChanges): EditableField[] {
  return (Object.keys(FIELD_LABELS) as EditableField[]).filter((field) => {
    const value = changes[field];
    return value !== undefined && value !== extension[field];
  });
}

function listLabels(fields: readonly EditableField[]): string {
  const labels = fields.map((field) => FIELD_LABELS[field]);
  return labels.length > 1 ? `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}` : (labels[0] ?? '');
}

/** Refuses an edit of a Google-managed extension's read-only fields, naming them. */
export function refuseManagedEdit(extension: Extension, fields: readonly EditableField[]): void {
  if (extension.source !== 'google' || fields.length === 0) return;
  throw new AppError(
    'forbidden',
    `This extension is managed by Google Workspace, so its ${listLabels(fields)} cannot be changed here. ` +
      `${listLabels(Object.keys(FIELD_LABELS) as EditableField[])} are read-only.`,
  );
}

/** Refuses to delete a Google-managed extension. */
export function refuseManagedDelete(extension: Extension): void {
  if (extension.source === 'google') {
    throw new AppError('forbidden', 'This extension is managed by Google Workspace and cannot be deleted.');
  }
}
