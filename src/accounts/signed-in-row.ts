import type { SessionData } from 'express-session';
import { holdsSession, readPayload } from './session.serializer';
import { User } from './user.model';

/** Never read on a page: the hash stays out of the hot paths. */
const UNREAD_ATTRIBUTES = new Set(['passwordHash']);

/**
 * The signed-in person of a request as part of a larger statement (the hot paths read session,
 * user, project access and unread count in one round trip): the sessions row `s` joined to its
 * user `u`, with the same conditions as SessionStore.get and SessionSerializer.deserializeUser.
 * Replacements: `:sid`, `:now`. Read with `nest: true`.
 */
export function signedInSql(): { select: string; from: string; where: string } {
  const columns = Object.entries(User.getAttributes())
    .filter(([attribute]) => !UNREAD_ATTRIBUTES.has(attribute))
    .map(([attribute, definition]) => `u.${definition.field ?? attribute} AS "user.${attribute}"`);
  return {
    select: `s.data AS "sessionData", ${columns.join(', ')}`,
    from: 'sessions s JOIN users u ON u.id = s.user_id',
    where: 's.sid = :sid AND s.expires > :now',
  };
}

export interface SignedInRow {
  sessionData: string | null;
  user: Record<string, unknown>;
}

/**
 * The session and user of a row when the session is still theirs: active, of the current
 * generation, within the absolute lifetime. Null otherwise (the regular pipeline then decides).
 */
export function signedInFromRow(
  row: SignedInRow,
  absoluteLifetimeMs: number,
  now: number,
): { session: SessionData; user: User } | null {
  if (!row.sessionData) return null;
  const session = JSON.parse(row.sessionData) as SessionData;
  const payload = readPayload(session.passport?.user);
  const user = User.build(row.user, { isNewRecord: false, raw: true });
  // SQLite gives booleans as 0 and 1, and a raw build does not convert them.
  user.isActive = user.isActive === true || Number(user.isActive) === 1;
  if (!payload || !holdsSession(user, payload)) return null;
  if (!session.startedAt || now - session.startedAt > absoluteLifetimeMs) return null;
  return { session, user };
}
