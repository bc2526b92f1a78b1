import { Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import { isUUID } from 'class-validator';
import { Transaction } from 'sequelize';
import { Invitation } from '../invitations/invitation.model';
import { ProjectMember } from '../projects/project-member.model';
import { Project } from '../projects/project.model';
import { AccountsService, normalizeEmail } from './accounts.service';
import { ROLES, Role, User } from './user.model';
import { WriteTransactions } from '../database/write-transactions';

export const LAST_MANAGER_MESSAGE = 'hticket needs at least one active manager. Make someone else a manager first.';
export const SELF_DEACTIVATION_MESSAGE = 'You cannot deactivate your own account. Ask another manager.';

/** A rule of user administration that forbids the change; its message is for the manager. */
export class UserAdminRefused extends UnprocessableEntityException {}

export interface PersonRow {
  user: User;
  projects: { id: string; name: string }[];
}

export interface DeactivationResult {
  user: User;
  sessionsEnded: number;
  invitationsRevoked: number;
}

/**
 * User administration for managers (the /users pages) and admins (the REPL). Every method takes
 * a user id or an email address: `await $(UsersService).deactivate('someone@example.com')`.
 */
@Injectable()
export class UsersService {
  constructor(
    @InjectModel(User) private readonly users: typeof User,
    @InjectModel(Invitation) private readonly invitations: typeof Invitation,
    @InjectModel(ProjectMember) private readonly memberships: typeof ProjectMember,
    private readonly transactions: WriteTransactions,
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
    const memberships = await this.memberships.findAll({
      attributes: ['userId', 'projectId'],
      include: [{ model: Project, attributes: ['id', 'name'], required: true }],
      order: [[{ model: Project, as: 'project' }, 'name', 'ASC']],
    });
    const byUser = new Map<string, { id: string; name: string }[]>();
    for (const m of memberships) {
      const list = byUser.get(m.userId) ?? [];
      list.push({ id: m.project!.id, name: m.project!.name });
      byUser.set(m.userId, list);
    }
    return users.map((user) => ({ user, projects: byUser.get(user.id) ?? [] }));
  }

  /** The user with this id (from a URL), or a 404 for an unknown or malformed id. */
  async findById(id: string): Promise<User> {
    const user = isUUID(id) ? await this.users.findByPk(id) : null;
    if (!user) throw new NotFoundException();
    return user;
  }

  /** The user with this id or email, or a 404. */
  async find(ref: string, transaction?: Transaction): Promise<User> {
    const where = isUUID(ref) ? { id: ref } : { email: normalizeEmail(ref) };
    const user = await this.users.findOne({ where, transaction });
    if (!user) throw new NotFoundException(`There is no user ${ref}.`);
    return user;
  }

  /** Changes the role; the last active manager cannot be demoted. */
  async changeRole(ref: string, role: Role): Promise<User> {
    if (!ROLES.includes(role)) throw new UserAdminRefused(`The role must be one of ${ROLES.join(', ')}.`);
    return this.transactions.run(async (transaction) => {
      const managerIds = await this.lockActiveManagers(transaction);
      const user = await this.find(ref, transaction);
      if (user.role === role) return user;
      assertNotLastManager(user, managerIds);
      return user.update({ role }, { transaction });
    });
  }

  /**
   * Takes away access at once: the account is marked inactive, every session of it is deleted
   * and the invitations it sent that nobody has used yet are revoked. Sign-in then fails with
   * the same message as a wrong password. The last active manager cannot be deactivated, nor
   * can a manager deactivate themselves (`actorId`).
   */
  async deactivate(ref: string, actorId?: string): Promise<DeactivationResult> {
    return this.transactions.run(async (transaction) => {
      const managerIds = await this.lockActiveManagers(transaction);
      const user = await this.find(ref, transaction);
      if (actorId && user.id === actorId) throw new UserAdminRefused(SELF_DEACTIVATION_MESSAGE);
      assertNotLastManager(user, managerIds);
      if (user.isActive) await user.update({ isActive: false }, { transaction });
      const sessionsEnded = await this.accounts.endSessions(user.id, undefined, transaction);
      const [invitationsRevoked] = await this.invitations.update(
        { revokedAt: new Date() },
        { where: { senderId: user.id, isUsed: false, revokedAt: null }, transaction },
      );
      return { user, sessionsEnded, invitationsRevoked };
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
  if (isActiveManager && activeManagerIds.length === 1) throw new UserAdminRefused(LAST_MANAGER_MESSAGE);
}
