import session from 'express-session';
import connectSessionSequelize from 'connect-session-sequelize';
import { Op } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { Session } from './session.model';

const SequelizeStore = connectSessionSequelize(session.Store);

type Callback<T> = (error: unknown, value?: T) => void;

/** A session's expiry is pushed back in the database at most this often (idle timeout precision). */
const TOUCH_INTERVAL_MS = 60_000;
const MAX_REMEMBERED_TOUCHES = 10_000;

/**
 * connect-session-sequelize on our `sessions` model, recording the owner of each session (so
 * that all of a user's sessions can be ended) and never handing back an expired session.
 */
export class SessionStore extends SequelizeStore {
  /** When this process last wrote each session's expiry, to spare a write on every request. */
  private readonly lastTouched = new Map<string, number>();

  constructor(sequelize: Sequelize) {
    super({
      db: sequelize,
      table: 'Session',
      checkExpirationInterval: 15 * 60 * 1000,
      extendDefaultFields: (defaults: { data: string; expires: Date }, data: { passport?: { user?: string } }) => ({
        ...defaults,
        userId: data.passport?.user ?? null,
      }),
    });
  }

  touch = (sid: string, data: session.SessionData, callback?: (error?: unknown) => void): void => {
    const now = Date.now();
    if (now - (this.lastTouched.get(sid) ?? 0) < TOUCH_INTERVAL_MS) {
      callback?.();
      return;
    }
    if (this.lastTouched.size >= MAX_REMEMBERED_TOUCHES) this.lastTouched.clear();
    this.lastTouched.set(sid, now);
    Session.update({ expires: this.expiryOf(data) }, { where: { sid } })
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error));
  };

  set(sid: string, data: session.SessionData, callback?: (error?: unknown) => void): void {
    this.lastTouched.set(sid, Date.now());
    super.set(sid, data, callback);
  }

  private expiryOf(data: session.SessionData): Date {
    const expires = data.cookie?.expires;
    return expires ? new Date(expires) : new Date(Date.now() + 24 * 3_600_000);
  }

  get(sid: string, callback: Callback<session.SessionData | null>): void {
    // A plain row, not a model instance: this runs on every request.
    Session.findOne({ attributes: ['data'], where: { sid, expires: { [Op.gt]: new Date() } }, raw: true })
      .then((row) => callback(null, row?.data ? (JSON.parse(row.data) as session.SessionData) : null))
      .catch((error: unknown) => callback(error));
  }
}
