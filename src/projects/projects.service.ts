import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import type { User } from '../accounts/user.model';
import { ProjectMember } from './project-member.model';
import { Project } from './project.model';

@Injectable()
export class ProjectsService {
  constructor(@InjectModel(Project) private readonly projects: typeof Project) {}

  /** The projects on a user's dashboard: their own, or all of them for a manager. */
  listForUser(user: User): Promise<Project[]> {
    if (user.isManager) return this.projects.findAll({ order: [['name', 'ASC']] });
    return this.projects.findAll({
      include: [{ model: ProjectMember, where: { userId: user.id }, attributes: [], required: true }],
      order: [['name', 'ASC']],
    });
  }
}
