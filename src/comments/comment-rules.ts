import type { User } from '../accounts/user.model';

/** Only the author changes a comment's text. */
export function canEditComment(comment: { authorId: string | null }, user: Pick<User, 'id'>): boolean {
  return comment.authorId === user.id;
}

/** The author deletes their own comments; a manager any comment. */
export function canDeleteComment(comment: { authorId: string | null }, user: Pick<User, 'id' | 'isManager'>): boolean {
  return user.isManager || comment.authorId === user.id;
}
