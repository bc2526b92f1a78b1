import type { AppEventType } from './app-events';
import type { UpEvent } from './unpoly';

/**
 * What a handler did, returned instead of written to the response. ModalResultInterceptor
 * turns it into the Unpoly answer (X-Up-Accept-Layer, X-Up-Events, a fragment rendered in
 * place) or, for a browser without JavaScript (no X-Up-Version), the plain 303 or 4xx page.
 * Handlers never look at the Unpoly request headers themselves.
 */
export type ModalResult = ViewResult | DoneResult | RedirectResult | NoContentResult;

/** An event by its type alone, or with properties ({ type, projectId }). */
export type EventSpec = AppEventType | UpEvent;

export type Locals = Record<string, unknown>;

/** A view rendered where the request came from: a page, a modal's content, or a form with errors. */
export interface ViewResult {
  readonly kind: 'view';
  readonly view: string;
  readonly locals: Locals;
  readonly status: number;
  /** Emitted on the client with the response, in every case. */
  readonly events: readonly UpEvent[];
}

/** A change is saved; where the answer goes depends on where the form was. */
export interface DoneResult {
  readonly kind: 'done';
  /** The page that shows the result: the 303 of a plain form or of a form on the root layer. */
  readonly redirectTo: string;
  /** Emitted on the page beneath the closed overlay (or with the view shown in place). */
  readonly events: readonly UpEvent[];
  /** A success message for the page the 303 leads to. */
  readonly flash?: string;
  /** Keep the overlay (or page) open on this view instead of closing it, when Unpoly asked. */
  readonly inPlace?: { readonly view: string; readonly locals: Locals };
  /**
   * In an overlay: close it with this acceptance value, answering with this view (a full page,
   * whose meta tags the overlay's opener may read: signing in again carries the new CSRF token).
   */
  readonly acceptWith?: { readonly value: unknown; readonly view: string; readonly locals: Locals };
}

/** A plain 303, with or without Unpoly (signing in and out, joining). */
export interface RedirectResult {
  readonly kind: 'redirect';
  readonly to: string;
}

/** 204: saved, nothing to show (the board's drag and drop). */
export interface NoContentResult {
  readonly kind: 'no-content';
  readonly events: readonly UpEvent[];
}

/** The statuses a form answers with when it is not saved. */
export type FormErrorStatus = 409 | 422 | 429;

const MODAL_RESULT = Symbol('ModalResult');

function brand<T extends ModalResult>(result: T): T {
  return Object.defineProperty(result, MODAL_RESULT, { value: true });
}

export function isModalResult(value: unknown): value is ModalResult {
  return typeof value === 'object' && value !== null && MODAL_RESULT in value;
}

export function toUpEvents(events: readonly EventSpec[] = []): UpEvent[] {
  return events.map((event) => (typeof event === 'string' ? { type: event } : event));
}

/**
 * Shows a view, with 200 unless told (a modal's content, a confirmation, a page that is also a
 * modal, or a page that explains why a link no longer works).
 */
export function page(
  view: string,
  locals: Locals,
  options: { events?: readonly EventSpec[]; status?: number } = {},
): ViewResult {
  return brand({ kind: 'view', view, locals, status: options.status ?? 200, events: toUpEvents(options.events) });
}

/**
 * Shows the form again with what was typed and why it was not saved: 422 for invalid input,
 * 409 when someone else changed the record meanwhile, 429 when it is too soon to try again.
 * Unpoly keeps it in the same modal.
 */
export function formErrors(view: string, locals: Locals, status: FormErrorStatus = 422): ViewResult {
  return brand({ kind: 'view', view, locals, status, events: [] });
}

/**
 * The change is saved. In an overlay: close it (accept) and emit the events on the page
 * beneath, or, with `inPlace`, show that view in place (any Unpoly request) with the events.
 * Otherwise: 303 to `redirectTo`, with `flash` shown there.
 */
export function done(options: {
  redirectTo: string;
  events?: readonly EventSpec[];
  flash?: string;
  inPlace?: { view: string; locals: Locals };
  acceptWith?: { value: unknown; view: string; locals: Locals };
}): DoneResult {
  return brand({
    kind: 'done',
    redirectTo: options.redirectTo,
    events: toUpEvents(options.events),
    flash: options.flash,
    inPlace: options.inPlace,
    acceptWith: options.acceptWith,
  });
}

export function redirect(to: string): RedirectResult {
  return brand({ kind: 'redirect', to });
}

export function noContent(options: { events?: readonly EventSpec[] } = {}): NoContentResult {
  return brand({ kind: 'no-content', events: toUpEvents(options.events) });
}
