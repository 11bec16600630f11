// Outgoing e-mail over SMTP with nodemailer.
import { createRequire } from 'node:module';
import type { Transporter } from 'nodemailer';
import { ConfigError, type AppConfig } from '../config.ts';
import { AppError } from '../errors.ts';

/** One message to send. */
export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  /** A stable Message-ID lets receivers drop a duplicate if a retry ever sends twice. */
  readonly messageId?: string;
}

/** Sends e-mail. */
export interface Mailer {
  /** Sends one message; throws a transient AppError when the server cannot take it now. */
  send(mail: OutgoingMail): Promise<void>;
}

/** A Mailer on an SMTP server. */
export class SmtpMailer implements Mailer {
  readonly #transport: Transporter;
  readonly #from: string;

  constructor(config: AppConfig) {
    if (config.smtp.url === undefined)
      throw new ConfigError('SMTP_URL is not set: this function was deployed without the SMTP credentials');
    const url = new URL(config.smtp.url);
    // Loaded when the first mail is sent: every function shares this code, and only the mail task sends mail.
    const nodemailer = createRequire(import.meta.url)('nodemailer') as typeof import('nodemailer');
    this.#transport = nodemailer.createTransport({
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
      secure: url.protocol === 'smtps:',
      ...(url.username && { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }),
      // Well under the welcome mail's 60 s lease, so a slow server cannot let a second delivery send it again.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    this.#from = config.smtp.from;
  }

  async send(mail: OutgoingMail): Promise<void> {
    try {
      await this.#transport.sendMail({ from: this.#from, ...mail });
    } catch (error) {
      // A 5xx answer is final (e.g. an unknown recipient); anything else may pass on a retry.
      const permanent = ((error as { responseCode?: number }).responseCode ?? 0) >= 500;
      throw new AppError(
        permanent ? 'invalid_request' : 'unavailable',
        `The mail server refused the message to ${mail.to}`,
        { cause: error },
      );
    }
  }
}
