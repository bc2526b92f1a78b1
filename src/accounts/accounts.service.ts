import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import { Op, Transaction } from 'sequelize';
import { EMAIL_ADDRESS_MESSAGE, isPlainEmailAddress } from '../common/forms/email-address';
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
    if (!ROLES.includes(role)) throw new BadRequestException(`role must be one of ${ROLES.join(', ')}`);
    if (!isPlainEmailAddress(normalizeEmail(input.email))) throw new BadRequestException(EMAIL_ADDRESS_MESSAGE);
    if (input.password.length < MIN_PASSWORD_LENGTH) {
      throw new BadRequestException(`password must be at least ${MIN_PASSWORD_LENGTH} characters`);
    }
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

  countActiveManagers(): Promise<number> {
    return this.users.count({ where: { role: 'MANAGER', isActive: true } });
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
  async setPassword(userId: string, password: string, keepSessionId?: string): Promise<void> {
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw new BadRequestException(`password must be at least ${MIN_PASSWORD_LENGTH} characters`);
    }
    await this.users.update({ passwordHash: await hashPassword(password) }, { where: { id: userId } });
    await this.endSessions(userId, keepSessionId);
  }

  /** Deletes the user's sessions on the server, except `keepSessionId` when given. */
  async endSessions(userId: string, keepSessionId?: string): Promise<number> {
    const where = keepSessionId ? { userId, sid: { [Op.ne]: keepSessionId } } : { userId };
    return this.sessions.destroy({ where });
  }

  /** For the REPL: `await $(AccountsService).resetPassword('a@b.c', 'new password')`. */
  async resetPassword(email: string, password: string): Promise<void> {
    const user = await this.findByEmail(email);
    if (!user) throw new BadRequestException(`no user with email ${email}`);
    await this.setPassword(user.id, password);
  }
}
