import { PRIORITY_LABELS, STATUS_LABELS, TicketPriority, TicketStatus } from '../common/board-contract';

/** The ticket fields whose changes the history records, with what they are called in it. */
export const TRACKED_FIELDS = ['title', 'description', 'status', 'priority', 'assigneeId'] as const;
export type TrackedField = (typeof TRACKED_FIELDS)[number];

/**
 * What happened: `moved` is a status change made by dragging a card on the board, `changed` any
 * other change of a tracked field, `access-lost` an assignee unassigned because they lost access
 * to the project (removed, deactivated, demoted; the entry's actor is that person). A comment's
 * edits are not history: the comment says "edited".
 */
export const ACTIVITY_KINDS = ['created', 'changed', 'moved', 'commented', 'comment-deleted', 'access-lost'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** An entry to record; `from` and `to` are the field's values as text (a comment's id for comment entries). */
export interface ActivityEntry {
  ticketId: string;
  actorId: string | null;
  kind: ActivityKind;
  field?: TrackedField | null;
  from?: string | null;
  to?: string | null;
}

const FIELD_NAMES: Record<TrackedField, string> = {
  title: 'title',
  description: 'description',
  status: 'status',
  priority: 'priority',
  assigneeId: 'assignee',
};

/** Display names of the people an assignee entry names (user ids in `from` / `to`). */
export type PeopleNames = ReadonlyMap<string, string>;

/** The user ids that the given entries name as values: what `describeActivity` needs names for. */
export function peopleIn(entries: { field: TrackedField | null; fromValue: string | null; toValue: string | null }[]) {
  const ids = new Set<string>();
  for (const entry of entries) {
    if (entry.field !== 'assigneeId') continue;
    if (entry.fromValue) ids.add(entry.fromValue);
    if (entry.toValue) ids.add(entry.toValue);
  }
  return [...ids];
}

function valueText(field: TrackedField | null, value: string | null): string {
  if (value === null) return '(none)';
  if (field === 'status') return STATUS_LABELS[value as TicketStatus] ?? value;
  if (field === 'priority') return PRIORITY_LABELS[value as TicketPriority] ?? value;
  return `“${value}”`;
}

/** What an entry says after its actor's name ("changed the status from Open to Done"). */
export function describeActivity(
  entry: {
    kind: ActivityKind;
    field: TrackedField | null;
    fromValue: string | null;
    toValue: string | null;
  },
  people: PeopleNames = new Map(),
): string {
  const { kind, field } = entry;
  if (kind === 'created') return 'created the ticket';
  if (kind === 'access-lost') return 'was unassigned: no longer has access to the project';
  if (field === 'assigneeId') return describeAssignment(entry.fromValue, entry.toValue, people);
  if (kind === 'commented') return 'commented';
  if (kind === 'comment-deleted') return 'deleted a comment';
  if (!field) return 'changed the ticket';
  // Descriptions are long: the history tells that it changed, the ticket shows the text.
  if (field === 'description') return 'edited the description';
  const change = `from ${valueText(field, entry.fromValue)} to ${valueText(field, entry.toValue)}`;
  if (kind === 'moved') return `moved the ticket on the board ${change}`;
  return `changed the ${FIELD_NAMES[field]} ${change}`;
}

function describeAssignment(from: string | null, to: string | null, people: PeopleNames): string {
  const name = (id: string) => people.get(id) ?? 'a former member';
  if (!to) return from ? `unassigned ${name(from)}` : 'changed the assignee';
  if (!from) return `assigned the ticket to ${name(to)}`;
  return `reassigned the ticket from ${name(from)} to ${name(to)}`;
}
