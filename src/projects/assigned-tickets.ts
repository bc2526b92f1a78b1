import type { TicketPriority, TicketStatus } from '../common/board-contract';

export interface AssignedTicket {
  id: string;
  projectId: string;
  projectName: string;
  number: number;
  title: string;
  status: TicketStatus;
  priority: TicketPriority;
  updatedAt: Date;
}

export interface AssignedPage {
  tickets: AssignedTicket[];
  total: number;
}

/**
 * A person's open (not done) tickets, for the dashboard's "Assigned to me", which folds them into
 * its own statement. Projects sits below tickets and never imports it: the tickets module
 * provides this (see TicketsPortsModule).
 */
export abstract class AssignedTickets {
  /**
   * One page of the open tickets assigned to `:userId` in the projects the person can see
   * (`visibleProjects`: a subquery of their ids that may use `:userId`, one of a few fixed texts;
   * null for every project), newest activity first, each row with the total (a window count),
   * as SQL on `:assignedLimit` and `:assignedOffset`, numbered by `position` (for
   * PreparedReads.jsonRows): `columns` are its columns. A fixed cost whatever the number of tickets.
   */
  abstract openSql(visibleProjects: string | null): { sql: string; columns: string[] };

  /** The page the rows of openSql make, with the total (0 when there are no rows: a page past the end has none either). */
  abstract pageOf(rows: object[]): AssignedPage;
}
