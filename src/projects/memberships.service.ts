import { Injectable, NotFoundException } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { InjectModel } from '@nestjs/sequelize';
import { literal, Op, UniqueConstraintError } from 'sequelize';
import { Sequelize } from 'sequelize-typescript';
import { User } from '../accounts/user.model';
import { ProjectMember } from './project-member.model';
import { Project } from './project.model';

/** A person who cannot be added; the message is shown beside the field. */
export class MemberNotAddable extends Error {}

/** Who belongs to a project. Every lookup is scoped to the project of the URL. */
@Injectable()
export class MembershipsService {
  constructor(
    private readonly sequelize: Sequelize,
    @InjectModel(ProjectMember) private readonly members: typeof ProjectMember,
    @InjectModel(User) private readonly users: typeof User,
  ) {}

  async listMembers(project: Project): Promise<User[]> {
    const memberships = await this.members.findAll({
      where: { projectId: project.id },
      include: [{ model: User, required: true }],
      order: [
        [{ model: User, as: 'user' }, 'name', 'ASC'],
        [{ model: User, as: 'user' }, 'email', 'ASC'],
      ],
    });
    return memberships.map((membership) => membership.user!);
  }

  /** Active people who are not members yet: the choices of the "add a member" form. */
  candidates(project: Project): Promise<User[]> {
    const projectId = this.sequelize.escape(project.id);
    return this.users.findAll({
      where: {
        isActive: true,
        id: { [Op.notIn]: literal(`(SELECT user_id FROM project_members WHERE project_id = ${projectId})`) },
      },
      order: [
        ['name', 'ASC'],
        ['email', 'ASC'],
      ],
    });
  }

  /** Adds an active person to the project; returns them. */
  async add(project: Project, userId: string): Promise<User> {
    const user = await this.users.findOne({ where: { id: userId, isActive: true } });
    if (!user) throw new MemberNotAddable('Choose one of the people in the list.');
    try {
      const [, created] = await this.members.findOrCreate({ where: { projectId: project.id, userId: user.id } });
      if (!created) throw new MemberNotAddable(`${user.displayName} is already a member of this project.`);
    } catch (error) {
      // Two managers adding the same person at once: the second insert hits the primary key.
      if (error instanceof UniqueConstraintError)
        throw new MemberNotAddable(`${user.displayName} is already a member of this project.`);
      throw error;
    }
    return user;
  }

  /** Removes a member; 404 when the person is not a member of this project. Access ends with their next request. */
  async remove(project: Project, userId: string): Promise<void> {
    if (!isUUID(userId)) throw new NotFoundException();
    const removed = await this.members.destroy({ where: { projectId: project.id, userId } });
    if (!removed) throw new NotFoundException();
  }
}
