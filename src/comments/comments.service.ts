import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectModel } from '@nestjs/sequelize';
import { isUUID } from 'class-validator';
import { Op, Transaction } from 'sequelize';
import type { User } from '../accounts/user.model';
import { ActivityService } from '../activity/activity.service';
import { NotAllowed, NotFound } from '../common/errors';
import { WriteTransactions } from '../database/write-transactions';
import type { Project } from '../projects/project.model';
import type { Ticket } from '../tickets/ticket.model';
import { changedTicket, TicketsService } from '../tickets/tickets.service';
import { CommentAdded } from './comment-events';
import { canDeleteComment, canEditComment } from './comment-rules';
import { Comment } from './comment.model';

export const AUTHOR_ATTRIBUTES = ['id', 'email', 'name', 'avatar', 'isActive'];

/**
 * Comments on tickets. Adding and deleting one also moves the ticket's comment count and records
 * the history entry, all in one transaction that holds the ticket's row lock.
 */
@Injectable()
export class CommentsService {
  constructor(
    @InjectModel(Comment) private readonly comments: typeof Comment,
    private readonly tickets: TicketsService,
    private readonly activity: ActivityService,
    private readonly transactions: WriteTransactions,
    private readonly events: EventEmitter2,
  ) {}

  add(project: Project, ticketId: string, author: User, body: string): Promise<Comment> {
    return this.transactions.run(async (transaction) => {
      const ticket = await this.tickets.find(project, ticketId, transaction);
      const comment = await this.comments.create({ ticketId: ticket.id, authorId: author.id, body }, { transaction });
      await this.tickets.countComment(ticket.id, 1, transaction);
      await this.activity.record(
        [{ ticketId: ticket.id, actorId: author.id, kind: 'commented', to: comment.id }],
        transaction,
      );
      const earlierAuthorIds = await this.authorsOn(ticket.id, author.id, transaction);
      await this.events.emitAsync(
        CommentAdded.event,
        new CommentAdded(
          changedTicket(ticket),
          { id: comment.id, authorId: author.id, body },
          earlierAuthorIds,
          transaction,
        ),
      );
      return comment;
    });
  }

  /** A comment of this ticket of this project, with its author; NotFound otherwise. */
  async find(project: Project, ticketId: string, commentId: string, transaction?: Transaction) {
    const ticket = await this.tickets.find(project, ticketId, transaction);
    return { ticket, comment: await this.findOn(ticket, commentId, transaction) };
  }

  /** The comment, if `user` may change its text; answered as not found otherwise. */
  async findEditable(project: Project, ticketId: string, commentId: string, user: User) {
    const found = await this.find(project, ticketId, commentId);
    if (!canEditComment(found.comment, user)) throw new NotAllowed('edit-comment');
    return found;
  }

  /** The comment, if `user` may delete it (for the confirmation); answered as not found otherwise. */
  async findDeletable(project: Project, ticketId: string, commentId: string, user: User) {
    const found = await this.find(project, ticketId, commentId);
    if (!canDeleteComment(found.comment, user)) throw new NotAllowed('delete-comment');
    return found;
  }

  edit(project: Project, ticketId: string, commentId: string, user: User, body: string) {
    return this.transactions.run(async (transaction) => {
      const found = await this.find(project, ticketId, commentId, transaction);
      if (!canEditComment(found.comment, user)) throw new NotAllowed('edit-comment');
      if (found.comment.body !== body) await found.comment.update({ body, editedAt: new Date() }, { transaction });
      return found;
    });
  }

  delete(project: Project, ticketId: string, commentId: string, user: User) {
    return this.transactions.run(async (transaction) => {
      const found = await this.find(project, ticketId, commentId, transaction);
      if (!canDeleteComment(found.comment, user)) throw new NotAllowed('delete-comment');
      await found.comment.destroy({ transaction });
      await this.tickets.countComment(found.ticket.id, -1, transaction);
      await this.activity.record(
        [{ ticketId: found.ticket.id, actorId: user.id, kind: 'comment-deleted', from: found.comment.id }],
        transaction,
      );
      return found;
    });
  }

  /** The people who commented on a ticket, but `exceptId`: one statement. */
  private async authorsOn(ticketId: string, exceptId: string, transaction: Transaction): Promise<string[]> {
    const rows = await this.comments.findAll({
      attributes: ['authorId'],
      where: { ticketId, authorId: { [Op.ne]: exceptId } },
      group: ['authorId'],
      raw: true,
      transaction,
    });
    return rows.map((row) => row.authorId).filter((id): id is string => id !== null);
  }

  private async findOn(ticket: Ticket, commentId: string, transaction?: Transaction): Promise<Comment> {
    const comment = isUUID(commentId)
      ? await this.comments.findOne({
          where: { id: commentId, ticketId: ticket.id },
          include: [{ association: 'author', attributes: AUTHOR_ATTRIBUTES }],
          transaction,
        })
      : null;
    if (!comment) throw new NotFound('comment');
    return comment;
  }
}
