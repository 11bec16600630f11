// The SMTP sink: MailDev takes every message the product sends and shows it in a local inbox (web UI and REST).
import { MailDev } from 'maildev';

/** A running inbox. */
export interface MailSink {
  stop(): Promise<void>;
}

/** Starts MailDev with SMTP on `smtpPort` and the inbox on `inboxPort`, both on loopback. */
export async function startMailSink(smtpPort: number, inboxPort: number, dataDir: string): Promise<MailSink> {
  const maildev = new MailDev({
    smtp: smtpPort,
    ip: '127.0.0.1',
    web: inboxPort,
    webIp: '127.0.0.1',
    mailDirectory: dataDir,
    silent: true,
  });
  await maildev.start();
  return { stop: () => maildev.stop() };
}
