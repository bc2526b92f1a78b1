/**
 * What travels on the live bus. A `LiveEvent` is logged (for `Last-Event-ID` catch-up) and sent
 * to the streams of its channel; a `LiveControl` only tells every process to check the access of
 * some streams again (a member removed, an account deactivated) and is never sent to a browser.
 */
export interface LiveEvent {
  kind: 'event';
  /** Orderable id `<ms>-<seq>`, given by the log when the event is published. */
  id: string;
  channel: string;
  data: LiveEventData;
}

/** The body of an event, as the browser gets it (`public/live.js`). */
export interface LiveEventData {
  /** App events (APP_EVENTS) the browser emits: the fragments listening to them reload. */
  emit: string[];
  /** The ticket that changed, so that an open details or edit modal of it can react. */
  ticketId?: string;
  /** Who changed it, for "Changed by … just now", and their id (a person's own change leaves their modals alone). */
  by?: string;
  actorId?: string;
}

export interface LiveControl {
  kind: 'access';
  userId?: string;
  projectId?: string;
  /** The project was deleted: its streams end. */
  projectGone?: boolean;
}

export type LiveMessage = LiveEvent | LiveControl;

export const projectChannel = (projectId: string) => `project:${projectId}`;
export const personChannel = (userId: string) => `person:${userId}`;

/** Compares two event ids (`<ms>-<seq>`); NaN parts (a malformed id) sort first. */
export function compareEventIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number);
  const [bm, bs] = b.split('-').map(Number);
  return am - bm || as - bs;
}

/** A `Last-Event-ID` as sent back by a browser: only our own id shape is accepted. */
export function parseEventId(value: unknown): string | null {
  return typeof value === 'string' && /^\d{1,16}-\d{1,16}$/.test(value) ? value : null;
}
