import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import type { Transaction } from 'sequelize';
import { MembershipsService } from '../projects/memberships.service';
import type { ChangedTicket } from '../tickets/ticket-events';
import type { Notice } from './notification-rules';
import { Notification } from './notification.model';

/** The notifications people receive about tickets (`notifications`). */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectModel(Notification) private readonly notifications: typeof Notification,
    private readonly memberships: MembershipsService,
  ) {}

  /**
   * Records these notices about `ticket`, by `actorId`, in the change's transaction, for the
   * recipients who still have access to its project: one statement to check access and one
   * multi-row INSERT (none when there is nobody to tell).
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
    if (rows.length) await this.notifications.bulkCreate(rows, { transaction });
  }
}
