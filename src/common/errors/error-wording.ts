import type { ConflictReason, NotAllowedReason } from './domain-errors';

/** The words people read for each domain error: the only place they are written. */

export const TICKET_GONE =
  'This ticket no longer exists in this project: someone may have deleted it. Close this window to see the board as it is now.';

/** `about`: the name of what is in the way (Conflict.about), when there is one. */
export const CONFLICT_WORDING: Record<ConflictReason, (about?: string) => string> = {
  'already-member': (about = 'This person') => `${about} is already a member of this project.`,
  'email-taken': () => 'An account with this email exists already. Sign in instead.',
};

export const NOT_ALLOWED_WORDING: Record<NotAllowedReason, string> = {
  'last-manager': 'hticket needs at least one active manager. Make someone else a manager first.',
  'self-deactivation': 'You cannot deactivate your own account. Ask another manager.',
  // Answered as "not found": people learn nothing about tickets they may not delete.
  'delete-ticket': '',
  'assignee-without-access':
    'Choose someone with access to this project (its members and the managers): this person cannot be assigned here.',
  // Someone else's comment: as if it did not exist.
  'edit-comment': '',
  'delete-comment': '',
};
