import type { User } from '../accounts/user.model';
import type { Project } from '../projects/project.model';
import { renderMarkdown } from './markdown';
import { Ticket, TICKET_PRIORITIES, TICKET_STATUSES } from './ticket.model';

/*
 * Views get plain objects: Handlebars refuses to read Sequelize's attribute getters (they live on
 * the prototype), and a view model states exactly what a template may show.
 */

export function personView(user: Pick<User, 'id' | 'email' | 'name' | 'avatar'> | undefined | null) {
  if (!user) return { id: '', email: '', name: '', avatar: null, displayName: 'Former member' };
  return { id: user.id, email: user.email, name: user.name, avatar: user.avatar, displayName: user.name || user.email };
}

export function projectView(project: Project) {
  return { id: project.id, name: project.name, description: project.description, url: `/projects/${project.id}` };
}

export function ticketUrl(project: Pick<Project, 'id'>, ticketId: string): string {
  return `/projects/${project.id}/tickets/${ticketId}`;
}

/** A ticket card or list row. */
export function ticketSummary(project: Project, ticket: Ticket) {
  return {
    id: ticket.id,
    number: ticket.number,
    title: ticket.title,
    status: ticket.status,
    priority: ticket.priority,
    version: ticket.version,
    createdAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
    reporter: personView(ticket.reporter),
    url: ticketUrl(project, ticket.id),
  };
}

/** Everything the details modal shows. */
export function ticketDetails(project: Project, ticket: Ticket, user: User, canDelete: boolean) {
  return {
    ...ticketSummary(project, ticket),
    description: ticket.description,
    descriptionHtml: renderMarkdown(ticket.description),
    edited: ticket.updatedAt.getTime() - ticket.createdAt.getTime() > 1000,
    canDelete,
    isMine: ticket.reporterId === user.id,
  };
}

/** Options for the status select, with the current one selected. */
export function statusOptions(selected: unknown) {
  return TICKET_STATUSES.map((value) => ({ value, selected: value === selected }));
}

/** Options for the priority select, with the current one selected. */
export function priorityOptions(selected: unknown) {
  return TICKET_PRIORITIES.map((value) => ({ value, selected: value === selected }));
}
