import type { Request } from 'express';

export const SESSION_COOKIE = 'hticket.sid';

declare module 'express-session' {
  interface SessionData {
    /** When the user signed in (ms since epoch), for the absolute session timeout. */
    startedAt?: number;
    flash?: { type: 'success' | 'info' | 'warning' | 'danger'; message: string }[];
  }
}

/**
 * Marks the session as just signed in and stores it now. express-session writes a response's
 * headers before its own save has finished, and a browser follows the 303 that comes next as
 * soon as the headers arrive: without this, the dashboard could load the session as it was
 * before sign-in and send the person back to the login page.
 */
export function startSignedInSession(req: Request): Promise<void> {
  req.session.startedAt = Date.now();
  return new Promise((resolve, reject) => req.session.save((error?: Error) => (error ? reject(error) : resolve())));
}
