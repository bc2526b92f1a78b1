/**
 * Every event the server announces to the browser (X-Up-Events) and the views listen to
 * (`data-reload-on`). The one place where these names are spelled: server code uses
 * APP_EVENTS, views write `{{appEvent "ticketsChanged"}}`, and public/app.js reads the names
 * from the markup it is given, so it names none itself.
 */
export const APP_EVENTS = {
  ticketsChanged: 'tickets:changed',
  projectsChanged: 'projects:changed',
  /** Carries { projectId }: pages of the deleted project leave (`data-leave-on`). */
  projectDeleted: 'project:deleted',
  profileChanged: 'profile:changed',
  usersChanged: 'users:changed',
  invitationsChanged: 'invitations:changed',
  /** Notifications were marked read: the navbar's count reloads. */
  notificationsChanged: 'notifications:changed',
  /** Carries { message }: a closed modal's acknowledgement, shown as a toast (`data-toast-on`). */
  toast: 'app:toast',
} as const;

export type AppEventKey = keyof typeof APP_EVENTS;
export type AppEventType = (typeof APP_EVENTS)[AppEventKey];

/** The event type for a key of APP_EVENTS; throws for any other key, so a typo in a view fails its render. */
export function appEventType(key: string): AppEventType {
  if (!Object.prototype.hasOwnProperty.call(APP_EVENTS, key)) throw new Error(`Unknown app event "${key}"`);
  return APP_EVENTS[key as AppEventKey];
}
