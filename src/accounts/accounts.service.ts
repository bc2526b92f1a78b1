import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { InjectModel } from '@nestjs/sequelize';
import { Op, QueryTypes, Transaction } from 'sequelize';
import { InvalidInput, NotFound } from '../common/errors';
import { isPlainEmailAddress } from '../common/forms/email-address';
import { PositionalStatement, PreparedReads } from '../database/prepared-reads';
import { WriteTransactions } from '../database/write-transactions';
import { Session } from './session.model';
import { sessionHandle } from './session-view';
import { MIN_PASSWORD_LENGTH, PasswordHasher } from './passwords';
import { ROLES, Role, User } from './user.model';

/** A person as lists of people read them (listActiveManagersOr): a plain row, not a User. */
export type PersonRow = Pick<User, 'id' | 'email' | 'name' | 'avatar' | 'role' | 'displayName'>;

/** The columns of activeManagersOrSql. */
export const PERSON_COLUMNS = ['id', 'email', 'name', 'avatar', 'role'] as const;
type PersonColumns = Omit<PersonRow, 'displayName'> & { position?: unknown };

/** A row of activeManagersOrSql as a PersonRow. */
export function personRow({ id, email, name, avatar, role }: PersonColumns): PersonRow {
  return { id, email, name, avatar, role, displayName: name || email };
}

export interface NewUser {
  email: string;
  password: string;
  name?: string;
  role?: Role;
  /** Created by signing in (joining through an invitation): counts as their first sign-in. */
  signedIn?: boolean;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

@Injectable()
export class AccountsService {
  constructor(
    @InjectModel(User) private readonly users: typeof User,
    @InjectModel(Session) private readonly sessions: typeof Session,
    private readonly transactions: WriteTransactions,
    private readonly passwords: PasswordHasher,
    private readonly reads: PreparedReads,
  ) {}

  /** Creates an account. Used by the join flow and by admins in the REPL. */
  async createUser(input: NewUser, transaction?: Transaction): Promise<User> {
    const role = input.role ?? 'MEMBER';
    if (!ROLES.includes(role)) throw new InvalidInput({ role: 'unknown-role' });
    if (!isPlainEmailAddress(normalizeEmail(input.email))) throw new InvalidInput({ email: 'not-an-email-address' });
    if (input.password.length < MIN_PASSWORD_LENGTH) throw new InvalidInput({ password: 'password-too-short' });
    return this.users.create(
      {
        email: normalizeEmail(input.email),
        name: input.name?.trim() ?? '',
        role,
        passwordHash: await this.passwords.hash(input.password),
        lastLoginAt: input.signedIn ? new Date() : null,
      },
      { transaction },
    );
  }

  findById(id: string): Promise<User | null> {
    return this.users.findByPk(id);
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOne({ where: { email: normalizeEmail(email) } });
  }

  listUsers(): Promise<User[]> {
    return this.users.findAll({ order: [['email', 'ASC']] });
  }

  /** The active user with this id, or null (unknown, malformed and deactivated alike). */
  async findActive(id: string, transaction?: Transaction): Promise<User | null> {
    return isUUID(id) ? this.users.findOne({ where: { id, isActive: true }, transaction }) : null;
  }

  /** Display names (name, else email) of these people, deactivated ones included: one statement. */
  async displayNames(ids: string[]): Promise<Map<string, string>> {
    const people = ids.length
      ? await this.users.findAll({
          attributes: ['id', 'name', 'email'],
          where: { id: ids.filter((id) => isUUID(id)) },
          raw: true,
        })
      : [];
    return new Map(people.map((person) => [person.id, person.name || person.email]));
  }

  /** Active people, by name, except those in `excludeIds`. */
  listActive(excludeIds: string[] = []): Promise<User[]> {
    return this.users.findAll({
      where: { isActive: true, ...(excludeIds.length ? { id: { [Op.notIn]: excludeIds } } : {}) },
      order: [
        ['name', 'ASC'],
        ['email', 'ASC'],
      ],
    });
  }

  /**
   * Active people who are managers or whose id `othersSql` selects (a subquery such as "the user
   * ids of this project's members", written with `:name` placeholders for `values`), by name, in
   * one statement; only `userId` (one id or several) when given. The projects module defines who
   * has access to a project with it (MembershipsService.peopleWithAccess). Pages read the same
   * SQL prepared (peopleOf) or folded into their own statement (activeManagersOrSql).
   */
  async listActiveManagersOr(
    othersSql: string,
    values: Record<string, unknown>,
    { userId, transaction }: { userId?: string | string[]; transaction?: Transaction } = {},
  ): Promise<PersonRow[]> {
    const only = userId === undefined ? undefined : [userId].flat();
    if (only && !only.length) return [];
    const rows = await this.users.sequelize!.query<PersonColumns>(
      this.activeManagersOrSql(othersSql, { only: only !== undefined }),
      { replacements: { ...values, ...(only ? { only } : {}) }, type: QueryTypes.SELECT, transaction },
    );
    return rows.map(personRow);
  }

  /**
   * The people of listActiveManagersOr as SQL: the ids are gathered first, the managers through
   * their index (migration 0017), so the statement reads those people and never every account.
   * Numbered by `position` in their order (a statement may fold them into one JSON value, see
   * PreparedReads.jsonRows); its columns are PERSON_COLUMNS. `only`: the ids of `:only` alone.
   */
  activeManagersOrSql(othersSql: string, { only = false }: { only?: boolean } = {}): string {
    return `SELECT id, email, name, avatar, role, ROW_NUMBER() OVER (ORDER BY name, email, id) AS position FROM users
      WHERE is_active = TRUE AND id IN (SELECT id FROM users WHERE role = 'MANAGER' UNION ${othersSql})
      ${only ? 'AND id IN (:only)' : ''}
      ORDER BY position`;
  }

  /** The people of a statement of activeManagersOrSql, with these values for its placeholders. */
  async peopleOf(statement: PositionalStatement, values: Record<string, unknown>): Promise<PersonRow[]> {
    return (await this.reads.rows<PersonColumns>(statement, values)).map(personRow);
  }

  /** True when an account uses this email (lower-cased already). */
  async emailTaken(email: string, transaction?: Transaction): Promise<boolean> {
    return (await this.users.count({ where: { email }, transaction })) > 0;
  }

  /** True when any account has the manager role, active or not. */
  async hasManager(): Promise<boolean> {
    return (await this.users.count({ where: { role: 'MANAGER' } })) > 0;
  }

  /** The active manager whose account is oldest: the default sender of invitations made in the REPL. */
  oldestActiveManager(): Promise<User | null> {
    return this.users.findOne({ where: { role: 'MANAGER', isActive: true }, order: [['createdAt', 'ASC']] });
  }

  /**
   * The user for these credentials, or null. Unknown email, wrong password and deactivated
   * account all answer null after the same amount of hashing work.
   */
  async authenticate(email: unknown, password: unknown): Promise<User | null> {
    // A crafted request can send numbers, objects or NUL characters: none can be an account.
    const readable = typeof email === 'string' && typeof password === 'string' && !email.includes('\u0000');
    const user = readable ? await this.findByEmail(email) : null;
    if (typeof password !== 'string') return this.passwords.verifyAgainstDummy('').then(() => null);
    if (!user) return this.passwords.verifyAgainstDummy(password).then(() => null);
    const matches = await this.passwords.verify(user.passwordHash, password);
    return matches && user.isActive ? user : null;
  }

  async recordLogin(user: User): Promise<void> {
    await user.update({ lastLoginAt: new Date() });
  }

  /**
   * Sets a new password and ends every session of the user except `keepSessionId`, inside the
   * caller's transaction when given. Returns the user as now stored: sign in with it (or
   * `keepSignedIn()` the kept session), since the session generation changed.
   */
  async setPassword(
    userId: string,
    password: string,
    keepSessionId?: string,
    transaction?: Transaction,
  ): Promise<User> {
    if (password.length < MIN_PASSWORD_LENGTH) throw new InvalidInput({ password: 'password-too-short' });
    const passwordHash = await this.passwords.hash(password);
    const store = (t: Transaction) => this.storePasswordHash(userId, passwordHash, keepSessionId, t);
    if (transaction) await store(transaction);
    else await this.transactions.run(store);
    return (await this.users.findByPk(userId, { transaction }))!;
  }

  /** setPassword() for a hash computed beforehand, inside the caller's transaction. */
  async storePasswordHash(
    userId: string,
    passwordHash: string,
    keepSessionId: string | undefined,
    transaction: Transaction,
  ): Promise<void> {
    await this.users.update({ passwordHash }, { where: { id: userId }, transaction });
    await this.endSessions(userId, keepSessionId, transaction);
  }

  /**
   * Ends the user's sessions, except `keepSessionId` when given (which must then be kept with
   * `keepSignedIn()`): their rows are deleted and the user's session generation raised, so that
   * no session signed in before now is accepted again, even one whose request is in flight.
   * The one place that ends sessions: sign-out everywhere, password changes, deactivation.
   */
  async endSessions(userId: string, keepSessionId?: string, transaction?: Transaction): Promise<number> {
    await this.users.increment({ sessionGeneration: 1 }, { where: { id: userId }, transaction });
    const where = keepSessionId ? { userId, sid: { [Op.ne]: keepSessionId } } : { userId };
    return this.sessions.destroy({ where, transaction });
  }

  /**
   * Those of `sids` whose sessions still exist and have not expired (idle or absolute), in one
   * statement per thousand: live streams ask this periodically, since their own traffic never
   * extends a session.
   */
  async unexpiredSessionIds(sids: string[]): Promise<Set<string>> {
    const alive = new Set<string>();
    for (let at = 0; at < sids.length; at += 1000) {
      const rows = await this.sessions.findAll({
        attributes: ['sid'],
        where: { sid: sids.slice(at, at + 1000), expires: { [Op.gt]: new Date() } },
        raw: true,
      });
      for (const row of rows) alive.add(row.sid);
    }
    return alive;
  }

  /** The user's sessions that have not expired, most recently used first. */
  listSessions(userId: string): Promise<Session[]> {
    return this.sessions.findAll({
      attributes: ['sid', 'userAgent', 'ip', 'createdAt', 'lastSeenAt'],
      where: { userId, expires: { [Op.gt]: new Date() } },
      order: [
        ['lastSeenAt', 'DESC'],
        ['createdAt', 'DESC'],
      ],
    });
  }

  /** Ends the user's session named by `handle` (see sessionHandle); false when they have no such session. */
  async endSession(userId: string, handle: string): Promise<boolean> {
    const sessions = await this.sessions.findAll({ attributes: ['sid'], where: { userId } });
    const session = sessions.find((row) => sessionHandle(row.sid) === handle);
    return session ? (await this.sessions.destroy({ where: { userId, sid: session.sid } })) > 0 : false;
  }

  /** For the REPL: `await $(AccountsService).resetPassword('a@b.c', 'new password')`. */
  async resetPassword(email: string, password: string): Promise<void> {
    const user = await this.findByEmail(email);
    if (!user) throw new NotFound('user', email);
    await this.setPassword(user.id, password);
  }
}
