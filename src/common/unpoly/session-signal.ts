import type { Response } from 'express';

/**
 * Why a request from a page was refused for its session, for the browser's scripts
 * (public/recovery.js): they keep the form and sign the person in again in a layer over it
 * (`signed-out`), or take the current token and send again (`token-stale`), instead of
 * showing the refusal in place of what was typed.
 */
export const SESSION_SIGNAL_HEADER = 'X-Hticket-Session';

export type SessionSignal =
  /** No session any more (signed out elsewhere, password changed, idle or absolute timeout). */
  | 'signed-out'
  /** Signed in, but the form carries the token of an earlier session (signed in again meanwhile). */
  | 'token-stale';

export function signalSession(res: Response, signal: SessionSignal): void {
  res.set(SESSION_SIGNAL_HEADER, signal);
}

/** The refusal's words for a person without JavaScript (the scripts act on the header). */
export const SIGNED_OUT_MESSAGE = 'You were signed out, so this was not saved. Sign in again, then send it again.';
