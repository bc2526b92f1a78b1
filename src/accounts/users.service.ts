import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectModel } from '@nestjs/sequelize';
import { isUUID } from 'class-validator';
import { Transaction } from 'sequelize';
import { InvalidInput, NotAllowed, NotFound } from '../common/errors';
import { WriteTransactions } from '../database/write-transactions';
import { UserDeactivated, UserRoleChanged } from './account-events';
import { AccountsService, normalizeEmail } from './accounts.service';
import { PeopleProjects, ProjectRef } from './people-projects';
import { Session } from './session.model';
import { ROLES, Role, User } from './user.model';

export interface PersonRow {
  user: User;
  projects: ProjectRef[];
}

export interface DeactivationResult {
  user: User;
  sessionsEnded: number;
}

/**
 * User administration for managers (the /users pages) and admins (the REPL). Every method takes
 * a user id or an email address: `await $(UsersService).deactivate('someone@example.com')`.
 */
@Injectable()
export class UsersService {
  constructor(
    @InjectModel(User) private readonly users: typeof User,
    @InjectModel(Session) private readonly sessions: typeof Session,
    private readonly transactions: WriteTransactions,
    private readonly events: EventEmitter2,
    private readonly peopleProjects: PeopleProjects,
    private readonly accounts: AccountsService,
  ) {}

  /** Everyone with their projects, in two queries whatever the number of people. */
  async listWithProjects(): Promise<PersonRow[]> {
    const users = await this.users.findAll({
      order: [
        ['isActive', 'DESC'],
        ['name', 'ASC'],
        ['email', 'ASC'],
      ],
    });
    const byUser = await this.peopleProjects.byPerson();
    return users.map((user) => ({ user, projects: byUser.get(user.id) ?? [] }));
  }

  /** The user with this id (from a URL); NotFound for an unknown or malformed id. */
  async findById(id: string): Promise<User> {
    const user = isUUID(id) ? await this.users.findByPk(id) : null;
    if (!user) throw new NotFound('user');
    return user;
  }

  /** The user with this id or email, or NotFound. */
  async find(ref: string, transaction?: Transaction): Promise<User> {
    const where = isUUID(ref) ? { id: ref } : { email: normalizeEmail(ref) };
    const user = await this.users.findOne({ where, transaction });
    if (!user) throw new NotFound('user', ref);
    return user;
  }

  /**
   * Changes the role; the last active manager cannot be demoted. UserRoleChanged tells the modules
   * above, in the same transaction (a demoted manager's open assignments outside their projects end).
   */
  async changeRole(ref: string, role: Role): Promise<User> {
    if (!ROLES.includes(role)) throw new InvalidInput({ role: 'unknown-role' });
    return this.transactions.run(async (transaction) => {
      const managerIds = await this.lockActiveManagers(transaction);
      const user = await this.find(ref, transaction);
      if (user.role === role) return user;
      assertNotLastManager(user, managerIds);
      await user.update({ role }, { transaction });
      await this.events.emitAsync(UserRoleChanged.event, new UserRoleChanged(user.id, role, transaction));
      return user;
    });
  }

  /**
   * Takes away access at once: the account is marked inactive and every session of it is
   * deleted; UserDeactivated tells the modules above, in the same transaction (the invitations
   * module revokes the invitations it sent that nobody has used yet). Sign-in then fails with
   * the same message as a wrong password. The last active manager cannot be deactivated, nor
   * can a manager deactivate themselves (`actorId`).
   */
  async deactivate(ref: string, actorId?: string): Promise<DeactivationResult> {
    return this.transactions.run(async (transaction) => {
      const managerIds = await this.lockActiveManagers(transaction);
      const user = await this.find(ref, transaction);
      if (actorId && user.id === actorId) throw new NotAllowed('self-deactivation');
      assertNotLastManager(user, managerIds);
      if (user.isActive) await user.update({ isActive: false }, { transaction });
      const sessionsEnded = await this.accounts.endSessions(user.id, undefined, transaction);
      await this.events.emitAsync(UserDeactivated.event, new UserDeactivated(user.id, transaction));
      return { user, sessionsEnded };
    });
  }

  /** Gives access back; the person signs in with their old password. Revoked invitations stay revoked. */
  async reactivate(ref: string): Promise<User> {
    return this.transactions.run(async (transaction) => {
      const user = await this.find(ref, transaction);
      return user.isActive ? user : user.update({ isActive: true }, { transaction });
    });
  }

  /**
   * The ids of the active managers, their rows locked until the transaction ends (PostgreSQL;
   * SQLite serialises writers anyway). Taken first and in id order, so that two managers
   * demoting each other at the same moment cannot leave none behind, nor deadlock.
   */
  private async lockActiveManagers(transaction: Transaction): Promise<string[]> {
    const managers = await this.users.findAll({
      attributes: ['id'],
      where: { role: 'MANAGER', isActive: true },
      order: [['id', 'ASC']],
      lock: transaction.LOCK.UPDATE,
      transaction,
    });
    return managers.map((manager) => manager.id);
  }
}

/** Refuses to take the manager role or access away from the only active manager. */
export function assertNotLastManager(user: User, activeManagerIds: string[]): void {
  const isActiveManager = activeManagerIds.includes(user.id);
  if (isActiveManager && activeManagerIds.length === 1) throw new NotAllowed('last-manager');
}
