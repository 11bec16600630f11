// E-mail alerts to the tenant's PBX admins. Each condition (a run failed, deletions held, reauthorization required,
// push updates stopped) is one document, `tenants/{t}/alerts/{condition}`: raising it when it is not raised yet, or
// clearing it when it is, writes one mail to the outbox, `tenants/{t}/alertMails/{id}`, in the same commit. So a
// condition mails once until it clears (never once per retry or per page), and once more when it does; the tick's
// sweep sends the outbox (mail/alert-mail.ts), and neither a crash nor a redelivery loses or doubles a mail.
import type { DocumentSnapshot, Firestore } from '@google-cloud/firestore';
import { z } from 'zod';
import type { Writer } from '../extensions/extension-writes.ts';
import { documentConverter, documentSchema } from '../platform/typed-documents.ts';
import type { OutboxRecord } from '../mail/outbox.ts';

/** What the admins are told of. */
export const ALERT_CONDITIONS = ['run_failed', 'deletions_held', 'reauthorization_required', 'push_stopped'] as const;

/** What the admins are told of. */
export type AlertCondition = (typeof ALERT_CONDITIONS)[number];

/** What a raised condition is about: why, and for a run, which and how many. */
export interface AlertFacts {
  readonly detail: string;
  readonly runId?: string;
  readonly count?: number;
}

/** A condition's document. */
export interface AlertState extends AlertFacts {
  readonly active: boolean;
  /** When it was last raised. */
  readonly since: string;
  readonly clearedAt?: string;
}

/** An alert mail waiting in the outbox; its text is written when it is sent. */
export interface AlertMail extends OutboxRecord, AlertFacts {
  readonly condition: AlertCondition;
  readonly event: 'raised' | 'cleared';
  readonly createdAt: string;
  readonly sentAt?: string;
  readonly failure?: string;
}

const factFields = {
  detail: z.string(),
  runId: z.string().optional(),
  count: z.number().int().min(0).optional(),
};

const alertStateDocument = documentConverter<AlertState>(
  documentSchema<AlertState>()({
    ...factFields,
    active: z.boolean(),
    since: z.string(),
    clearedAt: z.string().optional(),
  }),
);

/** An alert mail's document. */
export const alertMailDocument = documentConverter<AlertMail>(
  documentSchema<AlertMail>()({
    ...factFields,
    condition: z.enum(ALERT_CONDITIONS),
    event: z.enum(['raised', 'cleared']),
    status: z.enum(['pending', 'sending', 'sent', 'failed']),
    leaseUntil: z.number().optional(),
    createdAt: z.string(),
    sentAt: z.string().optional(),
    failure: z.string().optional(),
  }),
);

/** The collection group the sweep sends from. */
export const ALERT_MAILS_GROUP = 'alertMails';

/** The references of a tenant's alerts. */
export function alertPaths(db: Firestore, tenantId: string) {
  const tenant = db.doc(`tenants/${tenantId}`);
  return {
    condition: (condition: AlertCondition) =>
      tenant.collection('alerts').doc(condition).withConverter(alertStateDocument),
    mails: tenant.collection(ALERT_MAILS_GROUP).withConverter(alertMailDocument),
  };
}

/** A condition as read in the caller's transaction, before its writes. */
export type AlertSnapshot = DocumentSnapshot<AlertState>;

function outbox(writer: Writer, snapshot: AlertSnapshot, mail: Omit<AlertMail, 'status' | 'createdAt'>, at: string) {
  const mails = snapshot.ref.parent.parent!.collection(ALERT_MAILS_GROUP);
  // Keyed by the condition and the moment it was raised: a transaction retried writes the same mail again.
  const key = `${mail.condition}-${Date.parse(mail.event === 'raised' ? at : (snapshot.data()?.since ?? at))}-${mail.event}`;
  writer.set(mails.doc(key), { ...mail, status: 'pending', createdAt: at } satisfies AlertMail);
}

/** Raises the condition: a mail goes out unless it is raised already, when only its facts are brought up to date. */
export function raiseAlert(writer: Writer, snapshot: AlertSnapshot, facts: AlertFacts): void {
  const current = snapshot.data();
  const now = new Date().toISOString();
  if (current?.active) {
    writer.set(snapshot.ref, { ...current, ...facts });
    return;
  }
  writer.set(snapshot.ref, { ...facts, active: true, since: now });
  outbox(writer, snapshot, { condition: snapshot.id as AlertCondition, event: 'raised', ...facts }, now);
}

/** Clears the condition if it is raised (for `runId`'s run, if given), with a recovery mail saying how. */
export function clearAlert(writer: Writer, snapshot: AlertSnapshot, how: { detail: string; runId?: string }): void {
  const current = snapshot.data();
  if (!current?.active || (how.runId !== undefined && current.runId !== how.runId)) return;
  const now = new Date().toISOString();
  writer.set(snapshot.ref, { ...current, active: false, clearedAt: now });
  outbox(
    writer,
    snapshot,
    {
      condition: snapshot.id as AlertCondition,
      event: 'cleared',
      detail: how.detail,
      ...(current.runId !== undefined && { runId: current.runId }),
    },
    now,
  );
}
