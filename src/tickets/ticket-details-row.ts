import { positional, PreparedReads } from '../database/prepared-reads';
import { BoardCard, CARD_JOIN, CARD_SELECT, CardRow, toCard } from './board-cards';

/** What the details modal reads of a ticket: a card's fields and people, and the rest of the ticket. */
export interface DetailsTicket extends BoardCard {
  projectId: string;
  description: string;
  updatedAt: Date;
  reporterId: string;
  assigneeId: string | null;
}

type DetailsRow = CardRow & {
  projectId: string;
  description: string;
  updatedAt: Date | string;
  reporterId: string;
  assigneeId: string | null;
};

const DETAILS = positional(
  'ticket-details',
  `SELECT ${CARD_SELECT}, t.project_id AS "projectId", t.description AS "description",
  t.updated_at AS "updatedAt", t.reporter_id AS "reporterId", t.assignee_id AS "assigneeId"
  FROM tickets t ${CARD_JOIN} WHERE t.id = :ticketId AND t.project_id = :projectId`,
);

/**
 * The project's ticket `ticketId` with its reporter and assignee, as a plain row: one prepared
 * statement written once, no model instances (the details modal is one of the pages opened
 * most). The caller checks that `ticketId` is a UUID. Null when the project has no such ticket.
 */
export async function loadTicketDetails(
  reads: PreparedReads,
  projectId: string,
  ticketId: string,
): Promise<DetailsTicket | null> {
  const [row] = await reads.rows<DetailsRow>(DETAILS, { projectId, ticketId });
  if (!row) return null;
  return {
    ...toCard(row),
    projectId: row.projectId,
    description: row.description,
    updatedAt: row.updatedAt instanceof Date ? row.updatedAt : new Date(row.updatedAt),
    reporterId: row.reporterId,
    assigneeId: row.assigneeId,
  };
}
