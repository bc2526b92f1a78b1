import type { User } from '../accounts/user.model';
import type { Project } from '../projects/project.model';
import { formatUtc, isoTime, relativeTime } from '../common/views/view-helpers';
import type { BoardCard } from './board-cards';
import type { BoardColumn } from './tickets.service';
import { renderMarkdownKept } from '../common/markdown';
import type { Mentionable } from '../common/mentions';
import { PRIORITY_LABELS, STATUS_LABELS, TICKET_PRIORITIES, TICKET_STATUSES } from '../common/board-contract';
import type { Ticket } from './ticket.model';

/** What the ticket views read: a Ticket with its people, or the details modal's plain row (ticket-details-row.ts). */
export type TicketViewSource = Pick<
  Ticket,
  | 'id'
  | 'number'
  | 'title'
  | 'status'
  | 'priority'
  | 'version'
  | 'createdAt'
  | 'updatedAt'
  | 'commentCount'
  | 'description'
  | 'reporterId'
> & {
  reporter?: Pick<User, 'id' | 'email' | 'name' | 'avatar'> | null;
  assignee?: Pick<User, 'id' | 'email' | 'name' | 'avatar'> | null;
};

/*
 * Views get plain objects: Handlebars refuses to read Sequelize's attribute getters (they live on
 * the prototype), and a view model states exactly what a template may show.
 */

export function personView(user: Pick<User, 'id' | 'email' | 'name' | 'avatar'> | undefined | null) {
  if (!user) return { id: '', email: '', name: '', avatar: null, displayName: 'Former member' };
  return { id: user.id, email: user.email, name: user.name, avatar: user.avatar, displayName: user.name || user.email };
}

/** The assignee as views show them; null when the ticket is unassigned (views say "Unassigned"). */
export function assigneeView(user: Pick<User, 'id' | 'email' | 'name' | 'avatar'> | undefined | null) {
  return user ? personView(user) : null;
}

export function projectView(project: Project) {
  return {
    id: project.id,
    name: project.name,
    description: project.description,
    descriptionHtml: renderMarkdownKept(project.description),
    url: `/projects/${project.id}`,
  };
}

/** A ticket's page title: its details, its timeline. */
export function ticketPageTitle(ticket: Pick<Ticket, 'number' | 'title'>): string {
  return `#${ticket.number} ${ticket.title}`;
}

export function ticketUrl(project: Pick<Project, 'id'>, ticketId: string): string {
  return `/projects/${project.id}/tickets/${ticketId}`;
}

/** A ticket card or list row. */
export function ticketSummary(
  project: Pick<Project, 'id'>,
  ticket: Omit<TicketViewSource, 'description' | 'reporterId'>,
) {
  return {
    id: ticket.id,
    number: ticket.number,
    title: ticket.title,
    status: ticket.status,
    statusLabel: STATUS_LABELS[ticket.status],
    priority: ticket.priority,
    priorityLabel: PRIORITY_LABELS[ticket.priority],
    version: ticket.version,
    createdAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
    commentCount: ticket.commentCount,
    reporter: personView(ticket.reporter),
    assignee: assigneeView(ticket.assignee),
    url: ticketUrl(project, ticket.id),
  };
}

/**
 * Board cards, with every text precomputed: the card template then runs no helper per ticket
 * (a board renders two hundred of them). People are shaped once each, not once per card.
 */
export function boardCards(project: Pick<Project, 'id'>, cards: BoardCard[], now = new Date()) {
  const people = new Map<string, ReturnType<typeof personView>>();
  const shaped = (user: NonNullable<BoardCard['reporter']>) => {
    let person = people.get(user.id);
    if (!person) people.set(user.id, (person = personView(user)));
    return person;
  };
  const reporterOf = (reporter: BoardCard['reporter']) => (reporter ? shaped(reporter) : personView(null));
  return cards.map((card) => ({
    id: card.id,
    number: card.number,
    title: card.title,
    status: card.status,
    priority: card.priority,
    priorityLabel: PRIORITY_LABELS[card.priority],
    version: card.version,
    url: ticketUrl(project, card.id),
    createdIso: isoTime(card.createdAt),
    createdText: formatUtc(card.createdAt),
    createdAgo: relativeTime(card.createdAt, now),
    commentCount: card.commentCount,
    reporter: reporterOf(card.reporter),
    assignee: card.assignee ? shaped(card.assignee) : null,
  }));
}

/**
 * One board column: its cards, its size and where its next cards come from ("Load more"), of
 * one assignee's board when `assignee` (the filter as in the URL) is given.
 */
export function boardColumnView(
  project: Pick<Project, 'id'>,
  column: BoardColumn,
  now = new Date(),
  assignee?: string,
) {
  const filter = assignee ? `&assignee=${encodeURIComponent(assignee)}` : '';
  return {
    status: column.status,
    label: STATUS_LABELS[column.status],
    total: column.total,
    tickets: boardCards(project, column.tickets, now),
    moreUrl: column.nextBefore
      ? `/projects/${project.id}/columns/${column.status}?before=${column.nextBefore}${filter}`
      : null,
  };
}

/** Everything the details modal shows. */
export function ticketDetails(
  project: Pick<Project, 'id'>,
  ticket: TicketViewSource,
  user: User,
  canDelete: boolean,
  mentionable?: Mentionable,
) {
  return {
    ...ticketSummary(project, ticket),
    description: ticket.description,
    descriptionHtml: renderMarkdownKept(ticket.description, mentionable),
    edited: ticket.updatedAt.getTime() - ticket.createdAt.getTime() > 1000,
    canDelete,
    isMine: ticket.reporterId === user.id,
  };
}

/** Options for the status select, with the current one selected. */
export function statusOptions(selected: unknown) {
  return TICKET_STATUSES.map((value) => ({ value, label: STATUS_LABELS[value], selected: value === selected }));
}

/**
 * Options for an assignee select: "Unassigned", then the people with access. A current assignee
 * who has lost access (a done ticket keeps them) stays as an option, so that saving other fields
 * does not unassign them.
 */
export function assigneeOptions(
  people: Pick<User, 'id' | 'email' | 'name' | 'avatar'>[],
  selected: unknown,
  current?: Pick<User, 'id' | 'email' | 'name' | 'avatar'> | null,
) {
  const choices = people.map((person) => ({ value: person.id, label: personView(person).displayName }));
  if (current && !people.some((person) => person.id === current.id))
    choices.push({ value: current.id, label: `${personView(current).displayName} (no access)` });
  return [
    { value: '', label: 'Unassigned', selected: !selected },
    ...choices.map((choice) => ({ ...choice, selected: choice.value === selected })),
  ];
}

/** Options for the priority select, with the current one selected. */
export function priorityOptions(selected: unknown) {
  return TICKET_PRIORITIES.map((value) => ({ value, label: PRIORITY_LABELS[value], selected: value === selected }));
}
