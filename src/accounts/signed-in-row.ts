import type { SessionData } from 'express-session';
import { Role } from './roles';
import { holdsSession, readPayload } from './session.serializer';

/**
 * The signed-in person of a request as part of a larger statement (the hot paths read session,
 * user, project access and unread count in one round trip): the sessions row `s` joined to its
 * user `u`, with the same conditions as SessionStore.get and SessionSerializer.deserializeUser.
 * Replacements: `:sid`, `:now`.
 */
export const SIGNED_IN_SQL = {
  select: `s.data AS "sessionData", u.id AS "userId", u.email AS "userEmail", u.name AS "userName",
    u.avatar AS "userAvatar", u.role AS "userRole", u.is_active AS "userIsActive",
    u.session_generation AS "userSessionGeneration"`,
  from: 'sessions s JOIN users u ON u.id = s.user_id',
  where: 's.sid = :sid AND s.expires > :now',
};

export interface SignedInRow {
  sessionData: string | null;
  userId: string;
  userEmail: string;
  userName: string;
  userAvatar: string | null;
  userRole: Role;
  userIsActive: boolean | number;
  userSessionGeneration: number | string;
}

/** The person as the layout shows them (what the views read of `currentUser`). */
export interface SignedInPerson {
  id: string;
  email: string;
  name: string;
  avatar: string | null;
  role: Role;
  isManager: boolean;
  displayName: string;
}

/**
 * The session and person of a row when the session is still theirs: active, of the current
 * generation, within the absolute lifetime. Null otherwise (the regular pipeline then decides).
 */
export function signedInFromRow(
  row: SignedInRow,
  absoluteLifetimeMs: number,
  now: number,
): { session: SessionData; person: SignedInPerson } | null {
  if (!row.sessionData) return null;
  const session = JSON.parse(row.sessionData) as SessionData;
  const payload = readPayload(session.passport?.user);
  const holder = {
    id: row.userId,
    isActive: row.userIsActive === true || row.userIsActive === 1,
    sessionGeneration: Number(row.userSessionGeneration),
  };
  if (!payload || !holdsSession(holder, payload)) return null;
  if (!session.startedAt || now - session.startedAt > absoluteLifetimeMs) return null;
  return {
    session,
    person: {
      id: row.userId,
      email: row.userEmail,
      name: row.userName,
      avatar: row.userAvatar,
      role: row.userRole,
      isManager: row.userRole === 'MANAGER',
      displayName: row.userName || row.userEmail,
    },
  };
}
