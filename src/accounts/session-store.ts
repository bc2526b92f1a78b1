import session from 'express-session';
import connectSessionSequelize from 'connect-session-sequelize';
import { Op } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { Session } from './session.model';

const SequelizeStore = connectSessionSequelize(session.Store);

type Callback<T> = (error: unknown, value?: T) => void;

/** A session's expiry and last-seen time are written at most this often (idle timeout precision). */
const TOUCH_INTERVAL_MS = 60_000;
const MAX_REMEMBERED_TOUCHES = 10_000;

/**
 * connect-session-sequelize on our `sessions` model (its expiry sweep), with our own reads and
 * writes: each row records its owner (so that all of a user's sessions can be ended), browser,
 * address and last-seen time; an expired session is never handed back; and an ended session
 * is never brought back to life.
 */
export class SessionStore extends SequelizeStore {
  /** When this process last wrote each session's expiry, to spare a write on every request. */
  private readonly lastTouched = new Map<string, number>();

  constructor(sequelize: Sequelize) {
    super({ db: sequelize, table: 'Session', checkExpirationInterval: 15 * 60 * 1000 });
  }

  get(sid: string, callback: Callback<session.SessionData | null>): void {
    // A plain row, not a model instance: this runs on every request.
    Session.findOne({ attributes: ['data'], where: { sid, expires: { [Op.gt]: new Date() } }, raw: true })
      .then((row) => callback(null, row?.data ? (JSON.parse(row.data) as session.SessionData) : null))
      .catch((error: unknown) => callback(error));
  }

  /**
   * A session read from a row (marked `stored`) only updates that row: when the row was
   * deleted meanwhile (sign-out, password change, deactivation) while one of the session's
   * requests was still running, that request's save finds nothing to update and the session
   * stays ended. Only a session this process created (and so not yet marked) inserts its row.
   */
  set(sid: string, data: session.SessionData, callback?: (error?: unknown) => void): void {
    this.lastTouched.set(sid, Date.now());
    const row = {
      data: JSON.stringify({ ...data, stored: true }),
      expires: this.expiryOf(data),
      userId: ownerOf(data),
      userAgent: data.userAgent ?? null,
      ip: data.ip ?? null,
      lastSeenAt: new Date(),
    };
    const write = data.stored
      ? Session.update(row, { where: { sid } })
      : Session.upsert({ sid, ...row, createdAt: data.startedAt ? new Date(data.startedAt) : new Date() });
    write.then(() => callback?.()).catch((error: unknown) => callback?.(error));
  }

  touch = (sid: string, data: session.SessionData, callback?: (error?: unknown) => void): void => {
    const now = Date.now();
    if (now - (this.lastTouched.get(sid) ?? 0) < TOUCH_INTERVAL_MS) {
      callback?.();
      return;
    }
    if (this.lastTouched.size >= MAX_REMEMBERED_TOUCHES) this.lastTouched.clear();
    this.lastTouched.set(sid, now);
    Session.update({ expires: this.expiryOf(data), lastSeenAt: new Date(now) }, { where: { sid } })
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error));
  };

  destroy(sid: string, callback?: (error?: unknown) => void): void {
    this.lastTouched.delete(sid);
    Session.destroy({ where: { sid } })
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error));
  }

  private expiryOf(data: session.SessionData): Date {
    const expires = data.cookie?.expires;
    return expires ? new Date(expires) : new Date(Date.now() + 24 * 3_600_000);
  }
}

function ownerOf(data: session.SessionData): string | null {
  const user = data.passport?.user;
  return typeof user === 'string' ? user : (user?.id ?? null);
}

/**
 * The same sessions, read-only for activity: `touch` does nothing. For live update streams, whose
 * traffic must not count as activity for the idle timeout (used with `rolling: false`, so that
 * no cookie is sent either).
 */
export class QuietSessionStore extends session.Store {
  constructor(private readonly store: SessionStore) {
    super();
  }

  get(sid: string, callback: Callback<session.SessionData | null>): void {
    this.store.get(sid, callback);
  }

  set(sid: string, data: session.SessionData, callback?: (error?: unknown) => void): void {
    this.store.set(sid, data, callback);
  }

  destroy(sid: string, callback?: (error?: unknown) => void): void {
    this.store.destroy(sid, callback);
  }

  touch = (_sid: string, _data: session.SessionData, callback?: (error?: unknown) => void): void => callback?.();
}
