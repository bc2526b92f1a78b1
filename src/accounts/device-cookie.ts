import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CookieOptions, Request, Response } from 'express';
import { normalizeEmail } from './accounts.service';

/**
 * OWASP's device cookies: after a successful sign-in the browser gets a cookie that names the
 * account (by an HMAC, not in clear). Failed sign-ins from a browser holding a valid one for
 * the account typed are counted on that cookie, not against the account's anonymous budget,
 * so an attacker who exhausts that budget does not lock the owner out of their own browsers.
 */
export const DEVICE_COOKIE = 'hticket.device';
const MAX_AGE_MS = 180 * 86_400_000;

function mac(secret: string, email: string, nonce: string): string {
  return createHmac('sha256', `device-cookie:${secret}`)
    .update(`${normalizeEmail(email)}\n${nonce}`)
    .digest('base64url');
}

export function issueDeviceCookie(res: Response, secret: string, email: string, secure: boolean): void {
  const nonce = randomBytes(16).toString('base64url');
  const options: CookieOptions = { httpOnly: true, sameSite: 'lax', secure, maxAge: MAX_AGE_MS, path: '/login' };
  res.cookie(DEVICE_COOKIE, `${nonce}.${mac(secret, email, nonce)}`, options);
}

/** The cookie's id when the request carries a valid device cookie for `email`, else null. */
export function trustedDevice(req: Request, secret: string, email: unknown): string | null {
  if (typeof email !== 'string' || !email) return null;
  // The value is base64url and a dot only, so no cookie decoding is needed to read it.
  const match = new RegExp(`(?:^|;\\s*)${DEVICE_COOKIE.replace('.', '\\.')}=([A-Za-z0-9_-]+)\\.([A-Za-z0-9_-]+)`).exec(
    req.headers.cookie ?? '',
  );
  if (!match) return null;
  const [, nonce, given] = match;
  const expected = Buffer.from(mac(secret, email, nonce));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? nonce : null;
}
