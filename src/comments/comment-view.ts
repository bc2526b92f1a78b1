import type { User } from '../accounts/user.model';
import type { TimelineComment, TimelinePerson } from '../tickets/ticket-timeline';
import { renderMarkdownKept } from '../common/markdown';
import type { Mentionable } from '../common/mentions';
import { canDeleteComment, canEditComment } from './comment-rules';
import type { Comment } from './comment.model';

type PersonRow = Pick<User, 'id' | 'email' | 'name' | 'avatar' | 'isActive'>;

/** A person on the timeline; a missing account (never deleted today) shows as a former member. */
export function timelinePerson(user: PersonRow | null | undefined): TimelinePerson {
  if (!user) return { id: '', email: '', name: '', avatar: null, displayName: 'Former member', isActive: true };
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    avatar: user.avatar,
    displayName: user.name || user.email,
    isActive: user.isActive,
  };
}

export function ticketPath(ticket: { id: string; projectId: string }): string {
  return `/projects/${ticket.projectId}/tickets/${ticket.id}`;
}

export function commentsPath(ticket: { id: string; projectId: string }): string {
  return `${ticketPath(ticket)}/comments`;
}

/** A comment as the timeline shows it to `viewer`. */
export function commentEntry(
  ticket: { id: string; projectId: string },
  comment: Pick<Comment, 'id' | 'authorId' | 'body' | 'editedAt' | 'createdAt' | 'author'>,
  viewer: Pick<User, 'id' | 'isManager'>,
  mentionable?: Mentionable,
): TimelineComment {
  const url = `${commentsPath(ticket)}/${comment.id}`;
  return {
    type: 'comment',
    key: `comment-${comment.id}`,
    id: comment.id,
    actor: timelinePerson(comment.author),
    createdAt: comment.createdAt,
    editedAt: comment.editedAt,
    bodyHtml: renderMarkdownKept(comment.body, mentionable),
    url,
    editUrl: `${url}/edit`,
    deleteUrl: `${url}/delete`,
    canEdit: canEditComment(comment, viewer),
    canDelete: canDeleteComment(comment, viewer),
  };
}
