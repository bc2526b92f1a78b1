import type { Transaction } from 'sequelize';
import type { TicketStatus } from '../common/board-contract';

/** What a ticket looks like after a change, for those who react to it. */
export interface ChangedTicket {
  id: string;
  projectId: string;
  reporterId: string;
  assigneeId: string | null;
  status: TicketStatus;
}

/**
 * A ticket was created or changed by `actorId`, in `transaction`: one event per write, emitted
 * with `emitAsync` after the ticket row and its history entries, so that listeners' writes
 * commit or roll back with the change. `assignedTo` is the new assignee when the write set one
 * (null otherwise); `statusFrom` the previous status when the write changed it; `description`
 * the description before and after when the write set it (before is empty for a new ticket).
 */
export class TicketChanged {
  static readonly event = 'tickets.ticket-changed';

  constructor(
    readonly ticket: ChangedTicket,
    readonly actorId: string,
    readonly change: {
      created: boolean;
      assignedTo: string | null;
      statusFrom: TicketStatus | null;
      description: { from: string; to: string } | null;
    },
    readonly transaction: Transaction,
  ) {}
}

/** A ticket was deleted by `actorId`, in `transaction` (emitted with `emitAsync` after the row is gone). */
export class TicketDeleted {
  static readonly event = 'tickets.ticket-deleted';

  constructor(
    readonly ticket: ChangedTicket,
    readonly actorId: string,
    readonly transaction: Transaction,
  ) {}
}
