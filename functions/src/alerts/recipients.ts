// Who gets the alerts: the PBX admins the tenant lists, `tenants/{t}/settings/alerts`, or, until it lists any, the
// PBX admin who connected Google Workspace.
import type { Firestore } from '@google-cloud/firestore';
import { z } from 'zod';
import { readIntegration } from '../connect/integration.ts';
import { AppError } from '../errors.ts';
import { documentConverter, documentSchema } from '../platform/typed-documents.ts';

/** The stored list. */
export interface AlertSettings {
  readonly recipients: readonly string[];
}

const alertSettingsDocument = documentConverter<AlertSettings>(
  documentSchema<AlertSettings>()({ recipients: z.array(z.string()) }),
);

/** At most this many addresses; an alert is for the admins, not a mailing list. */
const MAX_RECIPIENTS = 20;
const ADDRESS = /^[^@\s<>",;]+@[^@\s<>",;]+\.[^@\s<>",;]+$/;

const settingsRef = (db: Firestore, tenantId: string) =>
  db.doc(`tenants/${tenantId}/settings/alerts`).withConverter(alertSettingsDocument);

/** The addresses alerts go to, and whether the admin has set them. */
export async function alertRecipients(
  db: Firestore,
  tenantId: string,
): Promise<{ recipients: string[]; saved: boolean }> {
  const [stored, integration] = await Promise.all([settingsRef(db, tenantId).get(), readIntegration(db, tenantId)]);
  const saved = stored.data()?.recipients;
  if (saved) return { recipients: [...saved], saved: true };
  const admin = integration.connectedBy?.adminEmail;
  return { recipients: admin ? [admin] : [], saved: false };
}

/** Checks and stores the list the admin entered, naming what is wrong. */
export async function saveAlertRecipients(db: Firestore, tenantId: string, body: unknown): Promise<string[]> {
  const given = (body as { recipients?: unknown } | null)?.recipients;
  if (!Array.isArray(given) || !given.every((address) => typeof address === 'string'))
    throw new AppError('invalid_request', 'recipients must be a list of e-mail addresses.');
  const recipients = [...new Set(given.map((address) => address.trim().toLowerCase()).filter(Boolean))];
  const wrong = recipients.filter((address) => address.length > 254 || !ADDRESS.test(address));
  if (wrong.length > 0)
    throw new AppError(
      'invalid_request',
      `recipients: ${wrong.map((a) => `"${a}"`).join(', ')} is not an e-mail address.`,
    );
  if (recipients.length === 0) throw new AppError('invalid_request', 'recipients: name at least one PBX admin.');
  if (recipients.length > MAX_RECIPIENTS)
    throw new AppError('invalid_request', `recipients: at most ${MAX_RECIPIENTS} addresses.`);
  await settingsRef(db, tenantId).set({ recipients });
  return recipients;
}
