// Outgoing e-mail over SMTP with nodemailer.
import nodemailer, { type Transporter } from 'nodemailer';
import type { AppConfig } from '../config.ts';
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
    this.#transport = nodemailer.createTransport(config.smtp.url);
    this.#from = config.smtp.from;
  }

  async send(mail: OutgoingMail): Promise<void> {
    try {
      await this.#transport.sendMail({ from: this.#from, ...mail });
    } catch (error) {
      throw new AppError('unavailable', `The mail server refused the message to ${mail.to}`, { cause: error });
    }
  }
}
