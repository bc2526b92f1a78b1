import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { CommentAdded } from '../comments/comment-events';
import { TicketChanged } from '../tickets/ticket-events';
import { noticesOfComment, noticesOfTicketChange } from './notification-rules';
import { NotificationsService } from './notifications.service';

/** Writes the notifications of ticket and comment writes in their transactions: a failure rolls the write back. */
@Injectable()
export class NotificationsListener {
  constructor(private readonly notifications: NotificationsService) {}

  @OnEvent(TicketChanged.event, { suppressErrors: false })
  async ticketChanged(event: TicketChanged): Promise<void> {
    const description = event.change.description;
    const mentioned = description
      ? await this.notifications.newlyMentionedIn(
          event.ticket.projectId,
          description.from,
          description.to,
          event.transaction,
        )
      : [];
    await this.notifications.notify(
      event.ticket,
      event.actorId,
      noticesOfTicketChange(event, mentioned),
      event.transaction,
    );
  }

  @OnEvent(CommentAdded.event, { suppressErrors: false })
  async commentAdded(event: CommentAdded): Promise<void> {
    const mentioned = await this.notifications.mentionedIn(
      event.ticket.projectId,
      event.comment.body,
      event.transaction,
    );
    await this.notifications.notify(
      event.ticket,
      event.comment.authorId,
      noticesOfComment(event, mentioned),
      event.transaction,
    );
  }
}
