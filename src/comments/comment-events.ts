import type { Transaction } from 'sequelize';
import type { ChangedTicket } from '../tickets/ticket-events';

/**
 * `comment` was added to `ticket`, in `transaction` (emitted with `emitAsync` after the comment,
 * the ticket's count and the history entry). `earlierAuthorIds` are the other people who
 * commented on the ticket before, without the author.
 */
export class CommentAdded {
  static readonly event = 'comments.comment-added';

  constructor(
    readonly ticket: ChangedTicket,
    readonly comment: { id: string; authorId: string; body: string },
    readonly earlierAuthorIds: string[],
    readonly transaction: Transaction,
  ) {}
}
