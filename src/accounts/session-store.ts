import session from 'express-session';
import connectSessionSequelize from 'connect-session-sequelize';
import { Op } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { Session } from './session.model';

const SequelizeStore = connectSessionSequelize(session.Store);

type Callback<T> = (error: unknown, value?: T) => void;

/**
 * connect-session-sequelize on our `sessions` model, recording the owner of each session (so
 * that all of a user's sessions can be ended) and never handing back an expired session.
 */
export class SessionStore extends SequelizeStore {
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

  get(sid: string, callback: Callback<session.SessionData | null>): void {
    Session.findOne({ where: { sid, expires: { [Op.gt]: new Date() } } })
      .then((row) => callback(null, row?.data ? (JSON.parse(row.data) as session.SessionData) : null))
      .catch((error: unknown) => callback(error));
  }
}
