import { Injectable } from '@nestjs/common';
import type { User } from '../accounts/user.model';
import { mentionableAmong } from '../common/mentions';
import type { Project } from '../projects/project.model';
import type { Ticket } from './ticket.model';
import type { DetailsRead, DetailsTicket } from './ticket-details-row';
import { TicketTimeline } from './ticket-timeline';
import { assigneeOptions, statusOptions, ticketDetails, ticketPageTitle } from './ticket-view';
import { TicketsService } from './tickets.service';

/** What the details modal (`tickets/show`) shows of a ticket: its fields, menus and timeline. */
@Injectable()
export class TicketDetailsPage {
  constructor(
    private readonly tickets: TicketsService,
    private readonly timeline: TicketTimeline,
  ) {}

  /** The details of the project's ticket `ticketId` (NotFound for another project's or an unknown id): two statements in all. */
  async forTicketId(project: Project, ticketId: string, user: User) {
    const { ticket, ...read } = await this.tickets.findForDetails(project, ticketId, this.timeline.firstPageHistory);
    return this.locals(project, ticket, user, read);
  }

  /** What forTicketId reads, to fold into a larger statement (SignedInContext.forProjectWith); its `read` makes the details of its row. */
  foldedRead(projectId: string, ticketId: string) {
    return this.tickets.detailsRead(projectId, ticketId, this.timeline.firstPageHistory);
  }

  /** The page from the details of a foldedRead. */
  async fromFolded(project: Project, read: DetailsRead, user: User) {
    const { ticket, ...lists } = read;
    return this.locals(project, ticket, user, lists);
  }

  /** `read`: the people with access and the history's first page, when read with the ticket. */
  async locals(project: Project, ticket: DetailsTicket | Ticket, user: User, read?: Omit<DetailsRead, 'ticket'>) {
    const people = read?.people ?? (await this.tickets.assignableIn(project));
    const details = ticketDetails(
      project,
      ticket,
      user,
      this.tickets.canDelete(ticket, user),
      mentionableAmong(people),
    );
    return {
      timeline: await this.timeline.page(ticket, user, undefined, read),
      previewUrl: `/projects/${project.id}/tickets/preview`,
      mentionsUrl: `/projects/${project.id}/tickets/mentionable`,
      title: ticketPageTitle(ticket),
      // The modal names the project; its rendered description is the board's.
      project: { id: project.id, name: project.name },
      ticket: details,
      statuses: statusOptions(ticket.status),
      assignees: assigneeOptions(people, ticket.assigneeId ?? '', ticket.assignee),
      canAssignToMe: ticket.assigneeId !== user.id,
      editUrl: `${details.url}/edit`,
      deleteUrl: `${details.url}/delete`,
      boardUrl: `/projects/${project.id}`,
    };
  }
}
