import { CONFLICT_WORDING, NOT_ALLOWED_WORDING } from './error-wording';

/** What a lookup can fail to find. */
export type Subject = 'ticket' | 'comment' | 'user' | 'invitation' | 'member' | 'project' | 'session' | 'notification';

/** Why a change cannot be made in the state things are in now. */
export type ConflictReason = 'already-member' | 'email-taken';

/** Rules that forbid a change to whoever asks. */
export type NotAllowedReason =
  | 'last-manager'
  | 'self-deactivation'
  | 'delete-ticket'
  | 'assignee-without-access'
  | 'edit-comment'
  | 'delete-comment';

/** Input a service refuses, per field. Forms validate most input first; the REPL does not. */
export type InvalidReason =
  | 'unknown-role'
  | 'password-too-short'
  | 'password-too-long'
  | 'passwords-differ'
  | 'wrong-password'
  | 'not-a-candidate'
  | 'email-required'
  | 'not-an-email-address'
  | 'not-a-timeline-cursor'
  | 'not-an-inbox-cursor';

/**
 * A rule of the domain said no. Services throw these and never HTTP exceptions; the error
 * filter maps each kind to a status and a message (error-wording.ts); a controller that shows a
 * refusal beside a form field words it itself (or with `wordingOf()`). The `message` is for logs
 * and the REPL.
 */
export abstract class DomainError extends Error {
  override get name(): string {
    return this.constructor.name;
  }
}

export class NotFound extends DomainError {
  /** `ref` is what was looked for (an id, an email), for the REPL; never shown in the app. */
  constructor(
    readonly subject: Subject,
    readonly ref?: string,
  ) {
    super(ref === undefined ? `There is no such ${subject}.` : `There is no ${subject} ${ref}.`);
  }
}

export class Conflict extends DomainError {
  /** `about`: the name of what is in the way, when the words need it. */
  constructor(
    readonly reason: ConflictReason,
    readonly about?: string,
  ) {
    super(CONFLICT_WORDING[reason](about));
  }
}

export class NotAllowed extends DomainError {
  constructor(readonly reason: NotAllowedReason) {
    super(NOT_ALLOWED_WORDING[reason] || `Not allowed: ${reason}.`);
  }
}

/** Worded beside each field by the controller of the form, which knows its limits. */
export class InvalidInput extends DomainError {
  constructor(readonly problems: Record<string, InvalidReason>) {
    super(
      `Invalid input: ${Object.entries(problems)
        .map(([field, reason]) => `${field} (${reason})`)
        .join(', ')}.`,
    );
  }
}
