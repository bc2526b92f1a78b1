import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { isUUID } from 'class-validator';
import { NOTIFICATION_KINDS, NotificationKind } from './notification-kinds';

/**
 * The token of a one-click unsubscribe link (RFC 8058): the person and the kinds of mail to stop,
 * signed with HMAC-SHA-256 under a key derived from SESSION_SECRET for this purpose only. It is
 * checked without the database, and never expires (a mail client may send it years later);
 * changing SESSION_SECRET voids every link sent.
 */
export interface Unsubscription {
  userId: string;
  kinds: NotificationKind[];
}

function key(secret: string): Buffer {
  return createHash('sha256').update(`unsubscribe:${secret}`).digest();
}

function signature(payload: string, secret: string): Buffer {
  return createHmac('sha256', key(secret)).update(payload).digest();
}

export function unsubscribeToken({ userId, kinds }: Unsubscription, secret: string): string {
  const payload = Buffer.from(`${userId}:${kinds.join(',')}`).toString('base64url');
  return `${payload}.${signature(payload, secret).toString('base64url')}`;
}

/** What a token asks, or null when it was not signed with this secret or says nothing sensible. */
export function readUnsubscribeToken(token: string, secret: string): Unsubscription | null {
  const [payload, signed, extra] = token.split('.');
  if (!payload || !signed || extra !== undefined) return null;
  const expected = signature(payload, secret);
  const given = Buffer.from(signed, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const [userId, list] = Buffer.from(payload, 'base64url').toString('utf8').split(':');
  const kinds = (list ?? '').split(',');
  if (!isUUID(userId) || !kinds.every((kind) => (NOTIFICATION_KINDS as readonly string[]).includes(kind))) return null;
  return { userId, kinds: kinds as NotificationKind[] };
}
