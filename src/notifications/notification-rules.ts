import type { CommentAdded } from '../comments/comment-events';
import type { TicketChanged } from '../tickets/ticket-events';
import type { NotificationKind } from './notification-kinds';

/** Someone to tell, before the access check (NotificationsService keeps those with access). */
export interface Notice {
  recipientId: string;
  kind: NotificationKind;
  detail: string | null;
}

/** How much of a comment a notification keeps. */
export const COMMENT_EXCERPT_LENGTH = 140;

/**
 * Who hears about a ticket write: a new assignee is told they were assigned (unless they assigned
 * themselves); a status change goes to the reporter and the assignee, except a person just told
 * of their assignment by the same write; the people newly mentioned in the description
 * (`mentionedIds`, already limited to those with access) are told they were mentioned, unless
 * told of something else by the same write. Never the actor.
 */
export function noticesOfTicketChange(
  { ticket, actorId, change }: Pick<TicketChanged, 'ticket' | 'actorId' | 'change'>,
  mentionedIds: string[] = [],
): Notice[] {
  const notices: Notice[] = [];
  const assigned = change.assignedTo && change.assignedTo !== actorId ? change.assignedTo : null;
  if (assigned) notices.push({ recipientId: assigned, kind: 'assigned', detail: null });
  if (change.statusFrom !== null && !change.created) {
    for (const recipientId of distinct([ticket.reporterId, ticket.assigneeId]))
      if (recipientId !== actorId && recipientId !== assigned)
        notices.push({ recipientId, kind: 'status', detail: ticket.status });
  }
  for (const recipientId of distinct(mentionedIds))
    if (recipientId !== actorId && !notices.some((notice) => notice.recipientId === recipientId))
      notices.push({ recipientId, kind: 'mentioned', detail: null });
  return notices;
}

/**
 * Who hears about a new comment: the people it mentions (`mentionedIds`, already limited to those
 * with access), told they were mentioned; then the reporter, the assignee and earlier commenters,
 * told of the comment unless just told of the mention. Never its author.
 */
export function noticesOfComment(
  { ticket, comment, earlierAuthorIds }: Pick<CommentAdded, 'ticket' | 'comment' | 'earlierAuthorIds'>,
  mentionedIds: string[] = [],
): Notice[] {
  const detail = excerpt(comment.body);
  const mentioned = distinct(mentionedIds).filter((recipientId) => recipientId !== comment.authorId);
  return [
    ...mentioned.map((recipientId): Notice => ({ recipientId, kind: 'mentioned', detail })),
    ...distinct([ticket.reporterId, ticket.assigneeId, ...earlierAuthorIds])
      .filter((recipientId) => recipientId !== comment.authorId && !mentioned.includes(recipientId))
      .map((recipientId): Notice => ({ recipientId, kind: 'commented', detail })),
  ];
}

/** The start of a text on one line, cut at COMMENT_EXCERPT_LENGTH characters with an ellipsis. */
export function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > COMMENT_EXCERPT_LENGTH ? `${line.slice(0, COMMENT_EXCERPT_LENGTH - 1).trimEnd()}…` : line;
}

function distinct(ids: (string | null)[]): string[] {
  return [...new Set(ids.filter((id): id is string => id !== null))];
}
