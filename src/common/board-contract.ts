/**
 * The board contract: the one definition of a ticket's statuses and priorities, of what a board
 * card shows, of the per-status counters on projects, and of the writes that must move
 * `projects.board_version` (the key of the cached board, tickets/board-fragments.ts).
 *
 * The card query (board-cards.ts), the status and priority validation and options, and the
 * project's counters derive from here. The database triggers that keep the counters and the version
 * are migrations, which never change once shipped: test/e2e/board-contract.e2e-spec.ts writes every
 * field a card shows and fails until a migration makes the triggers watch it. This file imports
 * nothing, so that every module may read it.
 */

/** The board's columns, in order; `counter` is the projects column that counts its tickets. */
export const STATUS_DEFINITIONS = [
  { value: 'OPEN', label: 'Open', counter: 'open_tickets' },
  { value: 'IN_PROGRESS', label: 'In progress', counter: 'in_progress_tickets' },
  { value: 'REVIEW', label: 'Review', counter: 'review_tickets' },
  { value: 'DONE', label: 'Done', counter: 'done_tickets' },
] as const;

/** Lowest first; sorting by priority puts the highest first. */
export const PRIORITY_DEFINITIONS = [
  { value: 'LOW', label: 'Low' },
  { value: 'MEDIUM', label: 'Medium' },
  { value: 'HIGH', label: 'High' },
  { value: 'CRITICAL', label: 'Critical' },
] as const;

export type TicketStatus = (typeof STATUS_DEFINITIONS)[number]['value'];
export type TicketPriority = (typeof PRIORITY_DEFINITIONS)[number]['value'];

export const TICKET_STATUSES: readonly TicketStatus[] = STATUS_DEFINITIONS.map((status) => status.value);
export const TICKET_PRIORITIES: readonly TicketPriority[] = PRIORITY_DEFINITIONS.map((priority) => priority.value);

/** The status of finished tickets; every other one is open (assignments end with access only while open). */
export const DONE_STATUS: TicketStatus = 'DONE';

/** What a new ticket gets when the form does not say (the first column, the middle priority). */
export const NEW_TICKET_STATUS: TicketStatus = 'OPEN';
export const NEW_TICKET_PRIORITY: TicketPriority = 'MEDIUM';

export const STATUS_LABELS = labels(STATUS_DEFINITIONS);
export const PRIORITY_LABELS = labels(PRIORITY_DEFINITIONS);

/** The projects columns that count tickets per status, kept by the database (migration 0005). */
export const STATUS_COUNTER_COLUMNS = Object.fromEntries(
  STATUS_DEFINITIONS.map((status) => [status.value, status.counter]),
) as Record<TicketStatus, (typeof STATUS_DEFINITIONS)[number]['counter']>;

/** The same counters as Project attributes (the model is `underscored`). */
export const STATUS_COUNTER_ATTRIBUTES = Object.fromEntries(
  STATUS_DEFINITIONS.map((status) => [status.value, camelCase(status.counter)]),
) as Record<TicketStatus, string>;

/** The tickets columns a board card shows, by the name the card gives them. */
export const CARD_TICKET_COLUMNS = {
  id: 'id',
  number: 'number',
  title: 'title',
  status: 'status',
  priority: 'priority',
  version: 'version',
  createdAt: 'created_at',
  commentCount: 'comment_count',
} as const;

/** The reporter a card shows: the users row `tickets.reporter_id` names, and which of its columns. */
export const CARD_REPORTER = {
  /** A tickets column, so watched with every other one. */
  joinedBy: 'reporter_id',
  /** The primary key: it never changes. */
  key: 'id',
  columns: { email: 'email', name: 'name', avatar: 'avatar' },
} as const;

/** The assignee a card shows (or "Unassigned"): the users row `tickets.assignee_id` names, if any. */
export const CARD_ASSIGNEE = {
  joinedBy: 'assignee_id',
  key: 'id',
  columns: { email: 'email', name: 'name', avatar: 'avatar' },
} as const;

/** The people on a card, by the role they have there. */
export const CARD_PEOPLE = { reporter: CARD_REPORTER, assignee: CARD_ASSIGNEE } as const;
export type CardRole = keyof typeof CARD_PEOPLE;

/**
 * The writes that move a project's board version, as its triggers watch them: every insert,
 * update (of any column) and delete of its tickets, and a change of these `users` columns of a
 * person who reported (migration 0005) or is assigned (migration 0009) one of its tickets.
 * Everything a card shows must be in here. The version also keys the project's dashboard card
 * (migration 0019): a change of the project's name or description, a member joining or leaving,
 * and a change of these `users` columns of a member move it too. And it keys each ticket's kept
 * details (tickets/kept-ticket-details.ts), with the people version: a comment's edit moves it
 * (migration 0021), as adding and deleting one do through the ticket's comment count.
 */
export const BOARD_VERSION_WATCHES = {
  tickets: 'every column',
  users: ['name', 'email', 'avatar'],
  usersShownAs: ['reporter', 'assignee'],
  /** What the project's dashboard card shows beside the counters. */
  projectCard: {
    projects: ['name', 'description'],
    projectMembers: 'every insert and delete',
    members: ['name', 'email', 'avatar'],
  },
  /** What a ticket's details show beside its row, its people and its history. */
  ticketDetails: { comments: ['body', 'edited_at'] },
} as const;

/**
 * Every column a card shows: `tickets.<column>` (the joining columns included), and
 * `<role>.<column>` for the users row a role names (`reporter.name`, `assignee.avatar`).
 */
export function cardColumns(): string[] {
  return [
    ...Object.values(CARD_TICKET_COLUMNS).map((column) => `tickets.${column}`),
    ...Object.values(CARD_PEOPLE).map((person) => `tickets.${person.joinedBy}`),
    ...Object.entries(CARD_PEOPLE).flatMap(([role, person]) => [
      `${role}.${person.key}`,
      ...Object.values(person.columns).map((column) => `${role}.${column}`),
    ]),
  ];
}

/** Card columns whose change would not move the board version (a primary key never changes). */
export function unwatchedCardColumns(): string[] {
  const watched = (column: string) => {
    const [table, name] = column.split('.');
    if (table === 'tickets') return BOARD_VERSION_WATCHES.tickets === 'every column';
    if (!(table in CARD_PEOPLE)) return false;
    if (name === CARD_PEOPLE[table as CardRole].key) return true;
    return (
      (BOARD_VERSION_WATCHES.usersShownAs as readonly string[]).includes(table) &&
      (BOARD_VERSION_WATCHES.users as readonly string[]).includes(name)
    );
  };
  return cardColumns().filter((column) => !watched(column));
}

function labels<Value extends string>(definitions: readonly { value: Value; label: string }[]): Record<Value, string> {
  return Object.fromEntries(definitions.map(({ value, label }) => [value, label])) as Record<Value, string>;
}

function camelCase(column: string): string {
  return column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
