import { STATUS_LABELS, TicketStatus } from '../common/board-contract';
import { formatInboxCursor } from './inbox-cursor';
import type { Notification } from './notification.model';

/** What `inboxEntry()` reads of a notification's ticket, project and actor: include it in the query. */
export const INBOX_ENTRY_INCLUDE = [
  {
    association: 'ticket',
    attributes: ['id', 'projectId', 'number', 'title'],
    include: [{ association: 'project', attributes: ['id', 'name'] }],
  },
  { association: 'actor', attributes: ['id', 'email', 'name', 'avatar'] },
];

/** A notification as the inbox shows it: plain data for the view. */
export interface InboxEntry {
  id: string;
  unread: boolean;
  actorName: string;
  /** What happened, after the actor's name: "assigned you", "commented on"... */
  did: string;
  ticketLabel: string;
  ticketUrl: string;
  projectName: string;
  /** After the ticket: the new status, or the start of the comment. */
  detail: string | null;
  createdAt: Date;
}

export function inboxEntry(notification: Notification): InboxEntry {
  const ticket = notification.ticket!;
  const actor = notification.actor;
  return {
    id: notification.id,
    unread: notification.readAt === null,
    actorName: actor ? actor.name || actor.email : 'Former member',
    did: DID[notification.kind],
    ticketLabel: `#${ticket.number} ${ticket.title}`,
    ticketUrl: `/projects/${ticket.projectId}/tickets/${ticket.id}`,
    projectName: ticket.project?.name ?? '',
    detail: detailOf(notification),
    createdAt: notification.createdAt,
  };
}

const DID: Record<Notification['kind'], string> = {
  assigned: 'assigned you',
  commented: 'commented on',
  status: 'changed the status of',
  mentioned: 'mentioned you on',
};

function detailOf(notification: Notification): string | null {
  if (notification.kind === 'status' && notification.detail)
    return `now ${STATUS_LABELS[notification.detail as TicketStatus] ?? notification.detail}`;
  return notification.detail;
}

/** The cursor of the page after these entries, when there is one. */
export function nextCursor(notifications: Notification[], more: boolean): string | null {
  const last = notifications[notifications.length - 1];
  return more && last ? formatInboxCursor(last.createdAt, last.id) : null;
}
