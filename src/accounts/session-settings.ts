import type { Request } from 'express';
import type { User } from './user.model';

export const SESSION_COOKIE = 'hticket.sid';

/** What passport keeps in the session for a signed-in person (see SessionSerializer). */
export interface SignedInPayload {
  id: string;
  /** The user's `sessionGeneration` when this session signed in. */
  generation: number;
}

declare module 'express-session' {
  interface SessionData {
    /** When the user signed in (ms since epoch), for the absolute session timeout. */
    startedAt?: number;
    flash?: { type: 'success' | 'info' | 'warning' | 'danger'; message: string }[];
    /** The browser and address it signed in from (copied to the session row by SessionStore). */
    userAgent?: string;
    ip?: string;
    /** Written by SessionStore into every row: a session read back from a row is only ever updated. */
    stored?: true;
    /** passport's own field (passport.user is the serialized user). */
    passport?: { user?: SignedInPayload | string };
  }
}

export function signedInPayload(user: User): SignedInPayload {
  return { id: user.id, generation: user.sessionGeneration };
}

function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((error?: Error) => (error ? reject(error) : resolve())));
}

/**
 * Marks the session as just signed in and stores it now. express-session writes a response's
 * headers before its own save has finished, and a browser follows the 303 that comes next as
 * soon as the headers arrive: without this, the dashboard could load the session as it was
 * before sign-in and send the person back to the login page.
 */
export function startSignedInSession(req: Request): Promise<void> {
  req.session.startedAt = Date.now();
  req.session.userAgent = req.get('user-agent')?.slice(0, 512);
  req.session.ip = req.ip?.slice(0, 64);
  return saveSession(req);
}

/**
 * Keeps this session signed in after the user's session generation was raised (a password
 * change, "sign out everywhere else"), which ends all the others. The session id and its CSRF
 * token stay as they are, so the page beneath a modal keeps working.
 */
export function keepSignedIn(req: Request, user: User): Promise<void> {
  req.session.passport = { ...req.session.passport, user: signedInPayload(user) };
  return saveSession(req);
}
