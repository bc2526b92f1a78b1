import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import { randomUUID } from 'node:crypto';
import { Op } from 'sequelize';
import { AccountsService } from '../accounts/accounts.service';
import { AppConfig } from '../config/app-config';
import { MailService } from '../mail/mail.service';
import { MembershipsService } from '../projects/memberships.service';
import { INBOX_ENTRY_INCLUDE, inboxEntry } from './inbox-view';
import { Notification } from './notification.model';
import { NotificationPreferencesService } from './notification-preferences.service';
import { unsubscribeToken } from './unsubscribe-token';

/** What a mail job carries: whose notifications about which ticket. */
export interface NotificationMailData {
  recipientId: string;
  ticketId: string;
}

/** A claim older than this belongs to a delivery that died (a killed worker): another may take over. */
export const MAIL_CLAIM_MS = 10 * 60_000;

/**
 * How long after its window a pending mail counts as stuck for the sweep: a minute, or one sweep
 * interval when that is shorter (tests). Re-queuing one that is merely slow is harmless: the
 * claim gives each notification to one delivery.
 */
const STUCK_AFTER_MS = 60_000;

/**
 * Sends one mail for a person's pending notifications about one ticket (all those the window
 * gathered), after checking again that the person may still see the project.
 */
@Injectable()
export class NotificationMailJob {
  constructor(
    @InjectModel(Notification) private readonly notifications: typeof Notification,
    private readonly accounts: AccountsService,
    private readonly memberships: MembershipsService,
    private readonly mail: MailService,
    private readonly preferences: NotificationPreferencesService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async deliver({ recipientId, ticketId }: NotificationMailData): Promise<'sent' | 'nothing' | 'no-access' | 'muted'> {
    const now = new Date();
    const claim = randomUUID();
    // One conditional UPDATE: of two deliveries for the same person and ticket, each notification goes to one.
    const [claimed] = await this.notifications.update(
      { mailClaim: claim, mailClaimedAt: now },
      {
        where: {
          recipientId,
          ticketId,
          mailDoneAt: null,
          [Op.or]: [{ mailClaim: null }, { mailClaimedAt: { [Op.lt]: new Date(now.getTime() - MAIL_CLAIM_MS) } }],
        },
      },
    );
    if (!claimed) return 'nothing';
    const rows = await this.notifications.findAll({
      where: { mailClaim: claim },
      include: INBOX_ENTRY_INCLUDE,
      order: [
        ['createdAt', 'ASC'],
        ['id', 'ASC'],
      ],
    });
    const ticket = rows[0]?.ticket;
    const recipient = await this.accounts.findActive(recipientId);
    if (!ticket || !recipient || !(await this.memberships.hasAccess(ticket.projectId, recipientId))) {
      await this.finish(claim, 'no-access');
      return 'no-access';
    }
    const wanted = new Set(await this.preferences.mailKindsOf(recipientId));
    const muted = rows.filter((row) => !wanted.has(row.kind)).map((row) => row.id);
    if (muted.length) await this.finish(claim, 'muted', muted);
    if (muted.length === rows.length) return 'muted';
    const entries = rows.filter((row) => wanted.has(row.kind)).map(inboxEntry);
    const first = entries[0];
    const host = new URL(this.config.baseUrl).hostname || 'hticket.local';
    const kinds = [...new Set(rows.filter((row) => wanted.has(row.kind)).map((row) => row.kind))];
    const unsubscribe = `${this.config.baseUrl}/unsubscribe/${unsubscribeToken({ userId: recipientId, kinds }, this.config.sessionSecret)}`;
    try {
      await this.mail.send({
        to: recipient.email,
        subject: `[${first.projectName}] ${first.ticketLabel}`,
        template: 'notification',
        context: {
          name: recipient.name || recipient.email,
          ticketLabel: first.ticketLabel,
          projectName: first.projectName,
          link: `${this.config.baseUrl}${first.ticketUrl}`,
          inboxLink: `${this.config.baseUrl}/notifications`,
          events: entries,
          unsubscribeLink: unsubscribe,
        },
        // RFC 8058: mail clients offer "unsubscribe" and POST it themselves, without a session.
        headers: { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
        // Every mail about a ticket answers the same (never sent) root message, so clients thread them.
        thread: { messageId: `<notification.${rows[0].id}@${host}>`, inReplyTo: `<ticket.${ticket.id}@${host}>` },
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.notifications.update(
        { mailClaim: null, mailClaimedAt: null, mailError: message.slice(0, 1000) },
        { where: { mailClaim: claim } },
      );
      throw error;
    }
    await this.finish(claim, 'sent');
    return 'sent';
  }

  /**
   * People and tickets with mail still pending well after their window (the queue refused the
   * job, or a worker died holding the claim): up to `limit` of them, one statement.
   */
  async stuck(now: Date, limit: number): Promise<NotificationMailData[]> {
    const rows = await this.notifications.findAll({
      attributes: ['recipientId', 'ticketId'],
      where: {
        mailDoneAt: null,
        createdAt: {
          [Op.lt]: new Date(
            now.getTime() - this.config.notifyWindowMs - Math.min(STUCK_AFTER_MS, this.config.notifySweepMs),
          ),
        },
        [Op.or]: [{ mailClaim: null }, { mailClaimedAt: { [Op.lt]: new Date(now.getTime() - MAIL_CLAIM_MS) } }],
      },
      group: ['recipientId', 'ticketId'],
      limit,
      raw: true,
    });
    return rows.map(({ recipientId, ticketId }) => ({ recipientId, ticketId }));
  }

  /** Records how the claimed notifications' mail ended (only `ids`, when given). */
  private async finish(
    claim: string,
    outcome: NonNullable<Notification['mailOutcome']>,
    ids?: string[],
  ): Promise<void> {
    await this.notifications.update(
      { mailDoneAt: new Date(), mailOutcome: outcome, mailError: null },
      { where: { mailClaim: claim, mailDoneAt: null, ...(ids ? { id: ids } : {}) } },
    );
  }
}
