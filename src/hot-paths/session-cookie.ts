import { unsign } from 'cookie-signature';
import type { Request, Response } from 'express';
import type { Cookie } from 'express-session';
import { SESSION_COOKIE } from '../accounts/session-settings';

const COOKIE_PATTERN = new RegExp(`(?:^|;)\\s*${SESSION_COOKIE.replace('.', '\\.')}=([^;]*)`);

/** The session cookie's value as express-session reads it (the first one, URL-decoded), if any. */
export function sessionCookieOf(header: string | undefined): string | undefined {
  const match = header ? COOKIE_PATTERN.exec(header) : null;
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1].trim());
  } catch {
    return undefined;
  }
}

/** express-session's signed value (`s:<id>.<signature>`) → the session id, or null when forged. */
export const signature = {
  unsign(value: string, secret: string): string | null {
    if (!value.startsWith('s:')) return null;
    return unsign(value.slice(2), secret) || null;
  },
};

/**
 * What express-session's rolling cookie writes on every answer: the same value with the options
 * stored with the session, expiring its idle time from now. Returns the new expiry, or null when
 * express-session would not write it (a Secure cookie over plain HTTP, no idle time stored).
 */
export function rollSessionCookie(req: Request, res: Response, value: string, stored: Cookie | undefined): Date | null {
  if (typeof stored?.originalMaxAge !== 'number' || (stored.secure === true && !req.secure)) return null;
  const expires = new Date(Date.now() + stored.originalMaxAge);
  res.cookie(SESSION_COOKIE, value, {
    path: stored.path ?? '/',
    domain: stored.domain,
    expires,
    httpOnly: stored.httpOnly,
    secure: stored.secure === true,
    sameSite: stored.sameSite,
  });
  return expires;
}
