import { Conflict, DomainError, InvalidInput, NotAllowed, NotFound } from './domain-errors';
import { CONFLICT_WORDING, NOT_ALLOWED_WORDING, TICKET_GONE } from './error-wording';

export interface HttpAnswer {
  status: number;
  /** Undefined: the error page's default text for the status. */
  message?: string;
}

/** Status and message of a domain error, for the error filter. */
export function httpAnswerOf(error: DomainError): HttpAnswer {
  if (error instanceof NotFound) return { status: 404, message: error.subject === 'ticket' ? TICKET_GONE : undefined };
  if (error instanceof NotAllowed) {
    const message = NOT_ALLOWED_WORDING[error.reason];
    return message ? { status: 422, message } : { status: 404 };
  }
  if (error instanceof Conflict) return { status: 409, message: conflictWording(error) };
  if (error instanceof InvalidInput) return { status: 400 };
  return { status: 500 };
}

/** The words for a refusal, for a controller that shows it beside a form field. */
export function wordingOf(error: Conflict | NotAllowed): string {
  if (error instanceof Conflict) return conflictWording(error);
  return NOT_ALLOWED_WORDING[error.reason];
}

function conflictWording(error: Conflict): string {
  return CONFLICT_WORDING[error.reason](error.about);
}
