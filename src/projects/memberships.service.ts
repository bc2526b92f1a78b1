import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import { isUUID } from 'class-validator';
import { Transaction, UniqueConstraintError } from 'sequelize';
import { AccountsService } from '../accounts/accounts.service';
import type { User } from '../accounts/user.model';
import { Conflict, InvalidInput, NotFound } from '../common/errors';
import { ProjectMember } from './project-member.model';
import type { Project } from './project.model';

/** Who belongs to a project. Every lookup is scoped to the project of the URL. */
@Injectable()
export class MembershipsService {
  constructor(
    @InjectModel(ProjectMember) private readonly members: typeof ProjectMember,
    private readonly accounts: AccountsService,
  ) {}

  async listMembers(project: Project): Promise<User[]> {
    const memberships = await this.members.findAll({
      where: { projectId: project.id },
      include: [{ association: 'user', required: true }],
      order: [
        ['user', 'name', 'ASC'],
        ['user', 'email', 'ASC'],
      ],
    });
    return memberships.map((membership) => membership.user!);
  }

  /** Active people who are not members yet: the choices of the "add a member" form. */
  async candidates(project: Project): Promise<User[]> {
    const memberships = await this.members.findAll({ attributes: ['userId'], where: { projectId: project.id } });
    return this.accounts.listActive(memberships.map((membership) => membership.userId));
  }

  /** Adds an active person to the project; returns them. */
  async add(project: Project, userId: string): Promise<User> {
    const user = await this.accounts.findActive(userId);
    if (!user) throw new InvalidInput({ userId: 'not-a-candidate' });
    if (!(await this.addIfAbsent(project.id, user.id))) throw new Conflict('already-member', user.displayName);
    return user;
  }

  /**
   * Makes the user a member; false when they were one already (also when another request added
   * them at the same moment).
   */
  async addIfAbsent(projectId: string, userId: string): Promise<boolean> {
    try {
      const [, created] = await this.members.findOrCreate({ where: { projectId, userId } });
      return created;
    } catch (error) {
      // Two requests adding the same person at once: the second insert hits the primary key.
      if (error instanceof UniqueConstraintError) return false;
      throw error;
    }
  }

  /** Makes a user who cannot be a member yet (an account being created) a member, in `transaction`. */
  async addNewMember(projectId: string, userId: string, transaction: Transaction): Promise<void> {
    await this.members.create({ projectId, userId }, { transaction });
  }

  /** Removes a member; NotFound when the person is not a member of this project. Access ends with their next request. */
  async remove(project: Project, userId: string): Promise<void> {
    if (!isUUID(userId)) throw new NotFound('member');
    const removed = await this.members.destroy({ where: { projectId: project.id, userId } });
    if (!removed) throw new NotFound('member');
  }
}
