import type { WhereOptions } from 'sequelize';
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
   * One page of the open tickets assigned to `userId` in the projects matching `projects` (a
   * condition on the projects table: those the person can see), newest activity first, with the
   * total. A fixed number of statements whatever the number of tickets.
   */
  abstract openFor(
    userId: string,
    projects: WhereOptions,
    page: { limit: number; offset: number },
  ): Promise<AssignedPage>;
}
