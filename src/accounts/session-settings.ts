export const SESSION_COOKIE = 'hticket.sid';

declare module 'express-session' {
  interface SessionData {
    /** When the user signed in (ms since epoch), for the absolute session timeout. */
    startedAt?: number;
    flash?: { type: 'success' | 'info' | 'warning' | 'danger'; message: string }[];
  }
}
