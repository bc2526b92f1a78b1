import { MailerService } from '@nestjs-modules/mailer';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { renderMailText } from './mail-templates';

export interface OutgoingMail {
  to: string;
  subject: string;
  /** Template name under views/mail: `<name>.hbs` (HTML) and `<name>.text.hbs` (plain text). */
  template: string;
  context: Record<string, unknown>;
  /** Threading (RFC 5322): this mail's Message-ID, and the one it answers (also its References). */
  thread?: { messageId: string; inReplyTo: string };
  /** More header fields (List-Unsubscribe, say). */
  headers?: Record<string, string>;
}

/** Sends templated mail. Without SMTP_URL the message is printed to the log (development). */
@Injectable()
export class MailService {
  private readonly logger = new Logger('Mail');

  constructor(
    private readonly mailer: MailerService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async send(mail: OutgoingMail): Promise<void> {
    const text = renderMailText(mail.template, mail.context);
    await this.mailer.sendMail({
      to: mail.to,
      subject: mail.subject,
      template: mail.template,
      context: mail.context,
      text,
      ...(mail.headers ? { headers: mail.headers } : {}),
      ...(mail.thread
        ? { messageId: mail.thread.messageId, inReplyTo: mail.thread.inReplyTo, references: [mail.thread.inReplyTo] }
        : {}),
    });
    if (!this.config.smtpUrl) {
      this.logger.log(`console mail (SMTP_URL is unset) to ${mail.to}: ${mail.subject}\n${text}`);
    }
  }
}
