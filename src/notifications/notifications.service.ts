import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectModel } from '@nestjs/sequelize';
import { isUUID } from 'class-validator';
import { Op, Transaction, WhereOptions } from 'sequelize';
import { NotFound } from '../common/errors';
import { mentionableAmong, mentionedHandles, MentionablePerson } from '../common/mentions';
import { olderThan } from '../common/keyset';
import { WriteTransactions } from '../database/write-transactions';
import { MembershipsService } from '../projects/memberships.service';
import type { InboxCursor } from './inbox-cursor';
import { INBOX_ENTRY_INCLUDE } from './inbox-view';
import { NotificationJobs } from './notification-jobs';
import { NotificationsCreated } from './notification-events';
import type { ChangedTicket } from '../tickets/ticket-events';
import type { Notice } from './notification-rules';
import { Notification } from './notification.model';

/** The notifications people receive about tickets (`notifications`). */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectModel(Notification) private readonly notifications: typeof Notification,
    private readonly memberships: MembershipsService,
    private readonly transactions: WriteTransactions,
    private readonly jobs: NotificationJobs,
    private readonly events: EventEmitter2,
  ) {}

  /**
   * Records these notices about `ticket`, by `actorId`, in the change's transaction, for the
   * recipients who still have access to its project: one statement to check access and one
   * multi-row INSERT (none when there is nobody to tell). Their mails are queued once it commits.
   */
  async notify(ticket: ChangedTicket, actorId: string, notices: Notice[], transaction: Transaction): Promise<void> {
    const told = notices.filter((notice) => notice.recipientId !== actorId);
    if (!told.length) return;
    const allowed = new Set(
      await this.memberships.withAccess(
        ticket.projectId,
        told.map((notice) => notice.recipientId),
        transaction,
      ),
    );
    const createdAt = new Date();
    const rows = told
      .filter((notice) => allowed.has(notice.recipientId))
      .map((notice) => ({
        recipientId: notice.recipientId,
        projectId: ticket.projectId,
        ticketId: ticket.id,
        actorId,
        kind: notice.kind,
        detail: notice.detail,
        createdAt,
      }));
    if (!rows.length) return;
    this.jobs.mailAfterCommit(await this.notifications.bulkCreate(rows, { transaction }), transaction);
    const recipientIds = [...new Set(rows.map((row) => row.recipientId))];
    await this.events.emitAsync(NotificationsCreated.event, new NotificationsCreated(recipientIds, transaction));
  }

  /**
   * The people with access to the project whom `text` mentions (`common/mentions.ts`): one
   * statement, none when the text has no `@handle`.
   */
  mentionedIn(projectId: string, text: string, transaction?: Transaction): Promise<string[]> {
    return this.newlyMentionedIn(projectId, '', text, transaction);
  }

  /** Those mentioned in `after` but not in `before` (an edited description), as mentionedIn does. */
  async newlyMentionedIn(
    projectId: string,
    before: string,
    after: string,
    transaction?: Transaction,
  ): Promise<string[]> {
    const already = new Set(mentionedHandles(before));
    const handles = mentionedHandles(after).filter((handle) => !already.has(handle));
    if (!handles.length) return [];
    const mentionable = mentionableAmong(await this.mentionable(projectId, transaction));
    return handles.flatMap((handle) => mentionable.get(handle)?.id ?? []);
  }

  /** The people who can be mentioned on the project's tickets, by name: one statement. */
  async mentionable(projectId: string, transaction?: Transaction): Promise<MentionablePerson[]> {
    const people = await this.memberships.peopleWithAccess(projectId, { transaction });
    return people.map((person) => ({ id: person.id, email: person.email, displayName: person.displayName }));
  }

  /** How many notifications this person has not read: one statement (index notifications_recipient_read). */
  unreadCount(recipientId: string): Promise<number> {
    return this.notifications.count({ where: { recipientId, readAt: null } });
  }

  /**
   * A page of a person's notifications, newest first, after `before`: up to `limit` with their
   * ticket (number, title), its project's name and the actor, in one statement. `more` tells
   * whether older ones remain.
   */
  async inbox(
    recipientId: string,
    options: { before?: InboxCursor; limit: number },
  ): Promise<{ notifications: Notification[]; more: boolean }> {
    const conditions: WhereOptions[] = [{ recipientId }];
    if (options.before) conditions.push(olderThan(options.before));
    const rows = await this.notifications.findAll({
      where: { [Op.and]: conditions },
      include: INBOX_ENTRY_INCLUDE,
      order: [
        ['createdAt', 'DESC'],
        ['id', 'DESC'],
      ],
      limit: options.limit + 1,
    });
    return { notifications: rows.slice(0, options.limit), more: rows.length > options.limit };
  }

  /** Marks one of this person's notifications read (again is fine); NotFound for anyone else's. */
  markRead(recipientId: string, id: string): Promise<void> {
    return this.transactions.run(async (transaction) => {
      const found = isUUID(id) && (await this.notifications.count({ where: { id, recipientId }, transaction })) > 0;
      if (!found) throw new NotFound('notification');
      await this.notifications.update(
        { readAt: new Date() },
        { where: { id, recipientId, readAt: null }, transaction },
      );
    });
  }

  /**
   * Marks this person's unread notifications read, those created until `upTo` when given (the
   * newest one the inbox showed, so that one arriving meanwhile stays unread). Returns how many.
   */
  markAllRead(recipientId: string, upTo?: Date): Promise<number> {
    return this.transactions.run(async (transaction) => {
      const where: WhereOptions = { recipientId, readAt: null, ...(upTo ? { createdAt: { [Op.lte]: upTo } } : {}) };
      const [count] = await this.notifications.update({ readAt: new Date() }, { where, transaction });
      return count;
    });
  }
}
