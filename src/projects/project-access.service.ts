import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/sequelize';
import { isUUID } from 'class-validator';
import type { User } from '../accounts/user.model';
import { ProjectMember } from './project-member.model';
import { Project } from './project.model';

/** Who may see which project: members of it, and managers. One query per check. */
@Injectable()
export class ProjectAccessService {
  constructor(@InjectModel(Project) private readonly projects: typeof Project) {}

  /** The project if `user` may open it, else null (unknown, malformed or foreign id alike). */
  async findAccessible(user: User, projectId: string): Promise<Project | null> {
    if (!isUUID(projectId)) return null;
    if (user.isManager) return this.projects.findByPk(projectId);
    return this.projects.findOne({
      where: { id: projectId },
      include: [{ model: ProjectMember, where: { userId: user.id }, attributes: [], required: true }],
    });
  }
}
