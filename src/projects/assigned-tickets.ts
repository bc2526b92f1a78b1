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
 * A person's open (not done) tickets, for the dashboard's "Assigned to me". Projects sits below
 * tickets and never imports it: the tickets module provides this (see TicketsPortsModule).
 */
export abstract class AssignedTickets {
  /**
   * One page of the open tickets assigned to `userId` in the projects the person can see
   * (`visibleProjects`: a subquery of their ids that may use `:userId`, one of a few fixed
   * texts; null for every project), newest activity first, with the total. A fixed number of
   * statements whatever the number of tickets.
   */
  abstract openFor(
    userId: string,
    visibleProjects: string | null,
    page: { limit: number; offset: number },
  ): Promise<AssignedPage>;
}
