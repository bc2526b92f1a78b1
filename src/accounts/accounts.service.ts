import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { InjectModel } from '@nestjs/sequelize';
import { Op, Transaction } from 'sequelize';
import { InvalidInput, NotFound } from '../common/errors';
import { Session } from './session.model';
import { hashPassword, MIN_PASSWORD_LENGTH, verifyAgainstDummy, verifyPassword } from './passwords';
import { ROLES, Role, User } from './user.model';

export interface NewUser {
  email: string;
  password: string;
  name?: string;
  role?: Role;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

@Injectable()
export class AccountsService {
  constructor(
    @InjectModel(User) private readonly users: typeof User,
    @InjectModel(Session) private readonly sessions: typeof Session,
  ) {}

  /** Creates an account. Used by the join flow and by admins in the REPL. */
  async createUser(input: NewUser, transaction?: Transaction): Promise<User> {
    const role = input.role ?? 'MEMBER';
    if (!ROLES.includes(role)) throw new InvalidInput({ role: 'unknown-role' });
    if (input.password.length < MIN_PASSWORD_LENGTH) throw new InvalidInput({ password: 'password-too-short' });
    return this.users.create(
      {
        email: normalizeEmail(input.email),
        name: input.name?.trim() ?? '',
        role,
        passwordHash: await hashPassword(input.password),
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
  async findActive(id: string): Promise<User | null> {
    return isUUID(id) ? this.users.findOne({ where: { id, isActive: true } }) : null;
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
    if (typeof password !== 'string') return verifyAgainstDummy('').then(() => null);
    if (!user) return verifyAgainstDummy(password).then(() => null);
    const matches = await verifyPassword(user.passwordHash, password);
    return matches && user.isActive ? user : null;
  }

  async recordLogin(user: User): Promise<void> {
    await user.update({ lastLoginAt: new Date() });
  }

  /** Sets a new password and ends every session of the user except `keepSessionId`. */
  async setPassword(
    userId: string,
    password: string,
    keepSessionId?: string,
    transaction?: Transaction,
  ): Promise<void> {
    if (password.length < MIN_PASSWORD_LENGTH) throw new InvalidInput({ password: 'password-too-short' });
    await this.users.update({ passwordHash: await hashPassword(password) }, { where: { id: userId }, transaction });
    await this.endSessions(userId, keepSessionId, transaction);
  }

  /** Deletes the user's sessions on the server, except `keepSessionId` when given. */
  async endSessions(userId: string, keepSessionId?: string, transaction?: Transaction): Promise<number> {
    const where = keepSessionId ? { userId, sid: { [Op.ne]: keepSessionId } } : { userId };
    return this.sessions.destroy({ where, transaction });
  }

  /** For the REPL: `await $(AccountsService).resetPassword('a@b.c', 'new password')`. */
  async resetPassword(email: string, password: string): Promise<void> {
    const user = await this.findByEmail(email);
    if (!user) throw new NotFound('user', email);
    await this.setPassword(user.id, password);
  }
}
